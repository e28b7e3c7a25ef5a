import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { loadQueues, replaceQueueRules } from '../../src/capabilities/queue/queues.service.ts';

// Each process keeps a force's queues and rules for a few seconds, as every new contact reads them.
// A save of the rules that is rolled back (its event could not be appended, the connection was
// lost) must leave nothing of itself there: new contacts would be routed by rules that were never
// stored.
describe('the queues each process keeps', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('keeps-nothing-of-a-save-of-the-rules-that-was-rolled-back', async () => {
    const { db } = app.database;
    const forceId = app.demoForceId;
    const clock = app.deps.clock;
    const admin = await withForce(db, forceId, (tx) => tx.selectFrom('staff').select('id').where('email', '=', 'admin@demo.police.uk').executeTakeFirstOrThrow());
    const before = await withForce(db, forceId, (tx) => loadQueues(tx, forceId, clock));
    const queueId = before.queues[0]?.id ?? '';

    await expect(
      withForce(db, forceId, async (tx) => {
        const saved = await replaceQueueRules(tx, forceId, clock, { rules: [{ queueId, channels: ['sms_twilio'] }] }, admin.id);
        expect(saved.rules).toEqual([expect.objectContaining({ queueId, channels: ['sms_twilio'] })]);
        throw new Error('rolled back after the rules were written');
      }),
    ).rejects.toThrow('rolled back');

    const after = await withForce(db, forceId, (tx) => loadQueues(tx, forceId, clock));
    expect(after.rules).toEqual(before.rules);
  });
});
