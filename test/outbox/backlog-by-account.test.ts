// A delivery report that reaches us before the send of its text is recorded waits in the backlog
// until the send records Twilio's sid (decision 0031). It settles the text only when it came from
// the Twilio account the text went through (decision 0196): a report verified with a force's
// other account (whose holder can sign any sid) never settles a text sent through the first, and
// is counted on /metrics once the send records the sid (decision 0204, record="backlog").
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { sample } from '../prometheus-text.ts';
import { refuseCommitOnce } from '../refuse-commit-once.ts';
import { JOURNEYS_TWILIO_ACCOUNT, connectTwilio, outboxEvents, outboxRow, queueWithDelivery, twilioForcesKit } from './outbox-kit.ts';

const LEASE_MS = 60_000;
const NUMBER = '+447700900988';
const OTHER_NUMBER = '+447700900987';
/** The force's second Twilio account, with a number of its own (texts go through the first connected). */
const SECOND = { accountSid: 'AC00000000000000000000000000000046', authToken: 'second-backlog-twilio-token' };
const SECOND_NUMBER = '+447700900986';
const STATUS_PATH = '/webhooks/twilio/status';
const METRICS_TOKEN = 'metrics-token-for-backlogged-outbox-reports';
const REFUSED = 'bluelamp_delivery_reports_refused_total';

