// A sender nobody knows yet (an email from an address never seen) has no contact of their own: the
// only thread they can continue is one where they answer a message we sent. A batch looks up its
// messages' threads before it records any of them (decision 0198), with no person for such a sender;
// the look-up must find what recording the message then joins, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import type { InboundMessage } from '../../src/capabilities/intake/intake.schema.ts';
import { findThread, type InboundContext } from '../../src/capabilities/intake/threads.service.ts';
import { insertMessages } from '../../src/capabilities/contacts/messages.repository.ts';
import { createRoutingWorld, openRoutingApp, recordBatch, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

const CTX: InboundContext = { channel: 'api', channelAccountId: null, inboundRequestId: null, reopenWithinHours: 72 };

let sent = 0;
/** A message on the generic API channel from the address `from`, on thread `thread`. */
const message = (from: string, thread: string, body: string, extra: Partial<InboundMessage> = {}): InboundMessage => {
  sent += 1;
  return { providerMessageId: `unknown-sender-${sent}`, threadKey: thread, sender: { kind: 'email', value: from, displayName: null }, body, sentAt: null, ...extra };
};

/** The contact a message with no person would continue, as a batch's look-up finds it. */
const threadForNoPerson = (w: RoutingWorld, m: InboundMessage) => withForce(w.app.database.db, w.forceId, (tx) => findThread(tx, w.forceId, w.clock, CTX, null, m));

/** A known reporter's open contact, its reference, its first message's provider id, and the provider id of a reply we sent on it. */
async function contactWithOurReply(w: RoutingWorld, name: string) {
  const first = message(`${name}@example.org`, `${name}-thread`, `${name}: my bike was stolen`);
  const [contactId] = await recordBatch(w, [first]);
  if (!contactId) throw new Error('expected a contact');
  const { reference } = await withSystem(w.app.database.db, (tx) => tx.selectFrom('contacts').select('reference').where('id', '=', contactId).executeTakeFirstOrThrow());
  const ourId = `${name}-our-reply@bluelamp.outbox`;
  await withForce(w.app.database.db, w.forceId, (tx) =>
    insertMessages(tx, [
      {
        id: newId(),
        force_id: w.forceId,
        contact_id: contactId,
        direction: 'outbound',
        channel: 'api',
        body: 'Thank you, an officer will call you.',
        provider_message_id: ourId,
        author_staff_id: null,
        created_at: w.clock.now(),
        delivery_status: 'sent',
        meta: '{}',
      },
    ]),
  );
  w.clock.advance(60_000);
  return { contactId, reference, theirId: first.providerMessageId, ourId };
}

describe(`the thread of a message from a sender nobody knows (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld(shared);
  });
  afterAll(() => w.close());

  it('finds-the-contact-whose-message-we-sent-that-an-unknown-sender-answers', async () => {
    const { contactId, ourId } = await contactWithOurReply(w, 'ana');
    const answer = message('ana.partner@example.net', 'partner-thread', 'ana partner: I saw who took it', { inReplyTo: ['', ourId] });
    expect((await threadForNoPerson(w, answer))?.id).toBe(contactId);
    // Recorded with another message in one batch, the answer joins that contact, as the look-up foresaw.
    const [joined, other] = await recordBatch(w, [answer, message('someone.else@example.net', 'else-thread', 'someone else: a new matter')]);
    expect(joined).toBe(contactId);
    expect(other).not.toBe(contactId);
  });

  it('hides-a-contact-from-an-unknown-sender-who-names-only-the-reporter-s-own-message', async () => {
    const { theirId } = await contactWithOurReply(w, 'ben');
    // A stranger copied in on the reporter's own mail knows its id: that is not enough.
    expect(await threadForNoPerson(w, message('cc.stranger@example.net', 'cc-thread', 'stranger: re your mail', { inReplyTo: [theirId] }))).toBeNull();
  });

  it('hides-a-contact-from-an-unknown-sender-who-quotes-its-reference-or-writes-on-its-thread', async () => {
    const { reference } = await contactWithOurReply(w, 'cat');
    expect(await threadForNoPerson(w, message('guesser@example.net', 'guess-thread', `Re: ${reference}`, { referenceHint: reference }))).toBeNull();
    expect(await threadForNoPerson(w, message('guesser@example.net', 'cat-thread', 'on the same thread key'))).toBeNull();
    // Recorded, each begins a contact of its own.
    const [byReference, byThread] = await recordBatch(w, [
      message('guesser@example.net', 'guess-thread-2', `Re: ${reference}`, { referenceHint: reference }),
      message('guesser@example.net', 'cat-thread', 'on the same thread key again'),
    ]);
    const references = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('contacts').select('reference').where('id', 'in', [byReference ?? '', byThread ?? '']).execute(),
    );
    expect(references.map((row) => row.reference)).not.toContain(reference);
  });
});
