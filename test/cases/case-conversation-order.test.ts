// Staff read a case's secure-message conversation in the order its messages reached us, so a
// victim's message held back on the way (sent before the officer's reply, received after it) read
// as an answer to that reply. The conversation is now in the order a conversation is read
// (decision 0186): by when the victim sent each message where believed (decision 0172), else when
// it reached us; a reply by when it was written; equal times in the order stored. Each message
// carries its sent time, so a screen can say why. The victim's case page orders the same way.
// The contact's own thread in the console (`GET /api/contacts/{id}`) was still in the order
// received, so staff read one order on the contact and another on its case; and the case's threads
// stood by when their first message reached us. Both now follow the same rule.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

const MINUTE = 60 * 1000;

type Message = { from: string; body: string; at: string; sentAt?: string | null };

describe(`the order of a case's conversation for staff (${ENGINE})`, () => {
  let app: TestApp;
  const start = new Date('2026-06-01T09:00:00Z');
  const clock = fixedClock(start);
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  it('orders-the-victim-s-messages-by-when-they-sent-them-else-when-received-ties-in-stored-order', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    // Within the half hour of the victim's sign-in.
    const { visitor, caseId } = await victimOnCasePage(app, handler, { ip: '10.93.0.1', email: `conversation.order.${randomUUID()}@example.org` });
    const marker = randomUUID();
    const send = async (words: string) => {
      const page = await visitor.open('/check/case');
      const sent = await visitor.post('/check/case/message', { message: `${marker} ${words}`, submissionId: /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '' });
      expect(sent.statusCode, sent.body).toBe(303);
    };
    const conversation = async () => {
      const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/conversation`, headers: investigator.headers });
      expect(response.statusCode, response.body).toBe(200);
      const [thread] = response.json<{ threads: { messages: Message[] }[] }>().threads;
      return thread?.messages ?? [];
    };

    clock.set(at(0));
    await send('first');
    const [first] = await conversation();
    clock.set(at(2));
    const contactId = await withSystem(app.database.db, async (tx) => (await tx.selectFrom('messages').select('contact_id').where('body', '=', `${marker} first`).executeTakeFirstOrThrow()).contact_id);
    const replied = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/conversation/replies`, headers: investigator.headers, payload: { contactId, body: `${marker} reply` } });
    expect(replied.statusCode, replied.body).toBe(201);
    clock.set(at(4));
    await send('held back');
    clock.set(at(8));
    await send('untimed');
    clock.set(at(12));
    await send('tied');
    await withSystem(app.database.db, async (tx) => {
      // Sent before the first though it reached us after the reply, held back on the way.
      await sql`update messages set sent_at = ${at(-5)} where body = ${`${marker} held back`}`.execute(tx);
      await sql`update messages set sent_at = null where body = ${`${marker} untimed`}`.execute(tx);
      // Sent at the moment the untimed one reached us: stored after it, so after it.
      await sql`update messages set sent_at = ${at(8)} where body = ${`${marker} tied`}`.execute(tx);
    });

    const messages = (await conversation()).filter((m) => m.body.startsWith(marker));
    expect(first?.body).toBe(`${marker} first`);
    expect(messages.map((m) => m.body.slice(marker.length + 1))).toEqual(['held back', 'first', 'reply', 'untimed', 'tied']);
    expect(messages.map((m) => m.from)).toEqual(['victim', 'victim', 'staff', 'victim', 'victim']);
    // Each keeps when it reached us, and says when it was sent where believed.
    expect(messages.map((m) => [m.at, m.sentAt])).toEqual([
      [at(4).toISOString(), at(-5).toISOString()],
      [at(0).toISOString(), at(0).toISOString()],
      [at(2).toISOString(), null],
      [at(8).toISOString(), null],
      [at(12).toISOString(), at(8).toISOString()],
    ]);

    // The victim's case page reads the same conversation in the same order, newest first.
    const page = await visitor.open('/check/case');
    expect(page.statusCode).toBe(200);
    const shown = [...page.body.matchAll(/data-testid="case-update" data-kind="(?:sent|reply)">[\s\S]*?<\/li>/g)]
      .map((m) => new RegExp(`${marker} ([a-z ]+)`).exec(m[0])?.[1])
      .filter((words) => words !== undefined);
    expect(shown).toEqual(['tied', 'untimed', 'reply', 'first', 'held back']);
  });
});

