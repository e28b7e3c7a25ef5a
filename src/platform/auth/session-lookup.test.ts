import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestApp } from '../../../test/helpers.ts';
import { engineCallsOf } from '../../../test/engine-calls.ts';
import { fixedClock } from '../clock.ts';
import { readAsSystem, withForce } from '../db/database.ts';
import { SESSION_TTL_MS, findLiveSession, resolveSession } from './sessions.ts';

// Every staff request looks its session up, across forces, as system work. That look-up is one
// call into the engine (no BEGIN or COMMIT of its own), and the system setting it needs holds for
// that read and nothing after it.
describe('the session look-up on every staff request', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await createTestApp();
    const session = await signIn(app, 'handler@demo.police.uk');
    token = session.cookie.slice('bl_session='.length);
  });
  afterAll(() => app.close());

  it('finds-the-member-of-staff-in-one-call-into-the-engine', async () => {
    let found: Awaited<ReturnType<typeof resolveSession>> = null;
    const calls = await engineCallsOf(async () => {
      found = await resolveSession(app.database.db, app.deps.clock, token);
    });
    expect(found).toMatchObject({ email: 'handler@demo.police.uk', role: 'call_handler', forceId: app.demoForceId, forceCode: 'DEMO' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).not.toMatch(/\bbegin\b|\bcommit\b/i);
  });

  it('leaves-no-system-setting-behind-for-the-next-statement-on-its-connection', async () => {
    const after = await app.database.db.connection().execute(async (connection) => {
      const [row] = await readAsSystem<{ sessions: number }>(connection, 'select count(*)::int as sessions from staff_sessions where id <> ', 'ab');
      expect(row?.sessions).toBeGreaterThan(0);
      return sql<{ system: string | null }>`select current_setting('bluelamp.system', true) as system`.execute(connection);
    });
    // Row-level security's system policy (forced on the owner too) asks for exactly this setting.
    expect(after.rows[0]?.system ?? '').not.toBe('on');
  });

  it('refuses-a-system-read-inside-a-transaction-where-the-setting-would-outlive-it', async () => {
    await expect(
      withForce(app.database.db, app.demoForceId, (tx) => readAsSystem(tx, 'select count(*) from staff_sessions where id <> ', 'ab')),
    ).rejects.toThrow('a system read cannot run inside a transaction');
  });

  it('refuses-any-value-but-lower-case-hex-in-a-system-read-so-nothing-can-be-written-into-its-text', async () => {
    for (const value of ["ab' or true --", '', 'AB', 'ab cd']) {
      await expect(readAsSystem(app.database.db, 'select count(*) from staff_sessions where id <> ', value)).rejects.toThrow('a system read takes a lower-case hex value only');
    }
  });

  it('finds-no-session-for-an-id-that-is-not-a-stored-hash-and-asks-the-engine-nothing', async () => {
    const calls = await engineCallsOf(async () => {
      expect(await findLiveSession(app.database.db, app.deps.clock, "x' or true --")).toBeNull();
      expect(await findLiveSession(app.database.db, app.deps.clock, 'A'.repeat(64))).toBeNull();
    });
    expect(calls).toEqual([]);
  });

  it('finds-the-session-until-the-moment-it-expires-and-not-from-then-on', async () => {
    const clock = fixedClock(app.deps.clock.now());
    const signedIn = await resolveSession(app.database.db, clock, token);
    if (!signedIn) throw new Error('signed in');
    clock.set(new Date(signedIn.sessionExpiresAt.getTime() - 1));
    expect(await resolveSession(app.database.db, clock, token)).not.toBeNull();
    clock.set(signedIn.sessionExpiresAt);
    expect(await resolveSession(app.database.db, clock, token)).toBeNull();
    expect(signedIn.sessionExpiresAt.getTime() - app.deps.clock.now().getTime()).toBeLessThanOrEqual(SESSION_TTL_MS);
  });
});
