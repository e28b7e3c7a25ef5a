import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { appendEvent, appendEvents, verifyChain } from '../../src/platform/events/event-log.ts';

describe('the hash-chained event log', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    for (let i = 0; i < 3; i += 1) {
      await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: `chain-${i}`,
        whatHappened: `Report number ${i}`,
        where: 'High Street',
        when: 'today',
        name: null,
        email: `person${i}@example.org`,
      });
    }
  });
  afterAll(() => app.close());

  it('links every event to the one before it and verifies end to end', async () => {
    const result = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(result.ok).toBe(true);
    const count = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n')).where('force_id', '=', app.demoForceId).executeTakeFirstOrThrow(),
    );
    expect(result.checked).toBe(Number(count.n));
    const rows = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['seq', 'prev_hash', 'hash']).where('force_id', '=', app.demoForceId).orderBy('seq').execute(),
    );
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]?.prev_hash).toBe(rows[i - 1]?.hash);
  });

  it('reports-the-exact-event-that-was-edited-in-sql', async () => {
    const target = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['seq']).where('force_id', '=', app.demoForceId).where('type', '=', 'contact.received').orderBy('seq').executeTakeFirstOrThrow(),
    );
    // Tampering needs the owner to switch off the append-only trigger: exactly what an attacker with
    // direct database access would do.
    await withSystem(app.database.db, async (tx) => {
      await sql`set local session_replication_role = replica`.execute(tx);
      await sql`update events set data = jsonb_set(data, '{channel}', '"edited"') where force_id = ${app.demoForceId} and seq = ${target.seq}`.execute(tx);
    });
    const result = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(result.ok).toBe(false);
    expect(result.firstBroken?.seq).toBe(Number(target.seq));
    expect(result.checked).toBe(Number(target.seq) - 1);

    const admin = await signIn(app, 'admin@demo.police.uk');
    const response = await app.inject({ method: 'GET', url: '/api/audit/verify', headers: admin.headers });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ ok: false, firstBroken: { seq: Number(target.seq) } });
  });

  it('refuses-event-updates-and-deletes-even-by-the-owner-while-the-trigger-stands', async () => {
    await expect(withSystem(app.database.db, (tx) => sql`delete from events`.execute(tx))).rejects.toThrow(/append-only/);
    await expect(withSystem(app.database.db, (tx) => sql`update events set type = 'x'`.execute(tx))).rejects.toThrow(/append-only/);
  });

  it('refuses-event-changes-by-the-application-role', async () => {
    await expect(
      withForce(app.database.db, app.demoForceId, async (tx) => {
        await sql`set local session_replication_role = replica`.execute(tx);
      }),
    ).rejects.toThrow();
    await expect(withForce(app.database.db, app.demoForceId, (tx) => sql`update events set type = 'x'`.execute(tx))).rejects.toThrow(
      /permission denied/,
    );
    await expect(withForce(app.database.db, app.demoForceId, (tx) => sql`delete from events`.execute(tx))).rejects.toThrow(
      /permission denied/,
    );
  });

  it('keeps one unbroken order when many events are appended at once', async () => {
    const { forceId } = await import('../helpers.ts').then((m) => m.createOtherForce(app, []));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        withForce(app.database.db, forceId, (tx) =>
          appendEvent(tx, forceId, app.deps.clock, {
            type: 'test.concurrent',
            actor: { type: 'system', id: null },
            subject: { type: 'test', id: String(i) },
            data: { i, nested: { z: 1, a: [1, 2, { b: 'c' }] } },
          }),
        ),
      ),
    );
    const result = await withForce(app.database.db, forceId, (tx) => verifyChain(tx, forceId));
    expect(result).toMatchObject({ ok: true, firstBroken: null });
    expect(result.checked).toBeGreaterThanOrEqual(20);
  });

  it('appends more events than one statement holds in one call and moves the head to the last', async () => {
    const { forceId } = await import('../helpers.ts').then((m) => m.createOtherForce(app, []));
    const before = await withSystem(app.database.db, (tx) => tx.selectFrom('event_chain_heads').select(['last_seq', 'last_hash']).where('force_id', '=', forceId).executeTakeFirstOrThrow());
    const appended = await withForce(app.database.db, forceId, (tx) =>
      appendEvents(
        tx,
        forceId,
        app.deps.clock,
        Array.from({ length: 1201 }, (_, i) => ({ type: 'test.many', actor: { type: 'system' as const, id: null }, subject: { type: 'test', id: String(i) }, data: { i } })),
      ),
    );
    expect(appended.map((event) => event.seq)).toEqual(Array.from({ length: 1201 }, (_, i) => Number(before.last_seq) + 1 + i));
    expect(appended[0]?.prevHash).toBe(before.last_hash);
    const head = await withSystem(app.database.db, (tx) => tx.selectFrom('event_chain_heads').select(['last_seq', 'last_hash']).where('force_id', '=', forceId).executeTakeFirstOrThrow());
    expect(Number(head.last_seq)).toBe(appended.at(-1)?.seq);
    expect(head.last_hash).toBe(appended.at(-1)?.hash);
    const result = await withForce(app.database.db, forceId, (tx) => verifyChain(tx, forceId));
    expect(result).toMatchObject({ ok: true, firstBroken: null, checked: Number(head.last_seq) });
  });
});
