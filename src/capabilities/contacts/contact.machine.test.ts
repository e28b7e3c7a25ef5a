import { describe, expect, it } from 'vitest';
import { machineDisagreements } from '../../../test/machine-walk.ts';
import { MACHINE as CONTACT_MACHINE } from './contact.machine.ts';
import {
  CONTACT_MOVE_EVENTS,
  ContactMoveRefused,
  contactRow,
  contactState,
  isContactOpen,
  moveContact,
  moveContactThrough,
  nextContactState,
  requireOpenContact,
  type ContactMove,
  type ContactRefusal,
  type ContactState,
} from './contact.machine.ts';
import { isCataloguedType } from '../../platform/events/catalogue.ts';
import '../audit/catalogue.events.ts';

const ANN = 'staff-ann';
const BOB = 'staff-bob';

const NEW: ContactState = { status: 'new' };
const WAITING: ContactState = { status: 'open', assigneeId: null };
const WITH_ANN: ContactState = { status: 'open', assigneeId: ANN };
const WITH_BOB: ContactState = { status: 'open', assigneeId: BOB };
const CLOSED: ContactState = { status: 'closed' };

const STATES: Record<string, ContactState> = { new: NEW, waiting: WAITING, 'with Ann': WITH_ANN, closed: CLOSED };

const MOVES: Record<string, ContactMove> = {
  receive: { type: 'receive' },
  route: { type: 'route' },
  requeue: { type: 'requeue' },
  escalate: { type: 'escalate' },
  'push to Ann': { type: 'assign', staffId: ANN, by: 'supervisor', staffName: 'Ann' },
  'Ann takes': { type: 'assign', staffId: ANN, by: 'self', staffName: 'Ann' },
  'route to Ann': { type: 'assign', staffId: ANN, by: 'routing' },
  'push to Bob': { type: 'assign', staffId: BOB, by: 'supervisor', staffName: 'Bob' },
  'Bob takes': { type: 'assign', staffId: BOB, by: 'self', staffName: 'Bob' },
  'route to Bob': { type: 'assign', staffId: BOB, by: 'routing' },
  unassign: { type: 'unassign' },
  close: { type: 'close' },
  reopen: { type: 'reopen' },
};

type Row = [state: string, move: string, outcome: ContactState | ContactRefusal];

/** Every state against every move: where it leads, or why it is refused. */
const TABLE: Row[] = [
  ['new', 'receive', WAITING],
  ...(['route', 'requeue', 'escalate', 'push to Ann', 'Ann takes', 'route to Ann', 'push to Bob', 'Bob takes', 'route to Bob', 'unassign', 'close', 'reopen'].map(
    (move): Row => ['new', move, 'closed'],
  )),

  ['waiting', 'receive', 'exists'],
  ['waiting', 'route', WAITING],
  ['waiting', 'requeue', WAITING],
  ['waiting', 'escalate', WAITING],
  ['waiting', 'push to Ann', WITH_ANN],
  ['waiting', 'Ann takes', WITH_ANN],
  ['waiting', 'route to Ann', WITH_ANN],
  ['waiting', 'push to Bob', WITH_BOB],
  ['waiting', 'Bob takes', WITH_BOB],
  ['waiting', 'route to Bob', WITH_BOB],
  ['waiting', 'unassign', 'not_assigned'],
  ['waiting', 'close', CLOSED],
  ['waiting', 'reopen', 'already_open'],

  ['with Ann', 'receive', 'exists'],
  ['with Ann', 'route', 'assigned'],
  ['with Ann', 'requeue', 'assigned'],
  ['with Ann', 'escalate', 'assigned'],
  ['with Ann', 'push to Ann', 'already_with'],
  ['with Ann', 'Ann takes', 'already_with'],
  ['with Ann', 'route to Ann', 'already_with'],
  ['with Ann', 'push to Bob', 'assigned'],
  ['with Ann', 'Bob takes', 'assigned'],
  ['with Ann', 'route to Bob', 'assigned'],
  ['with Ann', 'unassign', WAITING],
  ['with Ann', 'close', CLOSED],
  ['with Ann', 'reopen', 'already_open'],

  ['closed', 'receive', 'exists'],
  ...(['route', 'requeue', 'escalate', 'push to Ann', 'Ann takes', 'route to Ann', 'push to Bob', 'Bob takes', 'route to Bob', 'unassign'].map(
    (move): Row => ['closed', move, 'closed'],
  )),
  ['closed', 'close', 'already_closed'],
  ['closed', 'reopen', WAITING],
];

