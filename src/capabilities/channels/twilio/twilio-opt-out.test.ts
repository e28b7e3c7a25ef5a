import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../../../../test/helpers.ts';
import { withForce } from '../../../platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../../../../test/channels/twilio-kit.ts';

// A number that replies STOP to the force's Twilio number is recorded against the force, so
// nothing of ours tries to text it (Twilio would refuse with 21610), until it texts START.

describe('Twilio opt-out keywords', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let accountId: string;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    accountId = (await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null })).id;
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMoptout${String(n).padStart(26, '0')}` }));
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const inbound = (changes: Record<string, string>) => {
    const body = withParams(fixture('inbound-sms.form'), { SmsSid: changes.MessageSid ?? null, SmsMessageSid: changes.MessageSid ?? null, ...changes });
    return app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', body) }, payload: body });
  };
  const optOuts = () =>
    withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('sms_opt_outs').select(['phone_number', 'channel_account_id']).orderBy('phone_number').execute());
  const optOutEvents = (number: string) =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'subject_id', 'data']).where('type', 'like', 'sms.opted_%').orderBy('seq').execute(),
    ).then((rows) => rows.filter((r) => r.data.numberEnding === number.slice(-4)));

  it('records-stop-against-the-number-once-however-often-twilio-retries', async () => {
    const from = '+447700900301';
    for (let i = 0; i < 2; i += 1) expect((await inbound({ MessageSid: 'SMstop301', From: from, Body: ' Stop ' })).statusCode).toBe(200);
    expect(await optOuts()).toContainEqual({ phone_number: from, channel_account_id: accountId });
    expect(await optOutEvents(from)).toEqual([{ type: 'sms.opted_out', subject_id: accountId, data: { channel: 'sms_twilio', numberEnding: from.slice(-4) } }]);
  });

  it('records-every-opt-out-keyword-and-twilios-own-opt-out-type', async () => {
    const numbers = ['STOPALL', 'unsubscribe', 'CANCEL', 'end', 'Quit'].map((body, i) => ({ body, from: `+44770090031${i}` }));
    for (const [i, { body, from }] of numbers.entries()) await inbound({ MessageSid: `SMkw31${i}`, From: from, Body: body });
    // With Advanced Opt-Out a Messaging Service has keywords of its own, and says which kind it took.
    await inbound({ MessageSid: 'SMkw320', From: '+447700900320', Body: 'arret', OptOutType: 'STOP' });
    const held = new Set((await optOuts()).map((r) => r.phone_number));
    expect([...numbers.map((n) => n.from), '+447700900320'].filter((n) => !held.has(n))).toEqual([]);
  });

  it('forgets-the-opt-out-on-start-and-changes-nothing-on-help', async () => {
    const from = '+447700900330';
    await inbound({ MessageSid: 'SMstop330', From: from, Body: 'STOP' });
    await inbound({ MessageSid: 'SMhelp330', From: from, Body: 'help' });
    expect((await optOuts()).map((r) => r.phone_number)).toContain(from);
    for (let i = 0; i < 2; i += 1) await inbound({ MessageSid: 'SMstart330', From: from, Body: 'Unstop' });
    expect((await optOuts()).map((r) => r.phone_number)).not.toContain(from);
    await inbound({ MessageSid: 'SMstart331', From: from, Body: 'hello', OptOutType: 'START' });
    expect((await optOutEvents(from)).map((e) => e.type)).toEqual(['sms.opted_out', 'sms.opted_in']);
  });

  it('records-no-opt-out-for-stop-written-on-whatsapp', async () => {
    const from = '+447700900340';
    await inbound({ MessageSid: 'SMwa340', From: `whatsapp:${from}`, To: 'whatsapp:+447700900001', Body: 'STOP' });
    expect((await optOuts()).map((r) => r.phone_number)).not.toContain(from);
  });

  it('refuses-a-staff-text-to-a-number-that-replied-stop-saying-why', async () => {
    const from = '+447700900350';
    expect((await inbound({ MessageSid: 'SMreport350', From: from, Body: 'Someone is trying car doors on our street' })).statusCode).toBe(200);
    await app.runner?.runDue();
    const contactId = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', 'SMreport350').executeTakeFirstOrThrow(),
    ).then((r) => r.contact_id);
    await inbound({ MessageSid: 'SMstop350', From: from, Body: 'STOP' });

    const handler = await signIn(app, 'handler@demo.police.uk');
    const before = standIn.requests.length;
    const reply = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'An officer will call.' } });
    expect(reply.statusCode).toBe(201);
    const messageId = reply.json<{ message: { id: string } }>().message.id;
    await app.runner?.runDue();
    expect(standIn.requests.slice(before)).toEqual([]);
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const sent = detail.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === messageId);
    expect(sent).toMatchObject({ deliveryStatus: 'failed' });
    expect(sent?.deliveryError).toMatch(/replied STOP to our texts.*START/);
  });
});
