import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../../../../test/helpers.ts';
import { connectNotify, notifyFixture, outboxRow, queueWithDelivery } from '../../../../test/outbox/outbox-kit.ts';
import { journeyEventsOf, milestone, reportedCase, setPreferences } from '../../../../test/journeys/journey-kit.ts';
import { withForce } from '../../../platform/db/database.ts';
import { fixedClock } from '../../../platform/clock.ts';

// GOV.UK Notify forwards a STOP like any other text (it blocks nothing itself), so a received text
// that is only an opt-out keyword is recorded against the number, as Twilio's are: no journey,
// outbox text or staff reply goes to it until it texts START (decision 0067).

const TOKEN = 'notify-opt-out-callback-token';

describe('Notify opt-out keywords', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time: no text waits for the morning.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let received = 0;

  beforeAll(async () => {
    notify = await startStandIn();
    notify.respondWith(201, (n: number) => ({ ...notifyFixture('notification-created.json'), id: `0b0b0b0b-0000-4000-8000-${String(n).padStart(12, '0')}` }));
    app = await createTestApp({ overrides: { clock } });
    await connectNotify(app, app.demoForceId, notify.url, TOKEN);
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
  });

  /** A text to the force's Notify number, from a number as Notify writes it (447700900123); returns Notify's id for it. */
  const textUs = async (from: string, message: string, id?: string) => {
    received += 1;
    const textId = id ?? `d0d0d0d0-0000-4000-8000-${String(received).padStart(12, '0')}`;
    const payload = { ...notifyFixture('received-text-message.json'), id: textId, source_number: from, message };
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/notify/inbound-sms',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
    expect(response.statusCode, response.body).toBe(200);
    return textId;
  };
  const optOuts = () =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('sms_opt_outs').select(['phone_number', 'opted_out_at']).orderBy('phone_number').execute());
  const optedOut = async () => new Set((await optOuts()).map((r) => r.phone_number));
  const optOutEvents = (number: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'data']).where('type', 'like', 'sms.opted_%').orderBy('seq').execute(),
    ).then((rows) => rows.filter((r) => r.data.numberEnding === number.slice(-4)));
  const messagesOf = (number: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .innerJoin('identities as i', 'i.person_id', 'c.person_id')
        .select(['m.body', 'm.direction'])
        .where('m.channel', '=', 'sms_notify')
        .where('i.kind', '=', 'phone')
        .where('i.value', '=', number)
        .orderBy('m.created_at')
        .execute(),
    );

  it('records-stop-against-the-e164-number-once-opening-no-contact-and-texting-nothing-back', async () => {
    const before = notify.requests.length;
    // Notify retries a callback it got no answer to: the same text, the same id.
    for (let i = 0; i < 2; i += 1) await textUs('07700 900401', ' Stop ', 'e0e0e0e0-0000-4000-8000-000000000401');
    await app.runner?.runDue();
    expect(await optOuts()).toContainEqual({ phone_number: '+447700900401', opted_out_at: clock.now() });
    expect(await optOutEvents('+447700900401')).toEqual([{ type: 'sms.opted_out', data: { channel: 'sms_notify', numberEnding: '0401' } }]);
    expect(await messagesOf('+447700900401')).toEqual([]);
    expect(notify.requests.slice(before)).toEqual([]);
  });

  it('records-the-english-and-welsh-opt-out-keywords-and-keeps-other-words-as-messages-for-staff', async () => {
    const keywords = ['STOPALL', 'unsubscribe', 'Stopio', 'dad-danysgrifio'].map((message, i) => ({ message, from: `44770090041${i}` }));
    // Twilio's CANCEL, END, QUIT and YES, its HELP, and a sentence with STOP in it may all be meant for the police.
    const messages = ['CANCEL', 'end', 'Quit', 'YES', 'HELP', 'Stop. He is outside again'].map((message, i) => ({ message, from: `44770090042${i}` }));
    for (const { message, from } of [...keywords, ...messages]) await textUs(from, message);
    const held = await optedOut();
    expect(keywords.map((k) => `+${k.from}`).filter((n) => !held.has(n))).toEqual([]);
    expect(messages.map((m) => `+${m.from}`).filter((n) => held.has(n))).toEqual([]);
    for (const { message, from } of messages) expect(await messagesOf(`+${from}`)).toEqual([{ body: message, direction: 'inbound' }]);
  });

  it('forgets-the-opt-out-on-start-unstop-or-dechrau-once-however-often-it-comes', async () => {
    const numbers = ['START', ' unstop ', 'Dechrau'].map((word, i) => ({ word, from: `44770090043${i}` }));
    for (const { from } of numbers) await textUs(from, 'STOP');
    for (const { word, from } of numbers) for (let i = 0; i < 2; i += 1) await textUs(from, word, `f0f0f0f0-0000-4000-8000-00000000043${numbers.findIndex((n) => n.from === from)}`);
    const held = await optedOut();
    expect(numbers.filter(({ from }) => held.has(`+${from}`))).toEqual([]);
    expect((await optOutEvents('+447700900430')).map((e) => e.type)).toEqual(['sms.opted_out', 'sms.opted_in']);
    expect(await messagesOf('+447700900430')).toEqual([]);
  });

  it('refuses-a-staff-reply-to-a-number-that-texted-stop-to-notify-saying-why', async () => {
    const reportId = await textUs('447700900440', 'Someone is trying car doors on our street');
    await app.runner?.runDue();
    const contactId = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', reportId).executeTakeFirstOrThrow(),
    ).then((r) => r.contact_id);
    await textUs('447700900440', 'STOP');

    const handler = await signIn(app, 'handler@demo.police.uk');
    const before = notify.requests.length;
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'An officer will call.' } });
    expect(reply.statusCode).toBe(201);
    const messageId = reply.json<{ message: { id: string } }>().message.id;
    await app.runner?.runDue();
    expect(notify.requests.slice(before)).toEqual([]);
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const sent = detail.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === messageId);
    expect(sent).toMatchObject({ deliveryStatus: 'failed' });
    expect(sent?.deliveryError).toMatch(/replied STOP to our texts.*START/);
  });

  it('sends-no-journey-or-outbox-text-to-a-victim-who-texted-stop-to-notify', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email', 'portal'] });
    await app.runner?.runDue();
    // Notify gives the number without its plus; the case holds it in E.164.
    await textUs(victim.phone.slice(1), 'STOP');

    const before = notify.requests.length;
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();
    const arrest = (await journeyEventsOf(app, victim.caseId)).filter((e) => e.data.step === 'case.suspect_arrested');
    expect(arrest).toContainEqual({ type: 'journey.message_suppressed', data: expect.objectContaining({ channel: 'sms', reason: 'replied STOP to our texts' }) });
    expect(arrest).toContainEqual({ type: 'journey.message_queued', data: expect.objectContaining({ channel: 'email' }) });

    // A text queued for the number all the same (an older journey message) is never handed to Notify.
    const queued = await queueWithDelivery(app, app.demoForceId, [{ channel: 'sms', recipient: victim.phone, subject: '', body: 'Your case has been allocated.' }], {
      caseId: victim.caseId,
    });
    await app.runner?.runDue();
    expect(await outboxRow(app, app.demoForceId, queued)).toMatchObject({ status: 'failed', last_error: 'sms: replied STOP to our texts' });
    expect(notify.requests.slice(before).filter((r) => r.url === '/v2/notifications/sms')).toEqual([]);
  });
});
