// A delivery run whose lease runs out while it has a message with the provider (a stalled process,
// a frozen VM): another worker takes the job over (decision 0151). The run that took over sent the
// message again whatever it was, and the first run, when it woke, recorded its outcome over the
// newer run's (a send the provider turned down failed a message the second run had sent). Now each
// run takes the messages it sends with a send token, and its record applies only while it holds
// it; and a run that finds a message taken by a run that stopped asks the provider where it can
// (GOV.UK Notify), and otherwise sends again only what the victim must have (decision 0163).
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { JobRunner } from '../../src/platform/jobs/jobs.ts';
import { MailerPool } from '../../src/platform/mail/mailer.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { createDeliverHandler } from '../../src/capabilities/outbox/outbox-delivery.jobs.ts';
import { DELIVER_JOB } from '../../src/capabilities/outbox/outbox.events.ts';
import { fixture } from '../channels/twilio-kit.ts';
import { connectNotify, connectTwilio, createForceWithCase, notifyFixture, outboxEvents, outboxRow, queueWithDelivery, stalledFetch } from './outbox-kit.ts';

const LEASE_MS = 60_000;
/** A message a victim must have even twice (decision 0163), and one left to staff when in doubt. */
const COURT_DATE = 'journey:case.court_date_set';
const AT_MOST_ONCE = 'journey:case.satisfaction_survey';

