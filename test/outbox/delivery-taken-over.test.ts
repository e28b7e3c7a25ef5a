// A delivery whose job's lease runs out while Notify is taking its message (its renewals did not
// get through): another worker takes the job over and finds the message no longer true (an
// appointment moved meanwhile). It withdrew it, while the first run had it with Notify: the
// message went, and read withdrawn, its send never recorded. Now the run that took the job over
// leaves such a message to the first run's record, and its job tries again later (decision 0151).
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { JobRunner } from '../../src/platform/jobs/jobs.ts';
import { MailerPool } from '../../src/platform/mail/mailer.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { createDeliverHandler, createDeliveryGivenUpHandler } from '../../src/capabilities/outbox/outbox-delivery.jobs.ts';
import type { UntrueCheck } from '../../src/capabilities/outbox/outbox-withdraw.service.ts';
import { DELIVER_JOB } from '../../src/capabilities/outbox/outbox.events.ts';
import { createForceWithNotifyCase, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

const LEASE_MS = 60_000;
const MOVED = 'the appointment was moved';

describe(`a delivery job taken over while its message is with the provider (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let forceId: ForceId;
  let caseId: string;
  const mailers = new MailerPool();
  /** The messages no longer true, as the composition root's check would find them. */
  const untrue = new Set<string>();
  const findUntrue: UntrueCheck = async (_tx, _forceId, _now, messages) => new Map(messages.filter((message) => untrue.has(message.id)).map((message) => [message.id, MOVED]));
  /** A worker whose lease renewals never get through (its timer is an hour): the lease runs its course. */
  const worker = () =>
    new JobRunner({
      db: app.database.db,
      clock,
      logger: app.deps.logger,
      handlers: new Map(),
      deadHandlers: new Map([[DELIVER_JOB, createDeliveryGivenUpHandler({ clock, findUntrue })]]),
      batchHandlers: new Map([[DELIVER_JOB, createDeliverHandler({ clock, mailer: null, mailFrom: 'test@example.org', mailers, secrets: new SecretBox(app.config.secretsKey), fetcher: fetch, findUntrue })]]),
      leaseMs: LEASE_MS,
      leaseRenewMs: 3_600_000,
    });

  beforeAll(async () => {
    notify = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    ({ forceId, caseId } = await createForceWithNotifyCase(app, notify, 'taken-over-callback-token', '5e0a1c2e'));
  });
  afterAll(async () => {
    await app?.close();
    await notify?.close();
    mailers.close();
  });

  const text = (n: number) => ({ channel: 'sms' as const, recipient: `+44770090080${n}`, subject: '', body: 'A reminder of your appointment on Tuesday at 10:00.' });
  const jobOf = (outboxId: string) =>
    withForce(app.database.db, forceId, (tx) => tx.selectFrom('jobs').select(['state', 'last_error']).where('type', '=', DELIVER_JOB).where(sql<string>`payload ->> 'outboxId'`, '=', outboxId).executeTakeFirstOrThrow());

  /** A message queued, its delivery with Notify (answers held), the lease run out, and the message no longer true. */
  const takenOverWhileSending = async (n: number, isTurnedDown = false) => {
    const id = await queueWithDelivery(app, forceId, [text(n)], { caseId });
    if (isTurnedDown) notify.answerSome(() => ({ status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } }));
    const provider = notify.holdAnswers();
    const first = worker().runDue();
    await provider.arrived;
    clock.advance(LEASE_MS + 1_000);
    untrue.add(id);
    return { id, provider, first };
  };

  it('records-the-message-sent-when-the-run-that-took-its-job-over-finds-it-no-longer-true', async () => {
    const { id, provider, first } = await takenOverWhileSending(1);

    // The second worker takes the job over: it neither withdraws the message nor sends it again.
    await worker().runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'pending' });
    expect(await jobOf(id)).toMatchObject({ state: 'pending', last_error: expect.stringContaining('taken over') });

    // Notify took it: the first run records it sent, the one send there was.
    provider.release();
    await first;
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'sent', provider_message_id: expect.any(String) });
    expect((await outboxEvents(app, forceId, id)).map((event) => event.type)).toEqual(['outbox.sent']);
    expect(notify.requests.filter((request) => request.body.includes(id))).toHaveLength(1);
  });

  it('withdraws-the-message-on-the-next-attempt-when-the-provider-turned-the-first-runs-send-down', async () => {
    const { id, provider, first } = await takenOverWhileSending(2, true);
    await worker().runDue();
    provider.release();
    await first;
    notify.answerSome(null);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'pending' });

    // Its job tried again, not taken over this time: what is no longer true does not go.
    clock.advance(3_600_000);
    await worker().runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'suppressed', last_error: MOVED });
    expect((await outboxEvents(app, forceId, id)).map((event) => event.type)).toEqual(['outbox.withdrawn']);
    expect(notify.requests.filter((request) => request.body.includes(id))).toHaveLength(1);
  });

  it('withdraws-a-message-no-longer-true-whose-job-was-taken-over-on-its-last-attempt-instead-of-failing-it-to-send-again', async () => {
    // The worker on the job's last attempt but one died with it (its lease ran out); nothing was recorded.
    const id = await queueWithDelivery(app, forceId, [text(3)], { caseId });
    await withForce(app.database.db, forceId, (tx) =>
      tx
        .updateTable('jobs')
        .set({ state: 'running', attempts: 1, max_attempts: 2, locked_until: new Date(clock.now().getTime() - 1_000) })
        .where('type', '=', DELIVER_JOB)
        .where(sql<string>`payload ->> 'outboxId'`, '=', id)
        .execute(),
    );
    untrue.add(id);

    // Taken over on its last attempt, the job dies: the message, still unsent and no longer true,
    // is withdrawn as such, not failed with a word to staff to send it again.
    await worker().runDue();
    expect(await jobOf(id)).toMatchObject({ state: 'dead' });
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'suppressed', last_error: MOVED });
    expect((await outboxEvents(app, forceId, id)).map((event) => event.type)).toEqual(['outbox.withdrawn']);
    expect(notify.requests.filter((request) => request.body.includes(id))).toHaveLength(0);
  });
});
