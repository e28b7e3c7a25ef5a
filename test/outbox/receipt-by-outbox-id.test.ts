// A text failed as outcome unknown whose stalled run died never learnt Twilio's sid, so Twilio's
// reports on it could not be matched and it stayed "failed" though the person had it (decision
// 0173). Now the StatusCallback URL we give Twilio names the outbox row (decision 0176), and a
// report finds the row by it when the sid is unknown: only within the force whose number the
// report came through, only for a text to the number the report names, only for a row whose sid
// is unknown, and only with Twilio's signature over the exact URL it called. A malformed id is a 400.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { twilioSignature } from '../../src/capabilities/channels/twilio/twilio.signature.ts';
import { FORM, PUBLIC_URL, fixture, withParams } from '../channels/twilio-kit.ts';
import { sample } from '../prometheus-text.ts';
import { refuseCommitOnce } from '../refuse-commit-once.ts';
import { connectTwilio, createForceWithCase, outboxEvents, outboxRow, queueWithDelivery, inDoubtTexts } from './outbox-kit.ts';

const LEASE_MS = 60_000;
/** Left to staff when in doubt (decision 0163): failed, not sent again. */
const AT_MOST_ONCE = 'journey:case.satisfaction_survey';
const NUMBER = '+447700900994';
const OTHER_NUMBER = '+447700900993';
/** `connectTwilio`'s auth token, which Twilio signs its callbacks with (both forces' here). */
const TOKEN = 'journeys-twilio-token';
/** `connectTwilio`'s account, which Twilio names in its callbacks. */
const ACCOUNT_SID = 'AC00000000000000000000000000000042';
const DONE_DATE = '2605060903';
/** The force's second Twilio account, with a number of its own (texts go through the first connected). */
const SECOND = { accountSid: 'AC00000000000000000000000000000044', authToken: 'second-twilio-token' };
const SECOND_NUMBER = '+447700900992';
const STATUS_PATH = '/webhooks/twilio/status';
const METRICS_TOKEN = 'metrics-token-for-reports-naming-their-row';

