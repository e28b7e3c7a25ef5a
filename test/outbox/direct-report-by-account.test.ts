// A delivery report on a sid whose send is already recorded applies to its text at once. It settles
// the text only when it came from the Twilio account the text went through (decision 0202): the
// holder of a force's other Twilio account can sign a report of any sid they have seen.
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { sample } from '../prometheus-text.ts';
import { refuseCommitOnce } from '../refuse-commit-once.ts';
import { JOURNEYS_TWILIO_ACCOUNT, connectTwilio, outboxEvents, outboxRow, queueWithDelivery, twilioForcesKit } from './outbox-kit.ts';

const LEASE_MS = 60_000;
const NUMBER = '+447700900978';
const OTHER_NUMBER = '+447700900977';
/** The force's second Twilio account, with a number of its own (texts go through the first connected). */
const SECOND = { accountSid: 'AC00000000000000000000000000000047', authToken: 'second-direct-twilio-token' };
const SECOND_NUMBER = '+447700900976';
const STATUS_PATH = '/webhooks/twilio/status';
const METRICS_TOKEN = 'metrics-token-for-direct-outbox-reports';
const REFUSED = 'bluelamp_delivery_reports_refused_total';

type Reporter = { number: string; accountSid: string; authToken: string };

describe(`a delivery report on a recorded sid settles only a text of the account it came from (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const kit = twilioForcesKit({ clock, leaseMs: LEASE_MS, number: NUMBER, otherNumber: OTHER_NUMBER, env: { METRICS_TOKEN } });

  /** How many reports on journey texts /metrics has counted as refused for `reason` (0 before the first). */
  const refusedOnTexts = async (reason: string) => {
    const scraped = await kit.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    return sample(scraped.body, REFUSED, { provider: 'twilio', reason, record: 'outbox' }) ?? 0;
  };

  beforeAll(async () => {
    await connectTwilio(kit.app, kit.force.forceId, kit.twilio.url, SECOND_NUMBER, null, SECOND);
  });

  /** Twilio's report `status` for `sid` through the number `from`, signed with its account's token. */
  const report = (fixtureName: string, sid: string, to: string, from: Reporter) => {
    const form = withParams(fixture(fixtureName), { MessageSid: sid, SmsSid: sid, From: from.number, To: to, AccountSid: from.accountSid });
    return kit.app.inject({ method: 'POST', url: STATUS_PATH, headers: { 'content-type': FORM, 'x-twilio-signature': sign(STATUS_PATH, form, from.authToken) }, payload: form });
  };

  /** Queues a text to `recipient` and lets the delivery run send it, Twilio answering with `sid`: the send is recorded. */
  const send = async (recipient: string, sid: string) => {
    const id = await queueWithDelivery(kit.app, kit.force.forceId, [{ channel: 'sms', recipient, subject: '', body: 'An update on your case.' }], { caseId: kit.force.caseId });
    kit.twilio.respondWith(201, { ...(JSON.parse(fixture('message-created.json')) as object), sid });
    await kit.app.runner?.runDue();
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', provider_message_id: sid, sent_through_account: JOURNEYS_TWILIO_ACCOUNT.accountSid });
    return id;
  };

  it('never-lets-a-delivered-report-from-another-twilio-account-of-the-force-settle-the-text', async () => {
    const sid = 'SMdirect00000000000000000000000b01';
    const id = await send('+447700900841', sid);
    const reported = await report('status-delivered.form', sid, '+447700900841', { number: SECOND_NUMBER, ...SECOND });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', delivered_at: null });
    expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent']);
  });

  it('never-lets-a-failed-report-from-another-twilio-account-of-the-force-fail-the-text', async () => {
    const sid = 'SMdirect00000000000000000000000b02';
    const id = await send('+447700900842', sid);
    const reported = await report('status-undelivered.form', sid, '+447700900842', { number: SECOND_NUMBER, ...SECOND });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', fallbacks: 0 });
    expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent']);
  });

  it('counts-on-metrics-a-report-from-another-account-on-a-journey-text', async () => {
    const sid = 'SMdirect00000000000000000000000b03';
    const id = await send('+447700900844', sid);
    const before = await refusedOnTexts('other_account');
    const reported = await report('status-delivered.form', sid, '+447700900844', { number: SECOND_NUMBER, ...SECOND });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(await refusedOnTexts('other_account')).toBe(before + 1);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', delivered_at: null, fallbacks: 0 });
  });

  it('counts-a-report-from-another-account-once-when-its-request-is-tried-again-after-a-refused-commit', async () => {
    const sid = 'SMdirect00000000000000000000000b04';
    const id = await send('+447700900846', sid);
    const before = await refusedOnTexts('other_account');
    // The request's commit is refused once (a conflict between transactions): nothing of it stays,
    // Twilio is answered 503 and tries again.
    const conflict = await refuseCommitOnce(kit.app.database.db, 'direct_outbox_report', {
      table: 'inbound_requests',
      write: 'insert',
      condition: `position(convert_to('${sid}', 'UTF8') in new.raw_body) > 0`,
    });
    try {
      expect((await report('status-delivered.form', sid, '+447700900846', { number: SECOND_NUMBER, ...SECOND })).statusCode).toBe(503);
      expect(await conflict.refusals()).toBe(1);
      expect(await refusedOnTexts('other_account')).toBe(before);
      const again = await report('status-delivered.form', sid, '+447700900846', { number: SECOND_NUMBER, ...SECOND });
      expect(again.statusCode, again.body).toBe(200);
    } finally {
      await conflict.remove();
    }
    expect(await refusedOnTexts('other_account')).toBe(before + 1);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', delivered_at: null });
  });

  it('settles-the-text-with-a-report-from-the-account-it-went-through', async () => {
    const sid = 'SMdirect00000000000000000000000a01';
    const id = await send('+447700900843', sid);
    const before = await refusedOnTexts('other_account');
    const reported = await report('status-delivered.form', sid, '+447700900843', { number: NUMBER, ...JOURNEYS_TWILIO_ACCOUNT });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'delivered', provider_message_id: sid });
    expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent', 'outbox.delivered']);
    expect(await refusedOnTexts('other_account')).toBe(before);
  });

  it('counts-a-report-on-a-text-taken-before-its-account-was-kept-apart-from-probing', async () => {
    const sid = 'SMdirect00000000000000000000000c01';
    const id = await send('+447700900845', sid);
    // As a text taken before 0098 was recorded: no account.
    await withForce(kit.app.database.db, kit.force.forceId, (tx) => tx.updateTable('outbox').set({ sent_through_account: null }).where('id', '=', id).execute());
    const probing = await refusedOnTexts('other_account');
    const before = await refusedOnTexts('unrecorded_account');
    const reported = await report('status-delivered.form', sid, '+447700900845', { number: NUMBER, ...JOURNEYS_TWILIO_ACCOUNT });
    expect(reported.statusCode, reported.body).toBe(200);
    expect(await refusedOnTexts('unrecorded_account')).toBe(before + 1);
    expect(await refusedOnTexts('other_account')).toBe(probing);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', delivered_at: null });
  });
});
