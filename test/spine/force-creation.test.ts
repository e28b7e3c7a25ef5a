import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase, submitPublicReport } from '../helpers.ts';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { openDatabase, withForce, withSystem } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';
import { systemClock } from '../../src/platform/clock.ts';
import { createForce, DEMO_ACCOUNTS } from '../../src/capabilities/admin/forces.service.ts';
import { pgliteFolder } from '../cli-kit.ts';

/** A database that survives closing the app (a folder, or a scratch PostgreSQL database). */
async function persistentEnv(): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (ENGINE === 'postgres') {
    const scratch = await createScratchDatabase();
    return { env: { DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: '3' }, cleanup: scratch.drop };
  }
  const { dir, cleanup } = pgliteFolder('force');
  return { env: { DATA_DIR: dir }, cleanup };
}

async function whatTheForceHas(app: App, slug: string) {
  const force = await withSystem(app.database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', slug).executeTakeFirstOrThrow());
  const forceId = force.id as ForceId;
  return withForce(app.database.db, forceId, async (tx) => {
    const count = async (table: 'staff' | 'triage_rule_sets' | 'message_templates' | 'queues' | 'queue_rules') =>
      Number((await tx.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('force_id', '=', forceId).executeTakeFirstOrThrow()).n);
    const active = await tx.selectFrom('triage_rule_sets').select('version').where('force_id', '=', forceId).where('is_active', '=', true).execute();
    const created = await tx.selectFrom('events').select('seq').where('force_id', '=', forceId).where('type', '=', 'force.created').execute();
    return {
      forceId,
      staff: await count('staff'),
      activeRuleSets: active.length,
      templates: await count('message_templates'),
      queues: await count('queues'),
      queueRules: await count('queue_rules'),
      creationEvents: created.length,
    };
  });
}

async function priorityOf(app: App, forceId: ForceId, text: string): Promise<number> {
  const result = await submitPublicReport(app.deps, forceId, {
    submissionId: newId(),
    whatHappened: text,
    where: '12 Station Road',
    when: 'now',
    name: null,
    email: 'caller@example.org',
  });
  const contact = await withForce(app.database.db, forceId, (tx) =>
    tx.selectFrom('contacts').select('priority').where('id', '=', result.contactId).executeTakeFirstOrThrow(),
  );
  return contact.priority;
}

describe('force creation', () => {
  it('completes-a-force-left-half-created-by-an-interrupted-start', async () => {
    const { env, cleanup } = await persistentEnv();
    try {
      // What a kill -9 during an older version's first start left behind: force rows and nothing else.
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      await migrate(database);
      await withSystem(database.db, (tx) =>
        tx
          .insertInto('forces')
          .values([
            { id: newId<ForceId>(), slug: 'demo', code: 'DEMO', name: 'Demo Constabulary' },
            { id: newId<ForceId>(), slug: 'northshire', code: 'NSP', name: 'Northshire Police' },
          ])
          .execute(),
      );
      await database.close();

      const app = await buildApp(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { startWorker: false });
      try {
        const demo = await whatTheForceHas(app, 'demo');
        expect(demo).toMatchObject({ staff: DEMO_ACCOUNTS.length, activeRuleSets: 1, creationEvents: 1 });
        expect(demo.templates).toBeGreaterThan(0);
        expect(demo.queues).toBeGreaterThan(0);
        expect(demo.queueRules).toBeGreaterThan(0);
        // A force created by the command line whose defaults never landed is completed too.
        const northshire = await whatTheForceHas(app, 'northshire');
        expect(northshire).toMatchObject({ staff: 0, activeRuleSets: 1, creationEvents: 1 });
        expect(northshire.templates).toBe(demo.templates);
        expect(northshire.queues).toBe(demo.queues);

        for (const force of [demo, northshire]) {
          expect(await priorityOf(app, force.forceId, 'My ex is outside and says he is going to kill me, please hurry')).toBeLessThanOrEqual(2);
        }
        const login = await app.http?.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@demo.police.uk', password: 'demo-password' } });
        expect(login?.statusCode).toBe(200);
      } finally {
        await app.close();
      }

      // A force made before a default template shipped (the code by text) lacks only that one.
      const older = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      const shipped = await withSystem(older.db, (tx) => tx.selectFrom('message_templates').select((eb) => eb.fn.countAll<number>().as('n')).where('channel', '=', 'sms').where('key', '=', 'portal.access_code').executeTakeFirstOrThrow());
      expect(Number(shipped.n)).toBe(4);
      await withSystem(older.db, (tx) => tx.deleteFrom('message_templates').where('channel', '=', 'sms').where('key', '=', 'portal.access_code').execute());
      await older.close();

      // A second start adds what shipped since, and nothing twice.
      const again = await buildApp(loadConfig({ ...env, NODE_ENV: 'test', LOG_LEVEL: 'silent' }), { startWorker: false });
      try {
        const demo = await whatTheForceHas(again, 'demo');
        expect(demo).toMatchObject({ staff: DEMO_ACCOUNTS.length, activeRuleSets: 1, creationEvents: 1 });
        expect((await whatTheForceHas(again, 'northshire')).templates).toBe(demo.templates);
        const restored = await withSystem(again.database.db, (tx) => tx.selectFrom('message_templates').select(['force_id', 'locale']).where('channel', '=', 'sms').where('key', '=', 'portal.access_code').execute());
        expect(restored).toHaveLength(4);
      } finally {
        await again.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('leaves-no-force-behind-when-a-step-of-its-creation-fails', async () => {
    const { env, cleanup } = await persistentEnv();
    try {
      const database = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      await migrate(database);
      try {
        // The last step (queues) fails, as a crash there would end it.
        await sql`create function refuse_queues() returns trigger language plpgsql as $$ begin raise exception 'disk on fire'; end $$`.execute(
          database.db,
        );
        await sql`create trigger refuse_queues before insert on queues for each row execute function refuse_queues()`.execute(database.db);
        await expect(createForce(database.db, systemClock, { slug: 'northshire', code: 'NSP', name: 'Northshire Police' })).rejects.toThrow(/disk on fire/);
        const left = await withSystem(database.db, async (tx) => ({
          forces: await tx.selectFrom('forces').select('id').execute(),
          ruleSets: await tx.selectFrom('triage_rule_sets').select('version').execute(),
          templates: await tx.selectFrom('message_templates').select('id').execute(),
          events: await tx.selectFrom('events').select('seq').execute(),
        }));
        expect(left).toEqual({ forces: [], ruleSets: [], templates: [], events: [] });

        await sql`drop trigger refuse_queues on queues`.execute(database.db);
        const created = await createForce(database.db, systemClock, { slug: 'northshire', code: 'NSP', name: 'Northshire Police' });
        expect(created.isNew).toBe(true);
      } finally {
        await database.close();
      }
    } finally {
      await cleanup();
    }
  });
});
