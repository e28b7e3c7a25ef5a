import { describe, expect, it } from 'vitest';
import { withForce } from '../../src/platform/db/database.ts';
import { Announcements } from '../../src/platform/events/announcements.ts';
import { recordDeliveryStatuses } from '../../src/capabilities/channels/delivery-statuses.service.ts';
import { outboxRow, queueWithDelivery, useNotifyCase } from './outbox-kit.ts';

// A provider request reporting on several messages locks their rows in one id order before it
// applies each (decision 0151), reading their ids first; more than one statement's worth of
// provider ids must still find and apply the ones that are ours.

describe('delivery statuses for several outbox messages in one request', () => {
  const started = useNotifyCase('receipts-for-several-callback-token', '3e0a1c2e');

  const text = (n: number) => ({ channel: 'sms' as const, recipient: `+44770090090${n}`, subject: '', body: 'Your case has been allocated to PC Jones.' });

  async function sentPair(): Promise<{ id: string; providerId: string }[]> {
    const { app, forceId, caseId } = started;
    const ids = [await queueWithDelivery(app, forceId, [text(1)], { caseId }), await queueWithDelivery(app, forceId, [text(2)], { caseId })];
    await app.runner?.runDue();
    const rows = await Promise.all(ids.map((id) => outboxRow(app, forceId, id)));
    return rows.map((row) => {
      expect(row).toMatchObject({ status: 'sent' });
      return { id: row.id, providerId: String(row.provider_message_id) };
    });
  }

  async function report(providerIds: string[], status: 'delivered' | 'failed'): Promise<number> {
    const { app, forceId } = started;
    return withForce(app.database.db, forceId, (tx) =>
      recordDeliveryStatuses(
        tx,
        forceId,
        app.deps.clock,
        'notify',
        providerIds.map((providerMessageId) => ({ providerMessageId, status, reason: null })),
        new Announcements(),
      ),
    );
  }

  it('applies-each-of-a-requests-statuses-whatever-order-the-provider-gives-them', async () => {
    const { app, forceId } = started;
    const [first, second] = await sentPair();
    if (!first || !second) throw new Error('two messages expected');
    await report([second.providerId, first.providerId], 'delivered');
    expect(await outboxRow(app, forceId, first.id)).toMatchObject({ status: 'delivered' });
    expect(await outboxRow(app, forceId, second.id)).toMatchObject({ status: 'delivered' });
  });

  it('applies-the-outboxs-statuses-among-more-than-a-thousand-provider-ids', async () => {
    const { app, forceId } = started;
    const [first, second] = await sentPair();
    if (!first || !second) throw new Error('two messages expected');
    const strangers = Array.from({ length: 1200 }, (_, n) => `not-ours-${n}`);
    await report([...strangers.slice(0, 700), second.providerId, ...strangers.slice(700), first.providerId], 'delivered');
    expect(await outboxRow(app, forceId, first.id)).toMatchObject({ status: 'delivered' });
    expect(await outboxRow(app, forceId, second.id)).toMatchObject({ status: 'delivered' });
  });
});
