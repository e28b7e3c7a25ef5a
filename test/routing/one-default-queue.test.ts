import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { migrationStatements } from '../migration-script.ts';
import { withForce, withSystem, type Tx } from '../../src/platform/db/database.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';
import { planNewContactRoutes } from '../../src/capabilities/queue/routing.service.ts';
import { ensureDefaultQueues } from '../../src/capabilities/queue/queues.service.ts';
import { heldTogether } from '../held-together.ts';

// A force has at most one default queue, and the database holds it to that (migration 0055), not
// only the lock taken when an admin chooses one (decision 0091). A force that somehow came to have
// several keeps the one an admin chose last, if that is still among them, else the one routing
// used (the first in display order that is not the control room's); a force with none is given
// none, since routing then sends unmatched contacts to the last queue.


const defaultsOf = async (app: TestApp, forceId: ForceId) =>
  (
    await withSystem(app.database.db, (tx) =>
      tx.selectFrom('queues').select('key').where('force_id', '=', forceId).where('is_default', '=', true).orderBy('position').execute(),
    )
  ).map((row) => row.key);

/** Makes exactly these queues of the force its defaults, as a script or a hand-written statement could. */
const setDefaults = (tx: Tx, forceId: ForceId, keys: string[]) =>
  tx
    .updateTable('queues')
    .set({ is_default: sql<boolean>`key = any(${sql.val(keys)}::text[])` })
    .where('force_id', '=', forceId)
    .execute();

const idOf = async (app: TestApp, forceId: ForceId, key: string) =>
  (await withSystem(app.database.db, (tx) => tx.selectFrom('queues').select('id').where('force_id', '=', forceId).where('key', '=', key).executeTakeFirstOrThrow())).id;

describe(`one default queue per force (${ENGINE})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('keeps-one-default-per-force-the-last-chosen-else-the-one-routing-used-and-invents-none (migration 0055)', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const makeDefault = async (session: Awaited<ReturnType<typeof signIn>>, forceId: ForceId, key: string) => {
      const made = await app.inject({ method: 'POST', url: `/api/queues/${await idOf(app, forceId, key)}/default`, headers: session.headers, payload: {} });
      expect(made.statusCode, made.body).toBe(200);
    };
    // The demo force chose Online reports; a second default was written later by other means.
    const chosen = app.demoForceId;
    await makeDefault(admin, chosen, 'online_report');
    // A force whose last choice (Online reports) is no longer a default: routing used Domestic abuse, the first of its two.
    const stale = await createDemoLikeForce(app);
    await makeDefault(await signIn(app, stale.emailOf('admin@demo.police.uk')), stale.forceId, 'online_report');
    // A force that never chose: the control room and two others marked default; routing used the control room.
    const unchosen = await createDemoLikeForce(app);
    const none = await createDemoLikeForce(app);
    const untouched = await createDemoLikeForce(app);

    await withSystem(app.database.db, async (tx) => {
      // As the data could be before the index: it is dropped to write it.
      await sql`drop index if exists queues_one_default_per_force`.execute(tx);
      await setDefaults(tx, chosen, ['online_report', 'general']);
      await setDefaults(tx, stale.forceId, ['domestic', 'general']);
      await setDefaults(tx, unchosen.forceId, ['control_room', 'public_safety', 'general']);
      await setDefaults(tx, none.forceId, []);
      for (const statement of migrationStatements('0055')) await sql.raw(statement).execute(tx);
    });

    expect(await defaultsOf(app, chosen)).toEqual(['online_report']);
    expect(await defaultsOf(app, stale.forceId)).toEqual(['domestic']);
    expect(await defaultsOf(app, unchosen.forceId)).toEqual(['public_safety']);
    expect(await defaultsOf(app, none.forceId)).toEqual([]);
    expect(await defaultsOf(app, untouched.forceId)).toEqual(['general']);
    // With no default, routing still has a queue for a contact no rule matches: the last one.
    const [route] = await withForce(app.database.db, none.forceId, (tx) =>
      planNewContactRoutes(tx, none.forceId, app.deps.clock, [{ contactId: newId(), reference: 'TEST-1', channel: 'email', categories: [], priority: 4 }]),
    );
    expect(route?.queue?.key).toBe('general');
  });

  it('refuses-a-second-default-written-straight-to-the-database', async () => {
    const force = await createDemoLikeForce(app);
    expect(await defaultsOf(app, force.forceId)).toEqual(['general']);

    const marked = withForce(app.database.db, force.forceId, (tx) =>
      tx.updateTable('queues').set({ is_default: true }).where('force_id', '=', force.forceId).where('key', '=', 'domestic').execute(),
    );
    await expect(marked).rejects.toMatchObject({ code: '23505' });
    const inserted = withForce(app.database.db, force.forceId, (tx) =>
      tx
        .insertInto('queues')
        .values({
          id: newId(),
          force_id: force.forceId,
          key: 'second_default',
          name: 'Second default',
          is_default: true,
          sla: JSON.stringify({}),
          position: 6,
          created_at: app.deps.clock.now(),
        })
        .execute(),
    );
    await expect(inserted).rejects.toMatchObject({ code: '23505' });
    expect(await defaultsOf(app, force.forceId)).toEqual(['general']);

    // Each force has its own: another force's default is no conflict, and moving the default still works.
    const admin = await signIn(app, force.emailOf('admin@demo.police.uk'));
    const moved = await app.inject({ method: 'POST', url: `/api/queues/${await idOf(app, force.forceId, 'domestic')}/default`, headers: admin.headers, payload: {} });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await defaultsOf(app, force.forceId)).toEqual(['domestic']);
  });

  // Only PostgreSQL runs two transactions at once; PGlite takes them one after the other.
  it.skipIf(ENGINE === 'pglite')('gives-a-force-its-default-queues-once-when-two-first-uses-race-one-default-among-them', async () => {
    const force = await createDemoLikeForce(app);
    // A force from before queues were made with it: no queues, no rules.
    await withSystem(app.database.db, async (tx) => {
      await tx.deleteFrom('queue_rules').where('force_id', '=', force.forceId).execute();
      await tx.deleteFrom('queues').where('force_id', '=', force.forceId).execute();
    });
    const firstUse = () => withForce(app.database.db, force.forceId, (tx) => ensureDefaultQueues(tx, force.forceId, app.deps.clock));
    // Both read "no queues" before either writes: the table is held so neither may write until both are waiting.
    const outcomes = await heldTogether(app, 'lock table queues in share mode', [
      () => firstUse().then(() => 'done', (error: unknown) => error),
      () => firstUse().then(() => 'done', (error: unknown) => error),
    ]);
    expect(outcomes).toEqual(['done', 'done']);
    expect(await defaultsOf(app, force.forceId)).toEqual(['general']);
    const counted = await withSystem(app.database.db, (tx) =>
      sql<{ queues: number; rules: number }>`select (select count(*)::int from queues where force_id = ${force.forceId}) as queues,
        (select count(*)::int from queue_rules where force_id = ${force.forceId}) as rules`.execute(tx),
    );
    const other = await createDemoLikeForce(app);
    const expected = await withSystem(app.database.db, (tx) =>
      sql<{ queues: number; rules: number }>`select (select count(*)::int from queues where force_id = ${other.forceId}) as queues,
        (select count(*)::int from queue_rules where force_id = ${other.forceId}) as rules`.execute(tx),
    );
    expect(counted.rows[0]).toEqual(expected.rows[0]);
  });
});