describe(`a contact's thread and a case's threads in the order sent (${ENGINE})`, () => {
  let app: TestApp;
  const start = new Date('2026-06-02T09:00:00Z');
  const clock = fixedClock(start);
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  /** A victim on their case page, and the messages they send from it, each with its marker. */
  async function victimSending(email: string, ip: string) {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const { visitor, caseId } = await victimOnCasePage(app, handler, { ip, email });
    const marker = randomUUID();
    const send = async (words: string) => {
      const page = await visitor.open('/check/case');
      const sent = await visitor.post('/check/case/message', { message: `${marker} ${words}`, submissionId: /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '' });
      expect(sent.statusCode, sent.body).toBe(303);
    };
    const contactOf = (words: string) =>
      withSystem(app.database.db, async (tx) => (await tx.selectFrom('messages').select('contact_id').where('body', '=', `${marker} ${words}`).executeTakeFirstOrThrow()).contact_id);
    const setSentAt = (words: string, sentAt: Date | null) => withSystem(app.database.db, (tx) => sql`update messages set sent_at = ${sentAt} where body = ${`${marker} ${words}`}`.execute(tx));
    const threads = async () => {
      const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/conversation`, headers: investigator.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ threads: { contactId: string; messages: Message[] }[] }>().threads;
    };
    const words = (messages: readonly Message[]) => messages.filter((m) => m.body.startsWith(marker)).map((m) => m.body.slice(marker.length + 1));
    return { handler, investigator, caseId, marker, send, contactOf, setSentAt, threads, words };
  }

  it('orders-a-contact-s-own-thread-as-its-case-conversation-by-when-sent-else-received-ties-in-stored-order', async () => {
    const victim = await victimSending(`contact.thread.order.${randomUUID()}@example.org`, '10.93.0.2');
    clock.set(at(0));
    await victim.send('first');
    const contactId = await victim.contactOf('first');
    clock.set(at(2));
    const replied = await app.inject({ method: 'POST', url: `/api/cases/${victim.caseId}/conversation/replies`, headers: victim.investigator.headers, payload: { contactId, body: `${victim.marker} reply` } });
    expect(replied.statusCode, replied.body).toBe(201);
    clock.set(at(4));
    await victim.send('held back');
    clock.set(at(8));
    await victim.send('untimed');
    clock.set(at(12));
    await victim.send('tied');
    await victim.setSentAt('held back', at(-5));
    await victim.setSentAt('untimed', null);
    await victim.setSentAt('tied', at(8));

    const contact = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: victim.handler.headers });
    expect(contact.statusCode, contact.body).toBe(200);
    const thread = contact.json<{ messages: (Message & { createdAt: string })[] }>().messages;
    expect(victim.words(thread)).toEqual(['held back', 'first', 'reply', 'untimed', 'tied']);
    // Every message of the contact, the acknowledgement and the reply too, in the order of the
    // case's conversation: the same rule, read once.
    const [onCase] = await victim.threads();
    const caseOrder = (onCase?.messages ?? []).map((m) => m.body);
    expect(thread.map((m) => m.body).filter((body) => caseOrder.includes(body))).toEqual(caseOrder);
  });

  it('orders-a-case-s-threads-by-when-their-first-message-was-sent-newest-first', async () => {
    const victim = await victimSending(`case.threads.order.${randomUUID()}@example.org`, '10.93.0.3');
    clock.set(at(20));
    await victim.send('earlier thread');
    const earlier = await victim.contactOf('earlier thread');
    const closed = await app.inject({ method: 'POST', url: `/api/contacts/${earlier}/close`, headers: victim.handler.headers, payload: { outcome: 'advice_given' } });
    expect(closed.statusCode, closed.body).toBe(200);
    // Closed long enough ago that a new message starts a thread of its own (the force's reopening window).
    await withSystem(app.database.db, (tx) => sql`update contacts set closed_at = closed_at - interval '73 hours' where id = ${earlier}`.execute(tx));
    clock.set(at(24));
    await victim.send('later thread');
    const later = await victim.contactOf('later thread');
    expect(later).not.toBe(earlier);
    // Received after the other thread began, sent before it: the older thread, so shown below it.
    await victim.setSentAt('later thread', at(10));

    const threads = await victim.threads();
    expect(threads.map((thread) => victim.words(thread.messages)[0])).toEqual(['earlier thread', 'later thread']);
  });
});
