// A delivery report on a staff reply whose send is already recorded applies to it at once. It
// settles the reply only when it came from the Twilio account the reply went through (decision
// 0202): the holder of a force's other Twilio account can sign a report of any sid they have seen.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { twilioSmsChannel } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { sample } from '../prometheus-text.ts';
import { refuseCommitOnce } from '../refuse-commit-once.ts';

const FIRST = { accountSid: 'AC00000000000000000000000000000001', authToken: 'demo-twilio-auth-token', phoneNumber: '+447700900001' };
/** A second Twilio account of the same force, with a number of its own: its holder can sign a report of any sid. */
const SECOND = { accountSid: 'AC000000000000000000000000000000b3', authToken: 'second-direct-token', phoneNumber: '+447700900045' };
const PERSON = '+447700900779';
const SID = 'SM0000000000000000000000000000f002';
const METRICS_TOKEN = 'metrics-token-for-direct-reply-reports';
const REFUSED = 'bluelamp_delivery_reports_refused_total';
const REFUSED_REPLY = { provider: 'twilio', reason: 'other_account', record: 'reply' };

describe(`a delivery report on a recorded reply settles it only from the account it went through (${ENGINE})`, () => {
  let app: TestApp;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;
  let contactId = '';
  let handler: Awaited<ReturnType<typeof signIn>>;
  beforeAll(async () => {
    twilio = await startStandIn();
    app = await createTestApp({ env: { METRICS_TOKEN } });
    const deps = { ...app.deps, secrets: new SecretBox(app.config.secretsKey) };
    for (const [label, account] of [['Demo Twilio number', FIRST], ['Second Twilio number', SECOND]] as const) {
      await connectChannelAccount(deps, app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
        label,
        config: { ...account, statusCallbackUrl: null, apiBaseUrl: twilio.url },
        actor: { type: 'system', id: null },
      });
    }
    const inbound = await post('/webhooks/twilio/sms', { AccountSid: FIRST.accountSid, Body: 'Can someone call me back?', From: PERSON, MessageSid: 'SM0000000000000000000000000000f010', NumMedia: '0', To: FIRST.phoneNumber });
    expect(inbound.statusCode).toBe(200);
    // The automatic acknowledgement goes first, under a sid of its own.
    twilio.respondWith(201, { sid: 'SM0000000000000000000000000000f001', status: 'queued' });
    await app.runner?.runDue();
    handler = await signIn(app, 'handler@demo.police.uk');
    const queue = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
    contactId = queue.json<{ contacts: { id: string; summary: string }[] }>().contacts.find((c) => c.summary === 'Can someone call me back?')?.id ?? '';
    await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body: 'We will call you today.' } });
    twilio.respondWith(201, { sid: SID, status: 'queued' });
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
    await twilio.close();
  });

  // Twilio signs the full URL followed by every parameter, sorted by name.
  function post(path: string, params: Record<string, string>, token = FIRST.authToken) {
    const signature = createHmac('sha1', token)
      .update(`http://localhost${path}` + Object.keys(params).sort().map((key) => key + params[key]).join(''))
      .digest('base64');
    return app.inject({
      method: 'POST',
      url: path,
      headers: { host: 'localhost', 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      payload: new URLSearchParams(params).toString(),
    });
  }

  const reportThrough = (account: typeof FIRST, status: string) =>
    post('/webhooks/twilio/status', { AccountSid: account.accountSid, From: account.phoneNumber, MessageSid: SID, MessageStatus: status, To: PERSON }, account.authToken);

  /** How many reports on replies from another account /metrics has counted (0 before the first). */
  const refusedOnReplies = async () => {
    const scraped = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    return sample(scraped.body, REFUSED, REFUSED_REPLY) ?? 0;
  };

  const reply = async () => {
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    return detail.json<{ messages: { body: string; deliveryStatus: string }[] }>().messages.find((m) => m.body === 'We will call you today.');
  };

  it('records-the-account-a-reply-went-through', async () => {
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['delivery_status', 'sent_through_account']).where('provider_message_id', '=', SID).execute(),
    );
    expect(rows).toEqual([{ delivery_status: 'sent', sent_through_account: FIRST.accountSid }]);
  });

  it('never-lets-a-report-from-another-twilio-account-of-the-force-settle-a-reply', async () => {
    for (const status of ['delivered', 'undelivered']) {
      const reported = await reportThrough(SECOND, status);
      expect(reported.statusCode).toBe(200);
      expect((await reply())?.deliveryStatus).toBe('sent');
    }
  });

  it('counts-on-metrics-each-report-from-another-account-on-a-reply', async () => {
    const before = await refusedOnReplies();
    const reported = await reportThrough(SECOND, 'delivered');
    expect(reported.statusCode).toBe(200);
    expect(await refusedOnReplies()).toBe(before + 1);
    const rows = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('messages').select(['delivery_status', 'delivery_error']).where('provider_message_id', '=', SID).execute(),
    );
    expect(rows).toEqual([{ delivery_status: 'sent', delivery_error: null }]);
  });

  it('counts-a-report-from-another-account-on-a-reply-once-when-its-request-is-tried-again-after-a-refused-commit', async () => {
    const before = await refusedOnReplies();
    // The request's commit is refused once (a conflict between transactions): nothing of it stays,
    // Twilio is answered 503 and tries again.
    const conflict = await refuseCommitOnce(app.database.db, 'direct_reply_report', {
      table: 'inbound_requests',
      write: 'insert',
      condition: `position(convert_to('${SID}', 'UTF8') in new.raw_body) > 0`,
    });
    try {
      expect((await reportThrough(SECOND, 'delivered')).statusCode).toBe(503);
      expect(await conflict.refusals()).toBe(1);
      expect(await refusedOnReplies()).toBe(before);
      expect((await reportThrough(SECOND, 'delivered')).statusCode).toBe(200);
    } finally {
      await conflict.remove();
    }
    expect(await refusedOnReplies()).toBe(before + 1);
    expect((await reply())?.deliveryStatus).toBe('sent');
  });

  it('settles-a-reply-with-a-report-from-the-account-it-went-through', async () => {
    const before = await refusedOnReplies();
    const reported = await reportThrough(FIRST, 'delivered');
    expect(reported.statusCode).toBe(200);
    expect((await reply())?.deliveryStatus).toBe('delivered');
    expect(await refusedOnReplies()).toBe(before);
  });
});
