// Vehicle tracking posts unit positions with a token of its force's (decision 0203), as the
// records system sends case updates: a force admin makes one (shown once), lists them (never the
// token) and revokes one. Only a live tracking token of the unit's force is taken; anything else
// is a 401 that stores nothing, and the token opens no other route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

describe(`vehicle tracking's integration tokens (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;
  let dispatcher: Session;
  let otherAdmin: Session;
  let unitId: string;
  let recordedAt: number;

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const other = await createOtherForce(app, ['force_admin']);
    otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    const units = await app.inject({ method: 'GET', url: '/api/units', headers: dispatcher.headers });
    const first = units.json<{ units: { id: string }[] }>().units[0];
    if (!first) throw new Error('the demo force has no units');
    unitId = first.id;
    recordedAt = app.deps.clock.now().getTime();
  });
  afterAll(() => app.close());

  async function issue(session: Session, url = '/api/integrations/tracking/tokens') {
    const response = await app.inject({ method: 'POST', url, headers: session.headers, payload: { label: 'AVL gateway' } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ token: string; tokenInfo: { id: string } }>();
  }
  /** A new position, a second later than the last one sent, so a stored one always changes the row. */
  const position = () => {
    recordedAt += 1000;
    return { positions: [{ unitId, lat: 52.63, lon: 1.29, recordedAt: new Date(recordedAt).toISOString() }] };
  };
  const post = (authorization: string, payload: object = position()) =>
    app.inject({ method: 'POST', url: '/api/units/positions', headers: { authorization }, payload });
  const latest = () => withSystem(app.database.db, (tx) => tx.selectFrom('unit_positions_latest').select('recorded_at').where('unit_id', '=', unitId).executeTakeFirst());
  const eventsOf = (subjectId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'actor_id', 'data']).where('subject_id', '=', subjectId).orderBy('seq').execute());

  it('takes-positions-with-a-tracking-token-of-the-force (no session, no CSRF token)', async () => {
    const { token } = await issue(admin);
    expect(token).toMatch(/^bltrk_/);
    const body = position();
    const response = await post(`Bearer ${token}`, body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ stored: 1 });
    expect((await latest())?.recorded_at.toISOString()).toBe(body.positions[0]?.recordedAt);
  });

  it('keeps-the-staff-session-path', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/units/positions', headers: dispatcher.headers, payload: position() });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ stored: 1 });
  });

  it('judges-a-session-with-an-authorization-header-not-ours-by-its-session (a proxy adds one)', async () => {
    // A proxy's Basic credentials, or its own bearer token (a single sign-on gateway's JWT, say).
    for (const authorization of ['Basic cHJveHk6cGFzc3dvcmQ=', 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln']) {
      const headers = { ...dispatcher.headers, authorization };
      const response = await app.inject({ method: 'POST', url: '/api/units/positions', headers, payload: position() });
      expect(response.statusCode, `${authorization}: ${response.body}`).toBe(200);
      expect(response.json()).toMatchObject({ stored: 1 });
    }
    // Without a session the same header is refused, saying what is wanted.
    const alone = await post('Basic cHJveHk6cGFzc3dvcmQ=');
    expect(alone.statusCode).toBe(401);
    expect(alone.json<{ error: { message: string } }>().error.message).toBe('Sign in, or send the integration token as Authorization: Bearer …');
  });

  it('refuses-revoked-records-malformed-and-other-force-tokens-and-stores-nothing', async () => {
    const revoked = await issue(admin);
    const revoke = await app.inject({ method: 'POST', url: `/api/integrations/tracking/tokens/${revoked.tokenInfo.id}/revoke`, headers: admin.headers, payload: {} });
    expect(revoke.statusCode, revoke.body).toBe(204);
    const otherForces = await issue(otherAdmin);
    const records = await issue(admin, '/api/integrations/records/tokens');
    const live = await issue(admin);
    const before = await latest();
    const refused = [
      `Bearer ${revoked.token}`,
      `Bearer ${records.token}`,
      `Bearer ${live.token.slice(0, -1)}x`,
      `Basic ${live.token}`,
      'Bearer',
      `Bearer ${live.token} extra`,
    ];
    for (const authorization of refused) {
      const response = await post(authorization);
      expect(response.statusCode, `${authorization}: ${response.body}`).toBe(401);
      expect(response.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('integration token') });
    }
    // Another force's live token speaks for that force only: this force's unit is not one of its.
    const across = await post(`Bearer ${otherForces.token}`);
    expect(across.statusCode, across.body).toBe(400);
    expect(across.body).toContain('is not a unit of this force');
    expect(await latest()).toEqual(before);
  });

  it('lists-tokens-without-the-token-and-records-every-change', async () => {
    const made = await issue(admin);
    const listed = await app.inject({ method: 'GET', url: '/api/integrations/tracking/tokens', headers: admin.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain(made.token);
    expect(listed.body).not.toContain(made.token.slice(10));
    expect(listed.json<{ tokens: { id: string; hint: string }[] }>().tokens).toContainEqual(expect.objectContaining({ id: made.tokenInfo.id, hint: made.token.slice(0, 10) }));
    const stored = await withSystem(app.database.db, (tx) => tx.selectFrom('tracking_integration_tokens').selectAll().where('id', '=', made.tokenInfo.id).executeTakeFirstOrThrow());
    expect(JSON.stringify(stored)).not.toContain(made.token.slice(10));
    await app.inject({ method: 'POST', url: `/api/integrations/tracking/tokens/${made.tokenInfo.id}/revoke`, headers: admin.headers, payload: {} });
    const events = await eventsOf(made.tokenInfo.id);
    expect(events.map((e) => e.type)).toEqual(['tracking.token_issued', 'tracking.token_revoked']);
    expect(events[0]?.actor_id).toBe(admin.user.id);
    expect(JSON.stringify(events)).not.toContain(made.token.slice(10));
  });

  it('refuses-token-admin-to-a-role-without-force-settings (403)', async () => {
    for (const [method, url] of [['POST', '/api/integrations/tracking/tokens'], ['GET', '/api/integrations/tracking/tokens']] as const) {
      const response = await app.inject({ method, url, headers: dispatcher.headers, ...(method === 'POST' ? { payload: { label: 'x' } } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it('opens-no-other-route-with-a-tracking-token', async () => {
    const { token } = await issue(admin);
    const headers = { authorization: `Bearer ${token}` };
    for (const [method, url, payload] of [
      ['GET', '/api/units', undefined],
      ['GET', `/api/units/${unitId}/positions`, undefined],
      ['GET', '/api/integrations/tracking/tokens', undefined],
      ['POST', '/api/integrations/records/cases', { system: 'niche', reference: 'X/1', updatedAt: '2026-03-01T09:00:00Z' }],
    ] as const) {
      const response = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
