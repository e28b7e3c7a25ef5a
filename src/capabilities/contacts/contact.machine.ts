import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine, type MoveDescription } from '../../platform/state-machine.ts';

/**
 * The contact's state machine. Pure: it reads nothing and writes nothing. A contact is open or
 * closed; while open it waits in its queue or is with one member of staff. Every change of status
 * or assignment is one move here, and each move appends exactly one event type. A closed contact
 * keeps the name of whoever last held it as history, not as work: only open contacts are held.
 */

/** Where a contact is in its life. `new` is a contact about to be stored. */
export type ContactState =
  | { status: 'new' }
  | { status: 'open'; assigneeId: string | null }
  | { status: 'closed' };

/** What can happen to a contact: the machine's events. */
export type ContactMove =
  /** It arrives (a message, a report, a callback): it is open and waits. */
  | { type: 'receive' }
  /** It enters its first queue. */
  | { type: 'route' }
  /** It goes back into its queue (re-opened), with fresh clocks. */
  | { type: 'requeue' }
  /** It moves to the control-room queue. */
  | { type: 'escalate' }
  /** Someone is given it: a supervisor's push, an operator taking it, or routing. */
  | { type: 'assign'; staffId: string; by: 'supervisor' | 'self' | 'routing'; staffName?: string }
  /** Whoever held it no longer does (taken back, gone offline, moved, escalated). */
  | { type: 'unassign' }
  /** It is closed with an outcome. */
  | { type: 'close' }
  /** A closed contact is opened again: by a new message on its thread, or by a member of staff. */
  | { type: 'reopen' };

/** The one event type each move appends. */
export const CONTACT_MOVE_EVENTS = {
  receive: 'contact.received',
  route: 'contact.routed',
  requeue: 'contact.requeued',
  escalate: 'contact.escalated',
  assign: 'contact.assigned',
  unassign: 'contact.unassigned',
  close: 'contact.closed',
  reopen: 'contact.reopened',
} as const satisfies Record<ContactMove['type'], string>;

export type ContactMoveEvent = (typeof CONTACT_MOVE_EVENTS)[ContactMove['type']];

/** A contact's state as the house test names it: open and waiting in its queue, or open and held by someone. */
type ContactStateName = 'new' | 'waiting' | 'held' | 'closed';
const OPEN = ['waiting', 'held'] as const satisfies readonly ContactStateName[];
const contactMove = (from: readonly ContactStateName[], to: readonly ContactStateName[] | 'same', move: ContactMove['type']): MoveDescription<ContactStateName> => ({ from, to, event: CONTACT_MOVE_EVENTS[move] });

/** The machine as the house test reads it. */
export const MACHINE = describeMachine({
  states: ['new', 'waiting', 'held', 'closed'],
  initial: ['new'],
  moves: {
    receive: contactMove(['new'], ['waiting'], 'receive'),
    route: contactMove(['waiting'], 'same', 'route'),
    requeue: contactMove(['waiting'], 'same', 'requeue'),
    escalate: contactMove(['waiting'], 'same', 'escalate'),
    assign: contactMove(['waiting'], ['held'], 'assign'),
    unassign: contactMove(['held'], ['waiting'], 'unassign'),
    close: contactMove(OPEN, ['closed'], 'close'),
    reopen: contactMove(['closed'], ['waiting'], 'reopen'),
  } satisfies Record<ContactMove['type'], MoveDescription<ContactStateName>>,
  owns: ['contact.'],
  otherEvents: {
    'contact.message_received': 'a further message on its thread: a message of the contact, whose reopening (if it was closed) is its own move',
    'contact.taken_over': "the contact moved to a newer thread of the person's: which thread it is on, not where it stands",
    'contact.message_copied': "one of its messages was copied onto the person's newer conversation: the message stays, and so does the contact",
    'contact.triaged': 'triage scored it: its priority, not its state',
    'contact.replied': 'staff replied on it: a message of the contact',
    'contact.acknowledged': 'the person was sent their reference: a message of the contact',
    'contact.viewed': 'a member of staff opened it: a read kept for the audit trail',
    'contact.callback_requested': 'a callback was asked for: a contact of its own, received by its own move',
    'contact.graded': 'graded: its urgency and target, not its state',
    'contact.regraded': 'regraded with a reason: its urgency and target, not its state',
  },
});

/** One allowed move: where it led, and the event type it appends. */
export type ContactTransition<E extends ContactMoveEvent = ContactMoveEvent> = { from: ContactState; to: ContactState; event: E };

type EventOf<M extends ContactMove> = (typeof CONTACT_MOVE_EVENTS)[M['type']];

/** Why a move was refused: stable, for code and tests; the message is for the member of staff. */
export type ContactRefusal = 'exists' | 'closed' | 'already_closed' | 'already_open' | 'already_with' | 'assigned' | 'not_assigned';

