import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { sample } from '../prometheus-text.ts';
import { refuseCommitOnce } from '../refuse-commit-once.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { twilioSmsChannel } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';

const TOKEN = 'demo-twilio-auth-token';
const SID = 'SM0000000000000000000000000000e001';
const METRICS_TOKEN = 'metrics-token-for-backlogged-reply-reports';

describe(`delivery reports that arrive before the send is recorded (${ENGINE})`, () => {
  let app: TestApp;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;
  beforeAll(async () => {
    twilio = await startStandIn();
    app = await createTestApp({ env: { METRICS_TOKEN } });
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
      label: 'Demo Twilio number',
      config: { accountSid: 'AC00000000000000000000000000000001', authToken: TOKEN, phoneNumber: '+447700900001', statusCallbackUrl: null, apiBaseUrl: twilio.url },
      actor: { type: 'system', id: null },
    });
  });
  afterAll(async () => {
    await app.close();
    await twilio.close();
  });

  // Twilio signs the full URL followed by every parameter, sorted by name.
  const post = (path: string, params: Record<string, string>, token = TOKEN) => {
    const url = `http://localhost:80${path}`;
    const signature = createHmac('sha1', token)
      .update(url.replace(':80', '') + Object.keys(params).sort().map((key) => key + params[key]).join(''))
      .digest('base64');
    return app.inject({
      method: 'POST',
      url: path,
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams(params).toString(),
    });
  };

  /** How many early reports from another account /metrics has counted when their send recorded its sid (0 before the first). */
  const refusedFromBacklog = async () => {
    const scraped = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    return sample(scraped.body, 'bluelamp_delivery_reports_refused_total', { provider: 'twilio', reason: 'other_account', record: 'backlog' }) ?? 0;
  };

  /**
   * A member of the public texts in from `from`, the automatic acknowledgement is sent under `ackSid`
   * (sends run in their own lane, so the acknowledgement must not race the reply for its sid), and a
   * handler replies `reply`: the reply's send is left due.
   */
  const replyAwaitingSend = async (text: string, from: string, inboundSid: string, ackSid: string, reply: string) => {
    const inbound = await post('/webhooks/twilio/sms', { AccountSid: 'AC00000000000000000000000000000001', Body: text, From: from, MessageSid: inboundSid, NumMedia: '0', To: '+447700900001' });
    expect(inbound.statusCode).toBe(200);
    twilio.respondWith(201, { sid: ackSid, status: 'queued' });
    await app.runner?.runDue();
    const handler = await signIn(app, 'handler@demo.police.uk');
    const queue = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    const contactId = queue.json<{ contacts: { id: string; summary: string }[] }>().contacts.find((c) => c.summary === text)?.id ?? '';
    const replied = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: reply } });
    expect(replied.statusCode, replied.body).toBeLessThan(300);
    return { handler, contactId };
  };

  it('keeps-an-early-delivery-report-and-applies-it-when-the-send-is-recorded', async () => {
    const refusedBefore = await refusedFromBacklog();
    const { handler, contactId } = await replyAwaitingSend('Is anyone there?', '+447700900777', 'SM0000000000000000000000000000e000', 'SM0000000000000000000000000000a001', 'Yes, we are here.');

    // Twilio reports delivery before our send job has recorded the message's sid.
    const early = await post('/webhooks/twilio/status', {
      AccountSid: 'AC00000000000000000000000000000001',
      From: '+447700900001',
      MessageSid: SID,
      MessageStatus: 'delivered',
      To: '+447700900777',
    });
    expect(early.statusCode).toBe(200);

    twilio.respondWith(201, { sid: SID, status: 'queued' });
    await app.runner?.runDue();
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const reply = detail.json<{ messages: { body: string; deliveryStatus: string }[] }>().messages.find((m) => m.body === 'Yes, we are here.');
    expect(reply?.deliveryStatus).toBe('delivered');
    // From the account the reply went through: nothing refused.
    expect(await refusedFromBacklog()).toBe(refusedBefore);
  });

  it('never-lets-an-early-report-from-another-twilio-account-of-the-force-settle-a-reply-and-counts-it-once', async () => {
    // A second Twilio account of the same force, with a number of its own: its holder can sign a report of any sid.
    const second = { accountSid: 'AC000000000000000000000000000000b2', authToken: 'second-backlog-token', phoneNumber: '+447700900044' };
    await connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
      label: 'Second Twilio number',
      config: { ...second, statusCallbackUrl: null, apiBaseUrl: twilio.url },
      actor: { type: 'system', id: null },
    });
    const sid = 'SM0000000000000000000000000000e002';
    const { handler, contactId } = await replyAwaitingSend('Is anyone there at all?', '+447700900778', 'SM0000000000000000000000000000e010', 'SM0000000000000000000000000000a002', 'Yes, we are here too.');

    // Reported through the second account's number, signed with its token, before the reply's send is recorded.
    const early = await post(
      '/webhooks/twilio/status',
      { AccountSid: second.accountSid, From: second.phoneNumber, MessageSid: sid, MessageStatus: 'delivered', To: '+447700900778' },
      second.authToken,
    );
    expect(early.statusCode).toBe(200);
    // Taken and kept, under the account that verified it.
    const waiting = () =>
      withSystem(app.database.db, (tx) => tx.selectFrom('delivery_status_backlog').select(['status', 'reporting_account']).where('provider_message_id', '=', sid).execute());
    expect(await waiting()).toEqual([{ status: 'delivered', reporting_account: second.accountSid }]);
    const refusedBefore = await refusedFromBacklog();

    twilio.respondWith(201, { sid, status: 'queued' });
    await app.runner?.runDue();
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const reply = detail.json<{ messages: { body: string; deliveryStatus: string }[] }>().messages.find((m) => m.body === 'Yes, we are here too.');
    expect(reply?.deliveryStatus).toBe('sent');
    // Counted once the send recorded the sid (decision 0204), and once only.
    expect(await refusedFromBacklog()).toBe(refusedBefore + 1);
    await app.runner?.runDue();
    expect(await refusedFromBacklog()).toBe(refusedBefore + 1);
    // Still waiting for a send through its own account, until housekeeping prunes it.
    expect(await waiting()).toEqual([{ status: 'delivered', reporting_account: second.accountSid }]);
  });

  it('counts-nothing-for-an-early-report-from-another-account-when-the-reply-s-record-of-its-sid-rolls-back', async () => {
    // The second account connected above, and a new thread to reply on.
    const second = { accountSid: 'AC000000000000000000000000000000b2', authToken: 'second-backlog-token', phoneNumber: '+447700900044' };
    const sid = 'SM0000000000000000000000000000e003';
    const { handler, contactId } = await replyAwaitingSend('Has my report reached you?', '+447700900776', 'SM0000000000000000000000000000e011', 'SM0000000000000000000000000000a003', 'Yes, it has reached us.');
    const early = await post(
      '/webhooks/twilio/status',
      { AccountSid: second.accountSid, From: second.phoneNumber, MessageSid: sid, MessageStatus: 'delivered', To: '+447700900776' },
      second.authToken,
    );
    expect(early.statusCode).toBe(200);
    const refusedBefore = await refusedFromBacklog();
    // The record of the sid is refused at commit (a conflict between transactions): the reply is
    // recorded sent without it, so the early report is never reached, and what the rolled-back
    // try found is never told.
    const conflict = await refuseCommitOnce(app.database.db, 'backlog_reply_send', { table: 'messages', write: 'update', condition: `new.provider_message_id = '${sid}'` });
    try {
      twilio.respondWith(201, { sid, status: 'queued' });
      await app.runner?.runDue();
      expect(await conflict.refusals()).toBe(1);
    } finally {
      await conflict.remove();
    }
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    expect(detail.json<{ messages: { body: string; deliveryStatus: string }[] }>().messages.find((m) => m.body === 'Yes, it has reached us.')?.deliveryStatus).toBe('sent');
    expect(await refusedFromBacklog()).toBe(refusedBefore);
  });
});