describe(`a delivery run whose lease ran out, and the run that took its job over (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let twilioForce: ForceId;
  let notifyForce: ForceId;
  const mailers = new MailerPool();
  const logs: string[] = [];
  const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _encoding, done) => (logs.push(chunk.toString('utf8')), done()) }));

  /** A worker whose lease renewals never get through, its provider calls through `fetcher`. */
  const worker = (fetcher: typeof fetch = fetch) =>
    new JobRunner({
      db: app.database.db,
      clock,
      logger: app.deps.logger,
      handlers: new Map(),
      batchHandlers: new Map([[DELIVER_JOB, createDeliverHandler({ clock, mailer: null, mailFrom: 'test@example.org', mailers, secrets: new SecretBox(app.config.secretsKey), fetcher, logger })]]),
      leaseMs: LEASE_MS,
      leaseRenewMs: 3_600_000,
    });
  /** The first run sends and stalls with the provider's answer; its lease runs out. */
  const stallFirstRun = async (forceId: ForceId, purpose: string, recipient: string) => {
    const id = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient, subject: '', body: 'Your case will be heard at the crown court.' }], { purpose });
    const first = stalledFetch();
    const run = worker(first.fetcher).runDue();
    await first.isAnswered;
    clock.advance(LEASE_MS + 1_000);
    return { id, run, wake: first.wake };
  };
  const sendsOf = (standIn: { requests: { method: string; body: string }[] }, id: string) => standIn.requests.filter((r) => r.method === 'POST' && r.body.includes(id));

  beforeAll(async () => {
    twilio = await startStandIn();
    notify = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    twilioForce = (await createForceWithCase(app)).forceId;
    await connectTwilio(app, twilioForce, twilio.url, '+447700900999');
    notifyForce = (await createForceWithCase(app)).forceId;
    await connectNotify(app, notifyForce, notify.url, 'fencing-callback-token');
    twilio.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMfence${String(n).padStart(27, '0')}` }));
    notify.respondWith(201, (n: number) => ({ ...notifyFixture('notification-created.json'), id: `fe4ce000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}` }));
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app?.close();
    await twilio?.close();
    await notify?.close();
    mailers.close();
  });

  it('refuses-the-late-record-of-a-run-whose-lease-ran-out-and-keeps-the-outcome-of-the-run-that-took-over', async () => {
    // Twilio turns the first run's send down for good (as a 400 says); the second is taken.
    const earlier = sendsOf(twilio, '').length;
    twilio.answerSome((request) => (request.method === 'POST' && sendsOf(twilio, '').length === earlier + 1 ? { status: 400, body: { code: 21211, message: 'Invalid To number', status: 400 } } : null));
    const { id, run, wake } = await stallFirstRun(twilioForce, COURT_DATE, '+447700900701');
    twilio.answerSome(null);

    // The run that took the job over: a court date is sent again (told twice beats not told).
    await worker().runDue();
    const taken = await outboxRow(app, twilioForce, id);
    expect(taken).toMatchObject({ status: 'sent', provider_message_id: expect.stringMatching(/^SMfence/), sending_job_id: null });

    // The first run wakes with its refusal: it records nothing over the second run's send.
    wake();
    await run;
    expect(await outboxRow(app, twilioForce, id)).toMatchObject({ status: 'sent', provider_message_id: taken.provider_message_id, channel: 'sms', last_error: null });
    expect((await outboxEvents(app, twilioForce, id)).map((event) => event.type)).toEqual(['outbox.sent']);
    const refused = logs.filter((line) => line.includes('delivery outcome not recorded') && line.includes(id));
    expect(refused).toHaveLength(1);
    expect(refused[0]).not.toContain('+447700900701');
  });

  it('fails-a-text-whose-send-may-have-gone-for-staff-to-check-instead-of-sending-it-twice', async () => {
    const { id, run, wake } = await stallFirstRun(twilioForce, AT_MOST_ONCE, '+447700900702');
    // Twilio's request is a form: it names the number, not our id.
    const sends = () => sendsOf(twilio, encodeURIComponent('+447700900702'));

    await worker().runDue();
    expect(sends()).toHaveLength(1);
    expect(await outboxRow(app, twilioForce, id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('outcome unknown') });
    const events = await outboxEvents(app, twilioForce, id);
    expect(events.map((event) => event.type)).toEqual(['outbox.failed']);

    // The first run's late "sent" is refused: the message stays for staff, with its reason.
    wake();
    await run;
    expect(await outboxRow(app, twilioForce, id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('Check with them') });
    expect(sends()).toHaveLength(1);
  });

  it('asks-notify-whether-a-send-cut-short-went-and-records-it-sent-without-sending-it-again', async () => {
    // Notify lists its notifications by our reference (the outbox id), as its API does.
    notify.answerSome((request) => {
      if (request.method !== 'GET' || !request.url.startsWith('/v2/notifications?')) return null;
      const reference = new URL(request.url, notify.url).searchParams.get('reference') ?? '';
      const created = notify.requests.filter((r) => r.method === 'POST' && r.body.includes(reference));
      const notifications = created.map((_r, i) => ({ ...notifyFixture('notification-created.json'), id: `fe4ce000-0000-4000-8000-00000000aa0${i}`, reference, created_at: '2026-05-06T09:00:00.000000Z' }));
      return { status: 200, body: { notifications, links: { current: request.url } } };
    });
    const { id, run, wake } = await stallFirstRun(notifyForce, AT_MOST_ONCE, '+447700900703');

    await worker().runDue();
    expect(sendsOf(notify, id)).toHaveLength(1);
    expect(await outboxRow(app, notifyForce, id)).toMatchObject({ status: 'sent', provider_message_id: 'fe4ce000-0000-4000-8000-00000000aa00' });

    wake();
    await run;
    expect(await outboxRow(app, notifyForce, id)).toMatchObject({ status: 'sent', provider_message_id: 'fe4ce000-0000-4000-8000-00000000aa00' });
    expect((await outboxEvents(app, notifyForce, id)).map((event) => event.type)).toEqual(['outbox.sent']);
    notify.answerSome(null);
  });

  it('sends-through-notify-when-notify-has-nothing-from-the-run-that-stopped', async () => {
    notify.answerSome((request) => (request.method === 'GET' ? { status: 200, body: { notifications: [], links: {} } } : null));
    const id = await queueWithDelivery(app, notifyForce, [{ channel: 'sms', recipient: '+447700900704', subject: '', body: 'An update on your case.' }], { purpose: AT_MOST_ONCE });
    // A run took it and stopped before its request left (the database was lost before it sent, say).
    await withForce(app.database.db, notifyForce, async (tx) => {
      const job = await tx.selectFrom('jobs').select('id').where('type', '=', DELIVER_JOB).where('force_id', '=', notifyForce).where('state', '=', 'pending').executeTakeFirstOrThrow();
      await tx.updateTable('outbox').set({ send_token: 1, sending_job_id: job.id, sending_at: clock.now() }).where('id', '=', id).execute();
    });

    await worker().runDue();
    expect(sendsOf(notify, id)).toHaveLength(1);
    expect(await outboxRow(app, notifyForce, id)).toMatchObject({ status: 'sent', send_token: 2, sending_job_id: null });
    notify.answerSome(null);
  });
});