describe(`a report on a text whose stopped run died, found by the outbox id in its callback URL (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;
  let force: { forceId: ForceId; caseId: string; slug: string };
  let other: { forceId: ForceId; caseId: string; slug: string };
  /** What the delivery runs log. */
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const texts = inDoubtTexts({ app: () => app, clock, leaseMs: LEASE_MS, logger: pino({ level: 'info' }, logStream) });
  /** The stalled runs never woken by a test (their process "died"), let go before the app closes. */
  const asleep: (() => Promise<unknown>)[] = [];
  let sids = 0;


  /** The StatusCallback the send of the text to `recipient` gave Twilio. */
  const callbackGiven = (recipient: string) => {
    const sent = twilio.requests.filter((request) => new URLSearchParams(request.body).get('To') === recipient);
    expect(sent).toHaveLength(1);
    return new URLSearchParams(sent[0]?.body ?? '').get('StatusCallback') ?? '';
  };

  /** A text failed as outcome unknown whose stalled run never wakes: its row never learns Twilio's sid. */
  const failAsUnknown = async (recipient: string) => {
    const { id, stalled, wake } = await texts.failAsUnknown(force.forceId, force.caseId, recipient, AT_MOST_ONCE);
    asleep.push(async () => (wake(), await stalled));
    const sid = `SMlate${String(sids).padStart(28, '0')}`;
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ status: 'failed', provider_message_id: null, last_error: expect.stringContaining('outcome unknown') });
    return { id, sid, callbackUrl: callbackGiven(recipient) };
  };

  /**
   * Posts Twilio's status callback for `sid` to `url` (a full URL under PUBLIC_URL), signed as
   * Twilio signs it: over the URL it called (or `signedUrl`), with the number's token.
   */
  const report = (
    sid: string,
    status: 'sent' | 'delivered' | 'undelivered',
    options: { url: string; to: string; from?: string; signedUrl?: string; accountSid?: string; token?: string },
  ) => {
    const base = fixture(status === 'undelivered' ? 'status-undelivered.form' : 'status-delivered.form');
    const form = withParams(base, {
      MessageSid: sid,
      SmsSid: sid,
      From: options.from ?? NUMBER,
      To: options.to,
      AccountSid: options.accountSid ?? ACCOUNT_SID,
      ...(status === 'sent' ? { MessageStatus: 'sent', SmsStatus: 'sent' } : { RawDlrDoneDate: DONE_DATE }),
    });
    const signature = twilioSignature(options.token ?? TOKEN, options.signedUrl ?? options.url, [...new URLSearchParams(form)]);
    return app.inject({ method: 'POST', url: options.url.slice(PUBLIC_URL.length), headers: { 'content-type': FORM, 'x-twilio-signature': signature }, payload: form });
  };

  const typesOf = async (forceId: ForceId, id: string) => (await outboxEvents(app, forceId, id)).map((event) => event.type);

  beforeAll(async () => {
    twilio = await startStandIn();
    app = await createTestApp({ overrides: { clock }, env: { PUBLIC_URL, METRICS_TOKEN } });
    force = await createForceWithCase(app);
    await connectTwilio(app, force.forceId, twilio.url, NUMBER, `${PUBLIC_URL}${STATUS_PATH}`);
    await connectTwilio(app, force.forceId, twilio.url, SECOND_NUMBER, `${PUBLIC_URL}${STATUS_PATH}`, SECOND);
    other = await createForceWithCase(app);
    await connectTwilio(app, other.forceId, twilio.url, OTHER_NUMBER, `${PUBLIC_URL}${STATUS_PATH}`);
    twilio.respondWith(201, (n: number) => {
      sids = n;
      return { ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMlate${String(n).padStart(28, '0')}` };
    });
    await app.runner?.runDue();
  });
  afterAll(async () => {
    for (const wake of asleep) await wake();
    await app?.close();
    await twilio?.close();
    texts.close();
  });

  it('names-the-outbox-row-in-the-callback-url-and-finds-a-text-whose-stopped-run-died-by-it-once', async () => {
    const recipient = '+447700900821';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    const given = new URL(callbackUrl);
    expect(`${given.origin}${given.pathname}`).toBe(`${PUBLIC_URL}${STATUS_PATH}`);
    expect(given.searchParams.getAll('outbox')).toEqual([id]);

    // Twilio's "sent": the row learns the sid it never had, and stays failed.
    const sent = await report(sid, 'sent', { url: callbackUrl, to: recipient });
    expect(sent.statusCode, sent.body).toBe(200);
    const row = await outboxRow(app, force.forceId, id);
    expect(row).toMatchObject({ status: 'failed', provider_message_id: sid, delivered_after_all_at: null });
    expect(row.sent_after_all_at?.toISOString()).toBe(clock.now().toISOString());
    const events = await outboxEvents(app, force.forceId, id);
    expect(events.map((event) => event.type)).toEqual(['outbox.failed', 'outbox.sent_after_all']);
    expect(events[1]?.data).toMatchObject({ provider: 'twilio', providerMessageId: sid });

    // Then "delivered", twice (Twilio retries): recorded once, and the case is told once.
    expect((await report(sid, 'delivered', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect((await report(sid, 'delivered', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);
    expect((await outboxRow(app, force.forceId, id)).delivered_after_all_at?.toISOString()).toBe('2026-05-06T09:03:00.000Z');
    await app.runner?.runDue();
    await app.runner?.runDue();
    const notes = await withForce(app.database.db, force.forceId, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', force.caseId).where('type', '=', 'journey.message_reached_after_all').execute(),
    );
    expect(notes.filter((note) => (note.data as { outboxId?: string }).outboxId === id)).toHaveLength(1);
  });

  it('applies-the-reports-that-waited-for-the-sid-once-the-outbox-id-finds-the-text', async () => {
    const recipient = '+447700900822';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    // "Delivered" overtook "sent", and reached a callback URL without the id (as one sent before this change did): it waits.
    expect((await report(sid, 'undelivered', { url: `${PUBLIC_URL}${STATUS_PATH}`, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed']);
    expect((await report(sid, 'sent', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.undelivered_after_all']);
  });

  it('never-lets-a-report-through-another-force-s-number-or-for-another-recipient-find-the-row', async () => {
    const recipient = '+447700900823';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    // Through the other force's number (signed with its token): our row is not theirs to find.
    expect((await report(sid, 'delivered', { url: callbackUrl, to: recipient, from: OTHER_NUMBER })).statusCode).toBe(200);
    // Through our number, signed with its token, but from another Twilio account: not this row.
    expect((await report(sid, 'delivered', { url: callbackUrl, to: recipient, accountSid: 'AC00000000000000000000000000000043' })).statusCode).toBe(200);
    // Through our number, about a text to someone else: not this row.
    expect((await report(sid, 'delivered', { url: callbackUrl, to: '+447700900899' })).statusCode).toBe(200);
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ provider_message_id: null, sent_after_all_at: null, delivered_after_all_at: null });
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed']);
    expect(await withForce(app.database.db, other.forceId, (tx) => tx.selectFrom('outbox').select('id').where('id', '=', id).execute())).toEqual([]);

    // Its own report, through its own number, about its own recipient, finds it.
    expect((await report(sid, 'delivered', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);
  });

  it('never-lets-the-outbox-id-find-a-row-whose-sid-is-known-and-different', async () => {
    const recipient = '+447700900824';
    const id = await queueWithDelivery(app, force.forceId, [{ channel: 'sms', recipient, subject: '', body: 'An update on your case.' }], { purpose: AT_MOST_ONCE, caseId: force.caseId });
    await texts.worker().runDue();
    const { provider_message_id: sid } = await outboxRow(app, force.forceId, id);
    expect(sid).toMatch(/^SMlate/);
    const callbackUrl = callbackGiven(recipient);
    expect(new URL(callbackUrl).searchParams.get('outbox')).toBe(id);

    // A report naming this row with another sid: nothing of the row changes.
    const guessed = 'SMguess0000000000000000000000000000';
    expect((await report(guessed, 'undelivered', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ status: 'sent', provider_message_id: sid, sent_after_all_at: null });
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.sent']);

    // Nor a failed-as-unknown one whose sid is known already (its run woke).
    const doubtful = await failAsUnknown('+447700900825');
    expect((await report(doubtful.sid, 'sent', { url: doubtful.callbackUrl, to: '+447700900825' })).statusCode).toBe(200);
    expect((await report(guessed, 'delivered', { url: doubtful.callbackUrl, to: '+447700900825' })).statusCode).toBe(200);
    expect(await outboxRow(app, force.forceId, doubtful.id)).toMatchObject({ provider_message_id: doubtful.sid, delivered_after_all_at: null });
    expect(await typesOf(force.forceId, doubtful.id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);
  });

  it('refuses-a-malformed-outbox-id-with-400-and-a-url-twilio-did-not-sign-with-401', async () => {
    const recipient = '+447700900826';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    const status = `${PUBLIC_URL}${STATUS_PATH}`;
    for (const url of [`${status}?outbox=not-an-id`, `${status}?outbox=`, `${status}?outbox=${id}&outbox=${id}`, `${status}?outbox=${id}x`]) {
      const refused = await report(sid, 'delivered', { url, to: recipient });
      expect(refused.statusCode, `${url}: ${refused.body}`).toBe(400);
    }
    // Signed over the URL without the id, posted with it: not what Twilio signed.
    const unsigned = await report(sid, 'delivered', { url: callbackUrl, to: recipient, signedUrl: status });
    expect(unsigned.statusCode).toBe(401);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed']);
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ provider_message_id: null });
  });

  it('never-lets-a-report-through-another-twilio-account-of-the-same-force-settle-the-row', async () => {
    const recipient = '+447700900827';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    // The force's second account, through its own number, signed with its own token, names the row
    // the first account sent: not its text, so not its row to settle.
    const elsewhere = await report(sid, 'delivered', { url: callbackUrl, to: recipient, from: SECOND_NUMBER, accountSid: SECOND.accountSid, token: SECOND.authToken });
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ provider_message_id: null, sent_after_all_at: null, delivered_after_all_at: null });
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed']);

    // The account that sent it finds it.
    expect((await report(sid, 'delivered', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);
  });

  it('counts-an-early-report-from-another-account-when-a-report-naming-the-row-records-its-sid', async () => {
    const refusedFromBacklog = async () => {
      const scraped = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(scraped.statusCode).toBe(200);
      return sample(scraped.body, 'bluelamp_delivery_reports_refused_total', { provider: 'twilio', reason: 'other_account', record: 'backlog' }) ?? 0;
    };
    const recipient = '+447700900831';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    // The second account's "delivered", to the URL without the id, before the sid is known: it waits.
    const early = await report(sid, 'delivered', { url: `${PUBLIC_URL}${STATUS_PATH}`, to: recipient, from: SECOND_NUMBER, accountSid: SECOND.accountSid, token: SECOND.authToken });
    expect(early.statusCode, early.body).toBe(200);
    const before = await refusedFromBacklog();
    // The first account's "sent" names the row: the row learns the sid, the early report settles nothing and is counted.
    expect((await report(sid, 'sent', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ provider_message_id: sid, delivered_after_all_at: null });
    expect(await refusedFromBacklog()).toBe(before + 1);
  });

  it('counts-once-a-report-through-another-account-naming-a-row-it-did-not-send-even-when-its-request-is-tried-again', async () => {
    /** How many reports /metrics has counted as refused for `record` (0 before the first). */
    const refused = async (record: 'outbox' | 'backlog') => {
      const scraped = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(scraped.statusCode).toBe(200);
      return sample(scraped.body, 'bluelamp_delivery_reports_refused_total', { provider: 'twilio', reason: 'other_account', record }) ?? 0;
    };
    const recipient = '+447700900832';
    const { id, sid, callbackUrl } = await failAsUnknown(recipient);
    const onTexts = await refused('outbox');
    const fromBacklog = await refused('backlog');
    // The second account names the row the first sent. Its request's commit is refused once, as a
    // conflict between transactions is, and Twilio tries the request again.
    const conflict = await refuseCommitOnce(app.database.db, 'named_report', {
      table: 'inbound_requests',
      write: 'insert',
      condition: `position(convert_to('${sid}', 'UTF8') in new.raw_body) > 0`,
    });
    const elsewhere = () => report(sid, 'delivered', { url: callbackUrl, to: recipient, from: SECOND_NUMBER, accountSid: SECOND.accountSid, token: SECOND.authToken });
    try {
      expect((await elsewhere()).statusCode).toBe(503);
      expect(await conflict.refusals()).toBe(1);
      expect(await refused('outbox')).toBe(onTexts);
      expect((await elsewhere()).statusCode).toBe(200);
    } finally {
      await conflict.remove();
    }
    // Counted once, as a report on a text, when it came: the committed try only.
    expect(await refused('outbox')).toBe(onTexts + 1);
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ provider_message_id: null, sent_after_all_at: null, delivered_after_all_at: null });
    // Not kept to be counted again once the row learns its sid from the account that sent it.
    expect((await report(sid, 'sent', { url: callbackUrl, to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);
    expect(await refused('outbox')).toBe(onTexts + 1);
    expect(await refused('backlog')).toBe(fromBacklog);
  });

  it('finds-a-text-whose-recipient-was-stored-not-in-e164-by-the-number-twilio-reports', async () => {
    // Stored as typed (nationally, or with spaces); Twilio reports the number in E.164.
    for (const [stored, reported] of [
      ['07700 900828', '+447700900828'],
      ['+44 7700 900829', '+447700900829'],
    ] as const) {
      const { id, sid, callbackUrl } = await failAsUnknown(stored);
      // Another number written the same way is still not this text's.
      expect((await report(sid, 'delivered', { url: callbackUrl, to: '+447700900898' })).statusCode).toBe(200);
      expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed']);
      expect((await report(sid, 'delivered', { url: callbackUrl, to: reported })).statusCode).toBe(200);
      expect(await typesOf(force.forceId, id), stored).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);
    }
  });

  it('says-a-report-settled-the-text-when-its-stalled-run-wakes-after-and-records-nothing-twice', async () => {
    const recipient = '+447700900830';
    const { id, stalled, wake } = await texts.failAsUnknown(force.forceId, force.caseId, recipient, AT_MOST_ONCE);
    const sid = `SMlate${String(sids).padStart(28, '0')}`;
    expect((await report(sid, 'sent', { url: callbackGiven(recipient), to: recipient })).statusCode).toBe(200);
    expect(await typesOf(force.forceId, id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);

    logLines.length = 0;
    wake();
    await stalled;
    expect(await outboxRow(app, force.forceId, id)).toMatchObject({ status: 'failed', provider_message_id: sid });
    const events = await outboxEvents(app, force.forceId, id);
    expect(events.filter((event) => event.type === 'outbox.sent_after_all')).toHaveLength(1);
    expect(events.map((event) => event.type)).toEqual(['outbox.failed', 'outbox.sent_after_all']);
    const logged = logLines.map((line) => JSON.parse(line) as { msg: string; outboxId?: string }).filter((line) => line.outboxId === id);
    expect(logged.map((line) => line.msg)).toEqual([expect.stringContaining('a delivery report from the provider had already settled it')]);
    expect(logged[0]?.msg).not.toContain('newer delivery run');
  });
});