describe('the contact state machine', () => {
  it('has a row for every state and every move', () => {
    const covered = new Set(TABLE.map(([state, move]) => `${state} / ${move}`));
    for (const state of Object.keys(STATES)) for (const move of Object.keys(MOVES)) expect(covered).toContain(`${state} / ${move}`);
    expect(TABLE).toHaveLength(Object.keys(STATES).length * Object.keys(MOVES).length);
  });

  for (const [stateName, moveName, outcome] of TABLE) {
    const state = STATES[stateName] as ContactState;
    const move = MOVES[moveName] as ContactMove;
    if (typeof outcome === 'string') {
      it(`refuses ${moveName} when ${stateName} (${outcome})`, () => {
        const result = nextContactState(state, move);
        expect(result).toBeInstanceOf(ContactMoveRefused);
        const refused = result as ContactMoveRefused;
        expect(refused.refusal).toBe(outcome);
        // A 409 a person can act on: a whole sentence, never an internal name.
        expect(refused.code).toBe('conflict');
        expect(refused.status).toBe(409);
        expect(refused.publicMessage).toMatch(/^this contact /);
        expect(() => moveContact(state, move)).toThrow(refused.message);
      });
    } else {
      it(`allows ${moveName} when ${stateName}, appending ${CONTACT_MOVE_EVENTS[move.type]}`, () => {
        const transition = moveContact(state, move);
        expect(transition).toEqual({ from: state, to: outcome, event: CONTACT_MOVE_EVENTS[move.type] });
      });
    }
  }

  it('names refusals after the person when it knows them', () => {
    expect(() => moveContact(WITH_ANN, { type: 'assign', staffId: ANN, by: 'supervisor', staffName: 'Ann Example' })).toThrow(
      'this contact is already with Ann Example',
    );
    expect(() => moveContact(WITH_ANN, { type: 'assign', staffId: BOB, by: 'self' })).toThrow('ask a supervisor to move it');
    expect(() => moveContact(WITH_ANN, { type: 'assign', staffId: BOB, by: 'supervisor' })).toThrow('take it back first');
  });

  it('moves through several transitions in turn: a push from one person to another is an unassign then an assign', () => {
    const transitions = moveContactThrough(WITH_ANN, [{ type: 'unassign' }, { type: 'assign', staffId: BOB, by: 'supervisor' }]);
    expect(transitions.map((t) => t.event)).toEqual(['contact.unassigned', 'contact.assigned']);
    expect(transitions.at(-1)?.to).toEqual(WITH_BOB);
    expect(() => moveContactThrough(CLOSED, [{ type: 'reopen' }, { type: 'reopen' }])).toThrow('already open');
  });

  it('appends only event types the catalogue has', () => {
    for (const type of Object.values(CONTACT_MOVE_EVENTS)) expect(isCataloguedType(type)).toBe(true);
  });

  it('reads a stored contact: a closed one is held by nobody', () => {
    expect(contactState({ status: 'open', assigned_staff_id: null })).toEqual(WAITING);
    expect(contactState({ status: 'open', assigned_staff_id: ANN })).toEqual(WITH_ANN);
    expect(contactState({ status: 'closed', assigned_staff_id: ANN })).toEqual(CLOSED);
  });

  it('says what each state writes to the row: a closed contact keeps its last holder as history', () => {
    expect(contactRow(WAITING)).toEqual({ status: 'open', assigned_staff_id: null });
    expect(contactRow(WITH_ANN)).toEqual({ status: 'open', assigned_staff_id: ANN });
    expect(contactRow(CLOSED)).toEqual({ status: 'closed' });
    expect(() => contactRow(NEW)).toThrow();
  });

  it('asks "is it open?" in one place, and tells staff to reopen what is closed', () => {
    expect([NEW, WAITING, WITH_ANN, CLOSED].map(isContactOpen)).toEqual([false, true, true, false]);
    expect(() => requireOpenContact(WITH_ANN, 'reply')).not.toThrow();
    expect(() => requireOpenContact(CLOSED, 'reply')).toThrow('this contact is closed; reopen it before replying');
    expect(() => requireOpenContact(CLOSED, 'assess')).toThrow('reopen it before assessing it');
    expect(() => requireOpenContact(CLOSED, 'grade')).toThrow('reopen it before grading it');
    const refused = nextContactState(CLOSED, { type: 'escalate' });
    expect(refused).toBeInstanceOf(ContactMoveRefused);
    expect((refused as ContactMoveRefused).refusal).toBe('closed');
    expect(() => requireOpenContact(CLOSED, 'escalate')).toThrow(ContactMoveRefused);
  });
});

describe("a contact's description", () => {
  it('is-described-as-it-moves', () => {
    const name = (state: ContactState) => (state.status === 'open' ? (state.assigneeId === null ? 'waiting' : 'held') : state.status);
    const byType = (type: ContactMove['type']) => Object.values(MOVES).filter((move) => move.type === type);
    const findings = machineDisagreements(CONTACT_MACHINE, {
      states: { new: [NEW], waiting: [WAITING], held: [WITH_ANN, WITH_BOB], closed: [CLOSED] },
      moves: Object.fromEntries(Object.keys(CONTACT_MOVE_EVENTS).map((type) => [type, byType(type as ContactMove['type'])])),
      apply: (state: ContactState, move: ContactMove) => {
        const to = nextContactState(state, move);
        return to instanceof ContactMoveRefused ? null : { to: name(to), event: CONTACT_MOVE_EVENTS[move.type] };
      },
    });
    expect(findings).toEqual([]);
  });
});