/** A move the machine refuses. A 409 `conflict` whose message says what to do instead. */
export class ContactMoveRefused extends MoveRefused<ContactRefusal> {
  override name = 'ContactMoveRefused';
}

/** What a member of staff may be trying to do to an open contact, for the "it is closed" message. */
export type OpenContactWork = 'reply' | 'assess' | 'grade' | 'move' | 'escalate' | 'call back';

const WORK_WORDS: Record<OpenContactWork, string> = {
  reply: 'replying',
  assess: 'assessing it',
  grade: 'grading it',
  move: 'moving it',
  escalate: 'escalating it',
  'call back': 'asking for a callback',
};

/** The state of a stored contact, from its row's status and assignee (none when not read). */
export function contactState(row: { status: 'open' | 'closed'; assigned_staff_id?: string | null }): ContactState {
  return row.status === 'closed' ? { status: 'closed' } : { status: 'open', assigneeId: row.assigned_staff_id ?? null };
}

/**
 * The columns a state gives the contact's row: its status, and while open who holds it (a closed
 * contact keeps the name of whoever last held it, as history).
 */
export function contactRow(state: ContactState): { status: 'open' | 'closed'; assigned_staff_id?: string | null } {
  if (state.status === 'new') throw new Error('a contact not yet received has no row');
  return state.status === 'closed' ? { status: 'closed' } : { status: 'open', assigned_staff_id: state.assigneeId };
}

/** Whether the contact is open: the one place that asks. */
export function isContactOpen(state: ContactState): state is { status: 'open'; assigneeId: string | null } {
  return state.status === 'open';
}

/** Refuses work on a closed contact, saying how to go on. */
export function requireOpenContact(state: ContactState, work: OpenContactWork): asserts state is { status: 'open'; assigneeId: string | null } {
  if (isContactOpen(state)) return;
  if (state.status === 'new') throw new ContactMoveRefused('closed', 'this contact has not been stored yet');
  throw new ContactMoveRefused('closed', `this contact is closed; reopen it before ${WORK_WORDS[work]}`);
}

function whom(move: { staffName?: string }): string {
  return move.staffName ?? 'that person';
}

/** The state a move leads to, or the refusal. Never throws. */
export function nextContactState(state: ContactState, move: ContactMove): ContactState | ContactMoveRefused {
  if (move.type === 'receive') {
    return state.status === 'new' ? { status: 'open', assigneeId: null } : new ContactMoveRefused('exists', 'this contact already exists');
  }
  if (state.status === 'new') return new ContactMoveRefused('closed', 'this contact has not been stored yet');
  if (move.type === 'reopen') {
    return state.status === 'closed' ? { status: 'open', assigneeId: null } : new ContactMoveRefused('already_open', 'this contact is already open');
  }
  if (state.status === 'closed') {
    return move.type === 'close'
      ? new ContactMoveRefused('already_closed', 'this contact is already closed')
      : new ContactMoveRefused('closed', 'this contact is closed; reopen it first if there is more to do');
  }
  switch (move.type) {
    case 'close':
      return { status: 'closed' };
    case 'route':
    case 'requeue':
    case 'escalate':
      // A contact enters a queue waiting; whoever held it lets go first (its own move and event).
      return state.assigneeId === null
        ? state
        : new ContactMoveRefused('assigned', 'this contact is with someone; take it back before moving it to a queue');
    case 'assign':
      if (state.assigneeId === move.staffId) return new ContactMoveRefused('already_with', `this contact is already with ${whom(move)}`);
      if (state.assigneeId !== null) {
        return new ContactMoveRefused(
          'assigned',
          move.by === 'supervisor' ? 'this contact is with someone else; take it back first' : 'this contact is already assigned; ask a supervisor to move it',
        );
      }
      return { status: 'open', assigneeId: move.staffId };
    case 'unassign':
      return state.assigneeId === null ? new ContactMoveRefused('not_assigned', 'this contact is not assigned to anyone') : { status: 'open', assigneeId: null };
  }
}

/** Applies one move: the new state and the event type to append, or throws the refusal. */
export function moveContact<M extends ContactMove>(state: ContactState, move: M): ContactTransition<EventOf<M>> {
  const to = nextContactState(state, move);
  if (to instanceof ContactMoveRefused) throw to;
  // Indexing by a generic key widens to every event type; the move's own type picks exactly one.
  const event = CONTACT_MOVE_EVENTS[move.type] as EventOf<M>;
  return { from: state, to, event };
}

/** Applies moves in turn (a push to someone else is an unassign then an assign); every transition, in order. */
export function moveContactThrough(state: ContactState, moves: readonly ContactMove[]): ContactTransition[] {
  const transitions: ContactTransition[] = [];
  let current = state;
  for (const move of moves) {
    const transition = moveContact(current, move);
    transitions.push(transition);
    current = transition.to;
  }
  return transitions;
}
