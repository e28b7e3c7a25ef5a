// Several writers of many outbox messages at once, over the same messages, each given them in its
// own order: the release of held texts, a withdrawal, and a provider's request reporting on
// several. Each takes its rows in id order (decision 0151), so none waits on another that waits
// on it: PostgreSQL never has to break a deadlock (40P01), and each message ends in one state,
// each move recorded once (decision 0160). PGlite runs one transaction at a time, so only
// PostgreSQL can hold them together.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withForce, type Tx } from '../../src/platform/db/database.ts';
import { Announcements } from '../../src/platform/events/announcements.ts';
import type { Job } from '../../src/platform/jobs/jobs.ts';
import type { JobId } from '../../src/platform/ids.ts';
import { recordDeliveryStatuses } from '../../src/capabilities/channels/delivery-statuses.service.ts';
import { createReleaseHeldTextsHandler } from '../../src/capabilities/outbox/outbox-release.service.ts';
import { withdrawQueuedMessages } from '../../src/capabilities/outbox/outbox-withdraw.service.ts';
import { NO_TEXT_PROVIDER } from '../../src/capabilities/outbox/senders/sms.sender.ts';
import { outboxEvents, outboxRow, queueWithDelivery, useNotifyCase } from './outbox-kit.ts';

const ROUNDS = 5;

describe.skipIf(ENGINE !== 'postgres')('writers of several outbox messages at once over the same messages', () => {
  const started = useNotifyCase('outbox-writers-contention-callback-token', '5e0a1c2e');
  let texts = 0;
  const text = () => ({ channel: 'sms' as const, recipient: `+4477009${String((texts += 1)).padStart(5, '0')}`, subject: '', body: 'Your case has been allocated to PC Jones.' });

  /** Runs each piece of work in a transaction of its own, all open at once before any of them starts. */
  async function together(works: readonly ((tx: Tx) => Promise<unknown>)[]) {
    const { app, forceId } = started;
    let arrived = 0;
    let startAll = () => {};
    const allOpen = new Promise<void>((resolve) => (startAll = resolve));
    return Promise.allSettled(
      works.map((work) =>
        withForce(app.database.db, forceId, async (tx) => {
          // The transaction has its connection and has begun before any writer runs.
          await sql`select 1`.execute(tx);
          arrived += 1;
          if (arrived === works.length) startAll();
          await allOpen;
          return work(tx);
        }),
      ),
    );
  }

  it('releases-withdraws-and-records-a-several-message-receipt-over-the-same-messages-without-a-deadlock', async () => {
    const { app, forceId, caseId } = started;
    const clock = app.deps.clock;
    const releaseJob: Job = { id: 'contention-release' as JobId, forceId, type: 'outbox.release_held_texts', payload: {}, state: 'running', attempts: 1, maxAttempts: 8, runAt: clock.now(), lastError: null, createdAt: clock.now() };
    for (let round = 0; round < ROUNDS; round += 1) {
      // Four texts Notify took, and six held for want of a text provider (as a force's are before it connects one).
      const sent: string[] = [];
      for (let n = 0; n < 4; n += 1) sent.push(await queueWithDelivery(app, forceId, [text()], { caseId }));
      for (let n = 0; n < 3; n += 1) await app.runner?.runDue();
      const sentRows = await Promise.all(sent.map((id) => outboxRow(app, forceId, id)));
      expect(sentRows.map((row) => row.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
      const held: string[] = [];
      for (let n = 0; n < 6; n += 1) held.push(await queueWithDelivery(app, forceId, [text()], { caseId, runAt: new Date(clock.now().getTime() + 86_400_000) }));
      await withForce(app.database.db, forceId, (tx) => tx.updateTable('outbox').set({ status: 'held', last_error: NO_TEXT_PROVIDER }).where('id', 'in', held).execute());
      const everyOne = [...sent, ...held];
      // Each writer given the messages in an order of its own: by id backwards, and interleaved.
      const backwards = [...everyOne].sort().reverse();
      const interleaved = [...everyOne].sort().flatMap((id, i, all) => (i % 2 === 0 ? [all[all.length - 1 - i] ?? id, id] : [])).filter((id, i, all) => all.indexOf(id) === i);
      const providerIdsBackwards = [...sentRows].sort((a, b) => (a.id < b.id ? 1 : -1)).map((row) => String(row.provider_message_id));

      const outcomes = await together([
        (tx) => createReleaseHeldTextsHandler({ clock })({ job: releaseJob, inForce: (work) => work(tx) }),
        (tx) => withdrawQueuedMessages(tx, forceId, clock, { type: 'system', id: null }, { ids: backwards }, 'Sent to the wrong case'),
        (tx) => withdrawQueuedMessages(tx, forceId, clock, { type: 'system', id: null }, { ids: interleaved }, 'The case was closed'),
        (tx) => recordDeliveryStatuses(tx, forceId, clock, 'notify', providerIdsBackwards.map((providerMessageId) => ({ providerMessageId, status: 'delivered', reason: null })), new Announcements()),
      ]);
      const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [String((o.reason as { code?: string }).code ?? o.reason)] : []));
      expect(failures, `round ${round}`).toEqual([]);

      // The texts Notify took are delivered; the held ones withdrawn, once, whichever writer came first.
      for (const id of sent) {
        const row = await outboxRow(app, forceId, id);
        expect(row).toMatchObject({ status: 'delivered' });
        expect(row.delivered_at).not.toBeNull();
        // Neither withdrawn nor released: it had gone.
        expect((await outboxEvents(app, forceId, id)).map((e) => e.type).filter((type) => type !== 'outbox.sent')).toEqual([]);
      }
      for (const id of held) {
        expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'suppressed' });
        const moves = (await outboxEvents(app, forceId, id)).map((e) => e.type);
        expect(moves.filter((type) => type === 'outbox.withdrawn')).toHaveLength(1);
        expect(moves.filter((type) => type === 'outbox.released').length).toBeLessThanOrEqual(1);
      }
    }
  });
});
