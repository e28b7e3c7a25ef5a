import { describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { seededEnv } from '../cli-kit.ts';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';
import type { PublicReport } from '../../src/capabilities/intake/intake.schema.ts';

function report(tag: string): PublicReport {
  return {
    submissionId: newId(),
    whatHappened: `Report ${tag}: someone keeps trying car door handles on our street.`,
    where: 'Acacia Avenue',
    when: 'tonight',
    name: 'Two Phase',
    email: `two-phase-${tag}@example.org`,
  };
}

async function contactsOf(app: App, forceId: ForceId, submissionIds: readonly string[]) {
  return withForce(app.database.db, forceId, (tx) =>
    tx
      .selectFrom('messages as m')
      .innerJoin('contacts as c', 'c.id', 'm.contact_id')
      .select(['c.reference', 'c.queue_id'])
      .where('m.force_id', '=', forceId)
      .where('m.provider_message_id', 'in', [...submissionIds])
      .execute(),
  );
}

async function receivedCount(app: App, forceId: ForceId): Promise<number> {
  const rows = await withForce(app.database.db, forceId, (tx) => tx.selectFrom('received_reports').select('id').where('force_id', '=', forceId).execute());
  return rows.length;
}

describe('a crash between accepting and processing', () => {
  it('loses-nothing-the-next-start-processes-what-was-left', async () => {
    // A database that survives closing the app, already migrated and seeded.
    const { env: database, cleanup } = await seededEnv('received');
    const env = { NODE_ENV: 'test', LOG_LEVEL: 'silent', ...database, ...(ENGINE === 'postgres' ? { DATABASE_POOL_SIZE: '3' } : {}) };
    try {
      const reports = [report('c1'), report('c2'), report('c3')];
      // The first process acknowledges the reports and stops before processing any (as kill -9 would).
      const first = await buildApp(loadConfig(env), { startWorker: false, processReports: false });
      const forceId = (await withSystem(first.database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())).id as ForceId;
      const accepted = await Promise.all(reports.map((r) => first.reports.accept(forceId, r)));
      expect(await contactsOf(first, forceId, reports.map((r) => r.submissionId))).toHaveLength(0);
      await first.close();

      const second = await buildApp(loadConfig(env), { startWorker: false });
      try {
        await second.reports.settled();
        const stored = await contactsOf(second, forceId, reports.map((r) => r.submissionId));
        expect(stored.map((c) => c.reference).sort()).toEqual(accepted.map((a) => a.reference).sort());
        expect(stored.every((c) => c.queue_id !== null)).toBe(true);
        expect(await receivedCount(second, forceId)).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      await cleanup();
    }
  });
});
