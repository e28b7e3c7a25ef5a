import { describeMachine } from '../../platform/state-machine.ts';

/**
 * Where a portal sign-in stands: a reporter's to their report's page (`report`, decision 0167) or a
 * victim's to their case page (`case`, decision 0158), each a row of its room's own table. Pure.
 * A sign-in is `new` until a right code opens it, `held` while its row stands and its end has not
 * come, and `ended` once its row is gone. Ending one is a move, with its one event, when the
 * person ended it (signing out, or asking for a code on the browser holding its cookie) or a newer
 * sign-in to the same page did; the event says which, and carries ids only (decision 0180).
 *
 * Not moves, and recorded by no event: a sign-in reaching its end (time ends it, as it ends a
 * staff session; its cookie carries the same end), and housekeeping deleting rows past their end
 * (decision 0015: disposal of what had ended). Ending a sign-in that is not `held` (gone already,
 * or past its end) is no move: a second sign-out records nothing more.
 */

export const PORTAL_SIGN_IN_STATES = ['new', 'held', 'ended'] as const;
export type PortalSignInState = (typeof PORTAL_SIGN_IN_STATES)[number];

/** Whose page the sign-in opens: the report's (its contact's) or the case's. */
export const PORTAL_SIGN_IN_KINDS = ['report', 'case'] as const;
export type PortalSignInKind = (typeof PORTAL_SIGN_IN_KINDS)[number];

/** The one event a sign-in's end appends, by kind. */
const ENDED_EVENTS = { report: 'portal_sign_in.report_ended', case: 'portal_sign_in.case_ended' } as const;

/** Each move, where it may start, where it leads, and its one event for each kind. */
export const PORTAL_SIGN_IN_MOVES = {
  /** A right code opened the sign-in (the code's id is the sign-in's). */
  open: { from: ['new'], to: 'held', events: { report: 'portal.access_granted', case: 'portal.case_access_granted' } },
  /** The person ended it: the "Sign out" button, or asking for a code on the browser holding it. */
  sign_out: { from: ['held'], to: 'ended', events: ENDED_EVENTS },
  /** A right code for the same page (the same victim's, for a case) ended it: one sign-in per page. */
  replace: { from: ['held'], to: 'ended', events: ENDED_EVENTS },
} as const satisfies Record<string, { from: readonly PortalSignInState[]; to: PortalSignInState; events: Record<PortalSignInKind, string> }>;

export type PortalSignInMove = keyof typeof PORTAL_SIGN_IN_MOVES;

/** How an ending event says the sign-in ended: its move, and for a sign-out what the person did. */
export const PORTAL_SIGN_IN_ENDINGS = ['signed_out', 'code_asked', 'signed_in_again'] as const;
export type PortalSignInEnding = (typeof PORTAL_SIGN_IN_ENDINGS)[number];

const MOVE_OF_ENDING: Record<PortalSignInEnding, PortalSignInMove> = { signed_out: 'sign_out', code_asked: 'sign_out', signed_in_again: 'replace' };

export const MACHINE = describeMachine({
  states: [...PORTAL_SIGN_IN_STATES],
  initial: ['new'],
  kinds: [...PORTAL_SIGN_IN_KINDS],
  moves: Object.fromEntries(Object.entries(PORTAL_SIGN_IN_MOVES).map(([name, spec]) => [name, { from: spec.from, to: [spec.to], events: spec.events }])),
  owns: ['portal_sign_in.'],
  otherEvents: {},
});

/**
 * The state of a sign-in from its row as the statement that removed it returned it (`undefined`
 * when there was none): held only when it stood and its end had not come.
 */
export function portalSignInState(row: { expires_at: Date } | undefined, now: Date): PortalSignInState {
  return row !== undefined && row.expires_at.getTime() > now.getTime() ? 'held' : 'ended';
}

/**
 * The event type a sign-in's ending appends, or null when it was not held (gone already, or past
 * its end): then nothing moved, and nothing is recorded.
 */
export function endingEventOf(kind: PortalSignInKind, state: PortalSignInState, ending: PortalSignInEnding): string | null {
  const move = PORTAL_SIGN_IN_MOVES[MOVE_OF_ENDING[ending]];
  return (move.from as readonly PortalSignInState[]).includes(state) ? move.events[kind] : null;
}
