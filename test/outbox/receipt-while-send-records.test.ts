// A fast provider's delivery receipt arriving while the send that it is about is being recorded:
// the receipt looked for the provider's id before the send had committed it, so it was kept in
// the backlog for the send to take, but the send had already looked there before the receipt
// committed. Neither saw the other and the receipt was never applied: the message stayed "sent".
// Receipt and send now take turns on the provider's id. PGlite runs one transaction at a time, so
// only PostgreSQL can hold them together.
import { describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { notifyFixture, outboxEvents, outboxRow, postNotifyReceipt, queueWithDelivery, useNotifyCase } from './outbox-kit.ts';

const CALLBACK_TOKEN = 'receipt-while-sending-callback-token';

describe.skipIf(ENGINE !== 'postgres')('a delivery receipt arriving while its send is recorded', () => {
  const started = useNotifyCase(CALLBACK_TOKEN, '7e0a1c2e');

  it('applies-the-receipt-once-whichever-commits-first', async () => {
    const { app, forceId, caseId, notify } = started;
    const notificationId = '7e0a1c2e-0000-4000-8000-00000000aaaa';
    notify.respondWith(201, { ...notifyFixture('notification-created.json'), id: notificationId });
    const id = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900654', subject: '', body: 'Your case has been allocated to PC Jones.' }], { caseId });
    const receipt = { ...notifyFixture('delivery-receipt-delivered.json'), id: notificationId, reference: id };

    // The send waits to take the backlog, its provider id written; the receipt then waits to add to it.
    const [, received] = await heldTogether<Awaited<ReturnType<typeof postNotifyReceipt>> | null>(app, 'lock table delivery_status_backlog in share mode', [
      async () => {
        await app.runner?.runDue();
        return null;
      },
      () => postNotifyReceipt(app, CALLBACK_TOKEN, receipt),
    ]);
    expect(received?.statusCode, received?.body).toBe(200);

    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered', provider_message_id: notificationId });
    expect((await outboxEvents(app, forceId, id)).map((event) => event.type)).toEqual(['outbox.sent', 'outbox.delivered']);
    const waiting = await withForce(app.database.db, forceId, (tx) => tx.selectFrom('delivery_status_backlog').select('status').where('provider_message_id', '=', notificationId).execute());
    expect(waiting).toEqual([]);
  });
});
