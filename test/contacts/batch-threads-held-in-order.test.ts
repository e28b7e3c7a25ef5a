// One provider request may carry several messages, recorded in one transaction. Each message holds
// its thread's contact before deciding on it (decision 0193); a batch holds all of them before the
// first is recorded, in id order (decision 0198), so two batches reaching the same contacts in
// opposite orders take turns instead of each holding one the other waits for. Only PostgreSQL runs
// two transactions at once: there the batches are held together; PGlite runs the batches in turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import type { InboundMessage } from '../../src/capabilities/intake/intake.schema.ts';
import { addPhoneIdentities } from '../../src/capabilities/people/people.service.ts';
import { createRoutingWorld, openRoutingApp, recordBatch, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

type Handle = { kind: 'email' | 'phone'; value: string };

let sent = 0;
/** A message on the generic API channel from `from`, on thread `thread`. */
const message = (from: Handle, thread: string, body: string): InboundMessage => {
  sent += 1;
  return { providerMessageId: `batch-held-${sent}`, threadKey: thread, sender: { ...from, displayName: null }, body, sentAt: null };
};


/** What a batch came to: `recorded`, or the error that rolled it back (a deadlock PostgreSQL broke). */
const outcomeOf = (w: RoutingWorld, messages: InboundMessage[]) => () =>
  recordBatch(w, messages).then(
    () => 'recorded',
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );

const contactOfBody = async (w: RoutingWorld, body: string) =>
  (await withSystem(w.app.database.db, (tx) => tx.selectFrom('messages').select('contact_id').where('force_id', '=', w.forceId).where('body', '=', body).execute())).map((row) => row.contact_id);

/** The contact's inbound messages (bodies, in the order stored) and its event types. */
async function contactRecord(w: RoutingWorld, contactId: string) {
  const messages = await withSystem(w.app.database.db, (tx) =>
    tx.selectFrom('messages').select('body').where('contact_id', '=', contactId).where('direction', '=', 'inbound').orderBy('created_at').orderBy('seq').execute(),
  );
  const events = await w.events(contactId);
  return {
    messages: messages.map((row) => row.body),
    received: events.filter((e) => e.type === 'contact.received').length,
    messageReceived: events.filter((e) => e.type === 'contact.message_received').length,
  };
}

/**
 * One person known by an email address and two phone numbers (`phones`), with two open contacts on the API
 * channel begun from the address: X on thread `x`, Y on thread `y`.
 */
async function personWithTwoContacts(w: RoutingWorld, name: string, phones: [string, string]) {
  const email: Handle = { kind: 'email', value: `${name}@example.org` };
  const [x, y] = await recordBatch(w, [message(email, 'x', `${name}: first about X`), message(email, 'y', `${name}: first about Y`)]);
  if (!x || !y || x === y) throw new Error('expected two contacts');
  const { person_id: personId } = await withSystem(w.app.database.db, (tx) => tx.selectFrom('contacts').select('person_id').where('id', '=', x).executeTakeFirstOrThrow());
  if (!personId) throw new Error('the contact has no person');
  const added = await withForce(w.app.database.db, w.forceId, (tx) => addPhoneIdentities(tx, w.forceId, w.clock, phones.map((phone) => ({ personId, phone }))));
  expect(added).toHaveLength(2);
  // What follows reaches us a minute later, so each contact's messages read in the order stored.
  w.clock.advance(60_000);
  const phone: Handle = { kind: 'phone', value: phones[0] };
  const otherPhone: Handle = { kind: 'phone', value: phones[1] };
  return { x, y, email, phone, otherPhone };
}

const peopleCreated = async (w: RoutingWorld) =>
  (await withSystem(w.app.database.db, (tx) => tx.selectFrom('events').select('id').where('force_id', '=', w.forceId).where('type', '=', 'person.created').execute())).length;

describe(`a batch holds its messages' contacts in one order (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld(shared);
  });
  afterAll(() => w.close());

  it('records-each-message-of-one-batch-from-two-handles-of-one-person-on-its-own-thread', async () => {
    const { x, y, email, phone } = await personWithTwoContacts(w, 'sam', ['07700 900101', '07700 900102']);
    const people = await peopleCreated(w);
    const batch = [message(phone, 'y', 'sam: by phone about Y'), message(email, 'x', 'sam: by email about X'), message(phone, 'x', 'sam: by phone about X')];
    expect(await recordBatch(w, batch)).toEqual([y, x, x]);
    // The provider's retry of the same request stores nothing again.
    expect(await recordBatch(w, batch)).toEqual([y, x, x]);
    expect(await contactRecord(w, x)).toEqual({ messages: ['sam: first about X', 'sam: by email about X', 'sam: by phone about X'], received: 1, messageReceived: 2 });
    expect(await contactRecord(w, y)).toEqual({ messages: ['sam: first about Y', 'sam: by phone about Y'], received: 1, messageReceived: 1 });
    expect(await peopleCreated(w)).toBe(people);
  });

  it.skipIf(ENGINE !== 'postgres')('two-batches-reaching-two-contacts-in-opposite-orders-both-record', async () => {
    const { x, y, email, phone, otherPhone } = await personWithTwoContacts(w, 'kit', ['07700 900201', '07700 900202']);
    // One batch from two of the person's handles (X, then Y), one from the third (Y, then X): no
    // handle in common, so nothing else makes them take turns. Someone holds both contacts (as a
    // staff move would) while the first batch and then the second come to wait on them.
    const first = [message(email, 'x', 'kit: X from the first batch'), message(phone, 'y', 'kit: Y from the first batch')];
    const second = [message(otherPhone, 'y', 'kit: Y from the second batch'), message(otherPhone, 'x', 'kit: X from the second batch')];
    const holdBoth = `select id from contacts where id in ('${x}', '${y}') for update`;
    const outcomes = await heldTogether(w.app, holdBoth, [outcomeOf(w, first), outcomeOf(w, second)]);
    expect(outcomes).toEqual(['recorded', 'recorded']);
    for (const body of ['kit: X from the first batch', 'kit: X from the second batch']) expect(await contactOfBody(w, body)).toEqual([x]);
    for (const body of ['kit: Y from the first batch', 'kit: Y from the second batch']) expect(await contactOfBody(w, body)).toEqual([y]);
    expect(await contactRecord(w, x)).toMatchObject({ received: 1, messageReceived: 2 });
    expect(await contactRecord(w, y)).toMatchObject({ received: 1, messageReceived: 2 });
  });

  it.skipIf(ENGINE !== 'postgres')('a-batch-beginning-a-contact-and-one-continuing-a-contact-first-both-record', async () => {
    const { x, email, phone } = await personWithTwoContacts(w, 'lou', ['07700 900301', '07700 900302']);
    // The second batch begins a contact (the force's reference counter) and then continues X; the
    // first continues X and then begins one. Held one by one, the first held X and waited for the
    // counter the second held while it waited for X.
    const first = [message(phone, 'x', 'lou: X from the first batch'), message({ kind: 'email', value: 'new-one@example.org' }, 'n1', 'new-one: a new contact')];
    const second = [message({ kind: 'email', value: 'new-two@example.org' }, 'n2', 'new-two: a new contact'), message(email, 'x', 'lou: X from the second batch')];
    const outcomes = await heldTogether(w.app, `select id from contacts where id = '${x}' for update`, [outcomeOf(w, first), outcomeOf(w, second)]);
    expect(outcomes).toEqual(['recorded', 'recorded']);
    expect(await contactOfBody(w, 'lou: X from the first batch')).toEqual([x]);
    expect(await contactOfBody(w, 'lou: X from the second batch')).toEqual([x]);
    expect(await contactRecord(w, x)).toMatchObject({ received: 1, messageReceived: 2 });
    for (const body of ['new-one: a new contact', 'new-two: a new contact']) {
      const [contact] = await contactOfBody(w, body);
      if (!contact) throw new Error(`${body} was not stored`);
      expect(await contactRecord(w, contact)).toEqual({ messages: [body], received: 1, messageReceived: 0 });
    }
  });
});
