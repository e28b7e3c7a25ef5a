// A delivery run recording its outcomes, and another transaction locking the same two outbox
// messages in id order (a journey deciding a victim added again, a withdrawal): the run wrote
// its sent messages first and then each failure, so it held the later message while it waited
// for the earlier one, and the other held the earlier while it waited for the later. PostgreSQL
// broke the deadlock by failing one of them. The run now locks its messages in id order first
// (decision 0151), so one of the two waits for the other. PGlite runs one transaction at a time,
// so only PostgreSQL can hold them together.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { outboxEvents, outboxRow, queueWithDelivery, useNotifyCase } from './outbox-kit.ts';

const referenceOf = (body: string) => (JSON.parse(body || '{}') as { reference?: string }).reference ?? '';

describe.skipIf(ENGINE !== 'postgres')('a delivery recording its outcomes while another transaction locks its messages in id order', () => {
  const started = useNotifyCase('delivery-lock-order-callback-token', '9e0a1c2e');

  it('records-a-sent-text-and-a-failed-one-after-the-other-transaction-without-a-deadlock', async () => {
    const { app, forceId, caseId, notify } = started;
    const text = (n: number) => ({ channel: 'sms' as const, recipient: `+44770090070${n}`, subject: '', body: 'Your case has been allocated to PC Jones.' });
    const queued = [await queueWithDelivery(app, forceId, [text(1)], { caseId }), await queueWithDelivery(app, forceId, [text(2)], { caseId })];
    const [earlier = '', later = ''] = [...queued].sort();
    // Notify takes the later one and turns the earlier down for now: the run writes the later
    // (sent) first, then the earlier (an attempt to try again).
    notify.answerSome((request) => (referenceOf(request.body) === earlier ? { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } } : null));
    const provider = notify.holdAnswers();
    const delivering = app.runner?.runDue();
    // The run has read its messages (and let them go): the sends are with Notify.
    await provider.arrived;

    const other = new pg.Client({ connectionString: app.config.databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      // Quick to look for a deadlock, so that were there one, this side would be the one failed
      // (the run would record each outcome alone, and nothing would show it).
      await other.query(`set local deadlock_timeout = '20ms'`);
      await other.query('select id from outbox where id = $1 for update', [earlier]);
      provider.release();
      // The run records its outcomes: it waits for the earlier message.
      let isDelivered = false;
      void delivering?.finally(() => (isDelivered = true));
      for (;;) {
        const { rows } = await other.query<{ waiting: number }>(
          `select count(*)::int as waiting from pg_locks
            where not granted
              and pid in (select pid from pg_locks where database = (select oid from pg_database where datname = current_database()))`,
        );
        if ((rows[0]?.waiting ?? 0) > 0) break;
        if (isDelivered) throw new Error('the delivery recorded its outcomes without waiting for the earlier message');
      }
      // The other transaction goes on to the later message, as a lock in id order does.
      await other.query('select id from outbox where id = $1 for update', [later]);
      await other.query('commit');
    } finally {
      await other.end();
      await delivering;
    }

    // Each outcome recorded once: the later sent, the earlier waiting for its next attempt.
    expect(await outboxRow(app, forceId, later)).toMatchObject({ status: 'sent', attempts: 1 });
    expect((await outboxEvents(app, forceId, later)).map((event) => event.type)).toEqual(['outbox.sent']);
    expect(await outboxRow(app, forceId, earlier)).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('sms:') });
    expect((await outboxEvents(app, forceId, earlier)).map((event) => event.type)).toEqual([]);
  });
});
