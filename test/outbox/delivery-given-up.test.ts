import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { connectNotify, createForceWithCase, notifyFixture, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

// An outbox delivery job given up for a failure outside the send (decision 0116): the force's
// Notify settings no longer open, so every attempt throws before anything is sent. The message is
// failed, for staff to send again once the cause is mended, rather than left waiting for ever.
// Notify's API is served locally as it documents it.

const CALLBACK_TOKEN = 'given-up-notify-callback-token';
const TEXT = { channel: 'sms' as const, recipient: '+447700900654', subject: '', body: 'Your case has been allocated to PC Jones.' };

describe(`an outbox delivery given up (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let forceId: ForceId;
  let caseId: string;
  let slug: string;

  beforeAll(async () => {
    notify = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    ({ forceId, caseId, slug } = await createForceWithCase(app));
    await connectNotify(app, forceId, notify.url, CALLBACK_TOKEN);
    notify.respondWith(201, () => ({ ...notifyFixture('notification-created.json'), id: '9d0a1c2e-0000-4000-8000-116000000001' }));
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
  });

  const account = () => withForce(app.database.db, forceId, (tx) => tx.selectFrom('channel_accounts').select(['id', 'config_ciphertext']).where('label', '=', 'Journeys Notify service').executeTakeFirstOrThrow());
  const seal = (id: string, sealed: string) => withForce(app.database.db, forceId, (tx) => tx.updateTable('channel_accounts').set({ config_ciphertext: sealed }).where('id', '=', id).execute());
  const jobOf = (id: string) => withForce(app.database.db, forceId, (tx) => tx.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('idempotency_key', '=', id).executeTakeFirstOrThrow());

  it('fails-the-message-in-staff’s-words-when-its-delivery-job-dies-outside-the-send, once, and it may be sent again', async () => {
    const stored = await account();
    await seal(stored.id, 'not-sealed-settings');
    const id = await queueWithDelivery(app, forceId, [TEXT], { caseId });
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      await app.runner?.runDue();
      clock.advance(60 * 60_000);
    }
    const job = await jobOf(id);
    expect(job).toMatchObject({ state: 'dead', attempts: 8 });
    // The internal failure stays on the job, for an admin.
    expect(job.last_error).not.toBe('');
    const failed = await outboxRow(app, forceId, id);
    expect(failed).toMatchObject({ status: 'failed', channel: 'sms', last_error: 'sms: the delivery could not be completed after 8 attempts; send it again' });
    expect(notify.requests).toHaveLength(0);
    expect((await outboxEvents(app, forceId, id)).map((e) => e.type)).toEqual(['outbox.failed']);

    // Run again by an admin (or a worker that took it over): the message is settled once.
    await withForce(app.database.db, forceId, (tx) => tx.updateTable('jobs').set({ state: 'pending', attempts: 7, run_at: clock.now() }).where('idempotency_key', '=', id).execute());
    await app.runner?.runDue();
    expect(await jobOf(id)).toMatchObject({ state: 'done' });
    expect((await outboxEvents(app, forceId, id)).map((e) => e.type)).toEqual(['outbox.failed']);

    // The cause mended, staff send it again and it goes.
    await seal(stored.id, stored.config_ciphertext);
    const supervisor = await signIn(app, `supervisor@${slug}.police.uk`);
    const again = await app.inject({ method: 'POST', url: `/api/outbox/${id}/send-again`, headers: supervisor.headers });
    expect(again.statusCode, again.body).toBe(200);
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(notify.requests).toHaveLength(1);
    expect((await outboxEvents(app, forceId, id)).map((e) => e.type)).toEqual(['outbox.failed', 'outbox.sent_again', 'outbox.sent']);
    expect(await withForce(app.database.db, forceId, (tx) => verifyChain(tx, forceId))).toMatchObject({ ok: true });
  });
});
