// An admin tells a live integration from a forgotten one by when its token was last used
// (decision 0203): empty when the token is made, stamped by the app's clock when a call with it is
// accepted, at most once a minute, and never by a call that is refused. Both kinds: the records
// system's tokens and vehicle tracking's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Kind = 'records' | 'tracking';

const START = new Date('2026-12-02T10:00:00Z');

describe(`when an integration token was last used (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let admin: Session;
  let unitId: string;
  let reference = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    admin = await signIn(app, 'admin@demo.police.uk');
    const unit = await withSystem(app.database.db, (tx) => tx.selectFrom('units').select('id').where('force_id', '=', app.demoForceId).orderBy('id').executeTakeFirstOrThrow());
    unitId = unit.id;
  });
  afterAll(() => app.close());

  async function issue(kind: Kind) {
    const response = await app.inject({ method: 'POST', url: `/api/integrations/${kind}/tokens`, headers: admin.headers, payload: { label: `${kind} feed` } });
    expect(response.statusCode, response.body).toBe(201);
    const made = response.json<{ token: string; tokenInfo: { id: string; lastUsedAt: string | null } }>();
    return { token: made.token, id: made.tokenInfo.id, lastUsedAtWhenMade: made.tokenInfo.lastUsedAt };
  }
  /** The token's `lastUsedAt` as the admin's list shows it. */
  async function lastUsedOf(kind: Kind, id: string) {
    const response = await app.inject({ method: 'GET', url: `/api/integrations/${kind}/tokens`, headers: admin.headers });
    expect(response.statusCode, response.body).toBe(200);
    const listed = response.json<{ tokens: { id: string; lastUsedAt: string | null }[] }>().tokens.find((t) => t.id === id);
    expect(listed, `token ${id} in the ${kind} list`).toBeDefined();
    return listed?.lastUsedAt;
  }
  /** The call each kind's token is for, made now by the clock: a case update, or a unit's position. */
  function use(kind: Kind, token: string) {
    const headers = { authorization: `Bearer ${token}` };
    const at = clock.now().toISOString();
    if (kind === 'records') {
      reference += 1;
      return app.inject({ method: 'POST', url: '/api/integrations/records/cases', headers, payload: { system: 'niche', reference: `LU/26/${reference}`, updatedAt: at } });
    }
    return app.inject({ method: 'POST', url: '/api/units/positions', headers, payload: { positions: [{ unitId, lat: 52.63, lon: 1.29, recordedAt: at }] } });
  }
  async function useAccepted(kind: Kind, token: string) {
    const response = await use(kind, token);
    expect(response.statusCode, response.body).toBeLessThan(300);
  }
  async function useRefused(kind: Kind, token: string) {
    const response = await use(kind, token);
    expect(response.statusCode, response.body).toBe(401);
  }

  for (const kind of ['records', 'tracking'] as const) {
    const other: Kind = kind === 'records' ? 'tracking' : 'records';

    it(`${kind}: leaves-last-used-empty-when-a-token-is-made`, async () => {
      const made = await issue(kind);
      expect(made.lastUsedAtWhenMade).toBeNull();
      expect(await lastUsedOf(kind, made.id)).toBeNull();
      const stored = await withSystem(app.database.db, (tx) => tx.selectFrom(`${kind}_integration_tokens`).select('last_used_at').where('id', '=', made.id).executeTakeFirstOrThrow());
      expect(stored.last_used_at).toBeNull();
    });

    it(`${kind}: stamps-last-used-by-the-clock-on-an-accepted-call-at-most-once-a-minute`, async () => {
      const made = await issue(kind);
      clock.advance(5 * 60_000);
      const first = clock.now().toISOString();
      await useAccepted(kind, made.token);
      expect(await lastUsedOf(kind, made.id)).toBe(first);
      // Within the minute the stamp stands: a busy feed does not write on every call.
      clock.advance(30_000);
      await useAccepted(kind, made.token);
      expect(await lastUsedOf(kind, made.id)).toBe(first);
      clock.advance(31_000);
      await useAccepted(kind, made.token);
      expect(await lastUsedOf(kind, made.id)).toBe(clock.now().toISOString());
    });

    it(`${kind}: leaves-last-used-alone-on-revoked-tampered-and-other-kind-calls`, async () => {
      const made = await issue(kind);
      const unused = await issue(kind);
      clock.advance(5 * 60_000);
      await useAccepted(kind, made.token);
      const stamped = await lastUsedOf(kind, made.id);
      expect(stamped).toBe(clock.now().toISOString());

      // A token of this kind at the other kind's route is not taken there, and is not "used" (its prefix
      // already refuses it there: this holds the order, refusal before stamping, not the table look-up).
      clock.advance(5 * 60_000);
      await useRefused(other, unused.token);
      expect(await lastUsedOf(kind, unused.id)).toBeNull();
      // One character changed is another token: nothing of the real one is touched.
      await useRefused(kind, `${made.token.slice(0, -1)}${made.token.endsWith('A') ? 'B' : 'A'}`);
      expect(await lastUsedOf(kind, made.id)).toBe(stamped);

      const revoke = await app.inject({ method: 'POST', url: `/api/integrations/${kind}/tokens/${made.id}/revoke`, headers: admin.headers, payload: {} });
      expect(revoke.statusCode, revoke.body).toBe(204);
      clock.advance(5 * 60_000);
      await useRefused(kind, made.token);
      expect(await lastUsedOf(kind, made.id)).toBe(stamped);
    });
  }
});