describe(`an early delivery report settles only a text of the account it came from (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const kit = twilioForcesKit({ clock, leaseMs: LEASE_MS, number: NUMBER, otherNumber: OTHER_NUMBER, env: { METRICS_TOKEN } });

  /** How many early reports /metrics has counted as refused when their send recorded its sid, for `reason` (0 before the first). */
  const refusedFromBacklog = async (reason = 'other_account') => {
    const scraped = await kit.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.statusCode).toBe(200);
    return sample(scraped.body, REFUSED, { provider: 'twilio', reason, record: 'backlog' }) ?? 0;
  };

  beforeAll(async () => {
    await connectTwilio(kit.app, kit.force.forceId, kit.twilio.url, SECOND_NUMBER, null, SECOND);
  });

  /** Twilio's "delivered" for `sid` through the number `from`, signed with its account's token, before our send records the sid. */
  const reportEarly = (sid: string, to: string, from: { number: string; accountSid: string; authToken: string; formAccountSid?: string }) => {
    const form = withParams(fixture('status-delivered.form'), { MessageSid: sid, SmsSid: sid, From: from.number, To: to, AccountSid: from.formAccountSid ?? from.accountSid });
    return kit.app.inject({ method: 'POST', url: STATUS_PATH, headers: { 'content-type': FORM, 'x-twilio-signature': sign(STATUS_PATH, form, from.authToken) }, payload: form });
  };

  /** Queues a text to `recipient`, posts the early report, then lets the delivery run send it, Twilio answering with `sid`. */
  const sendAfterEarlyReport = async (recipient: string, sid: string, from: { number: string; accountSid: string; authToken: string; formAccountSid?: string }) => {
    const id = await queueWithDelivery(kit.app, kit.force.forceId, [{ channel: 'sms', recipient, subject: '', body: 'An update on your case.' }], { caseId: kit.force.caseId });
    const early = await reportEarly(sid, recipient, from);
    expect(early.statusCode, early.body).toBe(200);
    kit.twilio.respondWith(201, { ...(JSON.parse(fixture('message-created.json')) as object), sid });
    await kit.app.runner?.runDue();
    return id;
  };

  const waiting = (sid: string) =>
    withForce(kit.app.database.db, kit.force.forceId, (tx) => tx.selectFrom('delivery_status_backlog').select(['status', 'reporting_account']).where('provider_message_id', '=', sid).execute());

  it('never-lets-an-early-report-from-another-twilio-account-of-the-force-settle-the-text', async () => {
    const sid = 'SMbacklog0000000000000000000000b01';
    const id = await sendAfterEarlyReport('+447700900831', sid, { number: SECOND_NUMBER, ...SECOND });
    const row = await outboxRow(kit.app, kit.force.forceId, id);
    expect(row).toMatchObject({ status: 'sent', provider_message_id: sid, sent_through_account: JOURNEYS_TWILIO_ACCOUNT.accountSid });
    expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent']);
    // It stays in the backlog, for a send through its own account, until housekeeping prunes it.
    expect(await waiting(sid)).toEqual([{ status: 'delivered', reporting_account: SECOND.accountSid }]);
  });

  it('takes-the-reporting-account-from-the-token-that-verified-the-report-never-from-the-account-the-form-names', async () => {
    // Signed with the second account's token, through its number, but naming the first account:
    // the form's AccountSid is the signer's to choose.
    const sid = 'SMbacklog0000000000000000000000c01';
    const id = await sendAfterEarlyReport('+447700900833', sid, { number: SECOND_NUMBER, ...SECOND, formAccountSid: JOURNEYS_TWILIO_ACCOUNT.accountSid });
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', provider_message_id: sid });
    expect(await waiting(sid)).toEqual([{ status: 'delivered', reporting_account: SECOND.accountSid }]);
  });

  it('settles-the-text-with-an-early-report-from-the-account-it-went-through', async () => {
    const sid = 'SMbacklog0000000000000000000000a01';
    const id = await sendAfterEarlyReport('+447700900832', sid, { number: NUMBER, ...JOURNEYS_TWILIO_ACCOUNT });
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'delivered', provider_message_id: sid });
    expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent', 'outbox.delivered']);
    expect(await waiting(sid)).toEqual([]);
  });

  it('counts-on-metrics-an-early-report-from-another-account-once-the-send-records-the-sid', async () => {
    const sid = 'SMbacklog0000000000000000000000b02';
    const before = await refusedFromBacklog();
    const id = await sendAfterEarlyReport('+447700900834', sid, { number: SECOND_NUMBER, ...SECOND });
    expect(await refusedFromBacklog()).toBe(before + 1);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', delivered_at: null, fallbacks: 0 });
    expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent']);
    // The next delivery run records nothing more about it, and counts it no more.
    await kit.app.runner?.runDue();
    expect(await refusedFromBacklog()).toBe(before + 1);
    expect(await refusedFromBacklog('unrecorded_account')).toBe(0);
  });

  it('counts-an-early-report-from-another-account-once-when-the-run-records-its-send-again-after-a-refused-commit', async () => {
    const sid = 'SMbacklog0000000000000000000000b03';
    const before = await refusedFromBacklog();
    // The run's record of its sends is refused at commit once (a conflict between transactions):
    // the run records each outcome again alone, and that try commits.
    const conflict = await refuseCommitOnce(kit.app.database.db, 'backlog_outbox_send', {
      table: 'outbox',
      write: 'update',
      condition: `new.provider_message_id = '${sid}'`,
    });
    try {
      const id = await sendAfterEarlyReport('+447700900836', sid, { number: SECOND_NUMBER, ...SECOND });
      expect(await conflict.refusals()).toBe(1);
      expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'sent', provider_message_id: sid, delivered_at: null });
      expect((await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type)).toEqual(['outbox.sent']);
    } finally {
      await conflict.remove();
    }
    expect(await refusedFromBacklog()).toBe(before + 1);
    await kit.app.runner?.runDue();
    expect(await refusedFromBacklog()).toBe(before + 1);
  });

  it('counts-nothing-for-an-early-report-from-the-account-the-text-went-through', async () => {
    const sid = 'SMbacklog0000000000000000000000a02';
    const before = await refusedFromBacklog();
    const id = await sendAfterEarlyReport('+447700900835', sid, { number: NUMBER, ...JOURNEYS_TWILIO_ACCOUNT });
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'delivered', provider_message_id: sid });
    expect(await refusedFromBacklog()).toBe(before);
  });
});
