// The moves a dispatcher makes to finish an incident, as the server's state machine allows them
// (src/capabilities/incidents/incident.machine.ts): what each is called, whether it needs a
// closing code, and the question asked before it is made.
import type { IncidentStatus, IncidentStatusInput } from '../../api/dispatch.ts';
import { invalidFields, type UiError } from '../../api/errors.ts';

export type IncidentStatusMove = IncidentStatusInput['move'];

export type IncidentMoveChoice = { move: IncidentStatusMove; label: string; hint: string; needsCode: boolean };

const RESOLVE: IncidentMoveChoice = { move: 'resolve', label: 'Resolve', hint: 'The job is done. Units still sent clear; close it with a closing code afterwards.', needsCode: false };
const CLOSE: IncidentMoveChoice = { move: 'close', label: 'Close', hint: 'Record how it ended.', needsCode: true };
const CANCEL: IncidentMoveChoice = {
  move: 'cancel',
  label: 'Cancel',
  hint: 'No longer needed (a hoax, called off). Units still sent clear. A duplicate of a live incident is merged into it instead (Merge into another incident, below): its calls move there and its response is measured there, once.',
  needsCode: true,
};
const WITHOUT_DEPLOYMENT: IncidentMoveChoice = { move: 'resolve_without_deployment', label: 'Resolve without deployment', hint: 'Dealt with before any unit went (advice by phone, a referral).', needsCode: true };

/** The moves an incident in this status can make; none once it has ended. */
export function incidentMovesFor(status: IncidentStatus): IncidentMoveChoice[] {
  switch (status) {
    case 'open':
      return [WITHOUT_DEPLOYMENT, CANCEL];
    case 'dispatched':
    case 'en_route':
    case 'on_scene':
      return [RESOLVE, CANCEL];
    case 'resolved':
      return [CLOSE];
    case 'closed':
    case 'cancelled':
    case 'resolved_without_deployment':
      return [];
  }
}

/** The closing code a force's list keeps for a duplicate of an incident that can no longer take a merge. */
export const DUPLICATE_CLOSING_CODE = 'duplicate';

/**
 * What to know about the chosen closing code before using it: a duplicate is merged while the
 * incident it duplicates is live (decision 0076), and cancelled as a duplicate only once that one
 * has been resolved or has ended, since a merge into it is refused.
 */
export function closingCodeHint(move: IncidentStatusMove, closingCode: string): string | undefined {
  if (move !== 'cancel' || closingCode !== DUPLICATE_CLOSING_CODE) return undefined;
  return 'Only for a duplicate of an incident already resolved or ended. If the incident it duplicates is live, merge this one into it instead (Merge into another incident, below), so its calls and its response are counted there once.';
}

/** Whether the incident is still being worked: it can be regraded, moved and noted. */
export function isIncidentLive(status: IncidentStatus): boolean {
  return incidentMovesFor(status).length > 0;
}

/** The body for the chosen move, or what is missing from the form. */
export function readMoveForm(status: IncidentStatus, values: { move: string; closingCode: string }): IncidentStatusInput | UiError {
  const choice = incidentMovesFor(status).find((c) => c.move === values.move);
  if (!choice) return invalidFields([{ path: 'move', message: 'Choose what happened' }]);
  if (!choice.needsCode) return { move: choice.move };
  if (!values.closingCode) return invalidFields([{ path: 'closingCode', message: choice.move === 'cancel' ? 'Choose why it is cancelled' : 'Choose a closing code' }]);
  return { move: choice.move, closingCode: values.closingCode };
}

/** The question asked before the move is made: each ends the incident's work or a stage of it. */
export function confirmMoveQuestion(reference: string, body: IncidentStatusInput, codeLabel: string | null): string {
  const code = codeLabel ? ` as “${codeLabel}”` : '';
  switch (body.move) {
    case 'resolve':
      return `Resolve ${reference}? Every unit still sent to it clears.`;
    case 'close':
      return `Close ${reference}${code}? It cannot be reopened.`;
    case 'cancel':
      return `Cancel ${reference}${code}? Every unit still sent to it clears, and it cannot be reopened.`;
    case 'resolve_without_deployment':
      return `Resolve ${reference} without deployment${code}? It cannot be reopened.`;
  }
}
