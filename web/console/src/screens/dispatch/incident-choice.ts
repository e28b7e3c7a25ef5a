// Choosing another incident to merge into or link to: one offered on the screen, or one named by
// its reference as staff say it ("INC-42"). A merge or a link needs a live incident, and the live
// list holds every one of them (the board's list has no limit), so a reference is looked up there
// and one not in it is refused before anything is sent.
import type { IncidentSummary } from '../../api/dispatch.ts';
import { invalidFields, type UiError } from '../../api/errors.ts';

/** The number in a reference typed as "INC-42", "inc 42" or "42"; null when it is not one. */
export function parseIncidentReference(text: string): number | null {
  const match = /^\s*(?:inc[\s-]*)?(\d{1,9})\s*$/i.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/** The incident chosen: its id and reference. */
export type ChosenIncident = { id: string; reference: string };

/**
 * The incident a form names: `chosenId` when one offered was picked, else the typed reference,
 * looked up among the live incidents. `field` is the path the error names; `selfId` is the
 * incident the screen is about, which cannot be chosen.
 */
export function chooseIncident(
  values: { chosenId: string; reference: string },
  live: readonly Pick<IncidentSummary, 'id' | 'reference' | 'number' | 'status'>[],
  options: { field: string; selfId: string | null; what: string },
): ChosenIncident | UiError {
  const refuse = (message: string) => invalidFields([{ path: options.field, message }]);
  const typed = values.reference.trim();
  if (values.chosenId && typed) return refuse('Choose an incident or enter a reference, not both');
  if (values.chosenId) {
    const offered = live.find((incident) => incident.id === values.chosenId);
    return offered ? { id: offered.id, reference: offered.reference } : refuse(`That incident is no longer live; choose another`);
  }
  if (!typed) return refuse(`Choose the incident ${options.what}, or enter its reference`);
  const number = parseIncidentReference(typed);
  if (number === null) return refuse('Enter an incident reference like INC-42');
  const found = live.find((incident) => incident.number === number);
  if (found?.id === options.selfId) return refuse(`INC-${number} is this incident; enter the reference of another`);
  if (!found) return refuse(`INC-${number} is not a live incident: it has ended or does not exist`);
  return { id: found.id, reference: found.reference };
}

/** Whether a chosen incident can be used or the form's error was found. */
export function isChosen(result: ChosenIncident | UiError): result is ChosenIncident {
  return 'id' in result;
}
