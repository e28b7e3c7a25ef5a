import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { runHousekeeping } from '../../src/platform/jobs/housekeeping.ts';
import { POSITION_HISTORY_DEFAULT_DAYS } from '../../src/platform/jobs/upkeep.ts';
import { DEFAULT_POSITION_HISTORY_DAYS } from '../../src/capabilities/units/units.schema.ts';
import { newId } from '../../src/platform/ids.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type Unit = { id: string; callSign: string; position: { lat: number; lon: number; recordedAt: string; isStale: boolean } | null };
type Trail = { unitId: string; since: string; until: string; positions: { lat: number; lon: number; recordedAt: string }[]; hasMore: boolean };
type Ingest = { stored: number; ignored: number };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
// Far from the demo force's seeded units, so the recommendation near here sees only this file's.
const SHETLAND = { lat: 60.155, lon: -1.145 };

describe(`unit position history, trails and force position settings (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let dispatcher: Session;
  let supervisor: Session;
  let admin: Session;
  let handler: Session;
  let other: Awaited<ReturnType<typeof createOtherForce>>;
  let outsider: Session;
  let otherSupervisor: Session;

  const kit = dispatchKit(() => app);
  const { api } = kit;
  const addUnit = (session: Session, callSign: string) => kit.addUnit<Unit>(session, { callSign, type: 'response', capabilities: ['taser'] });
  const at = (ageMs: number) => new Date(clock.now().getTime() - ageMs).toISOString();
  const position = (unitId: string, lat: number, lon: number, ageMs: number) => ({ unitId, lat, lon, recordedAt: at(ageMs) });
  const ingest = async (session: Session, positions: object[]) => {
    const result = await api<Ingest>(session, 'POST', '/api/units/positions', { positions });
    expect(result.status, result.raw).toBe(200);
    return result.body;
  };
  const trail = (session: Session, unitId: string, query = '') => api<Trail>(session, 'GET', `/api/units/${unitId}/positions${query}`);
  const settle = async (changes: object) => {
    const saved = await api<{ settings: Record<string, unknown> }>(admin, 'POST', '/api/force/settings', changes);
    expect(saved.status, saved.raw).toBe(200);
    return saved.body.settings;
  };

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    other = await createOtherForce(app, ['dispatcher', 'supervisor']);
    outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    otherSupervisor = await signIn(app, other.emails.supervisor ?? '', 'other-password');
  });
  afterAll(() => app.close());

  it('refuses-positions-and-trails-at-impossible-dates with a 400 naming the field, never a 500', async () => {
    const unit = await addUnit(supervisor, 'TR90');
    // Year 0 (in UTC too, for the second) is no time a tracker meant, nor is one past 2099.
    for (const recordedAt of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+14:00', '9999-12-31T23:59:59Z']) {
      const refused = await api<ErrorBody>(dispatcher, 'POST', '/api/units/positions', { positions: [{ ...position(unit.id, 60.1, -1.1, 0), recordedAt }] });
      expect(refused.status, refused.raw).toBe(400);
      expect(refused.body.error.fields?.map((f) => f.path.replace(/^body\./, '')), refused.raw).toEqual(['positions.0.recordedAt']);
    }
    const ancient = await api<ErrorBody>(dispatcher, 'POST', '/api/units/positions', { positions: [{ ...position(unit.id, 60.1, -1.1, 0), recordedAt: '0000-01-01T00:00:00Z' }] });
    expect(ancient.body.error.message).toMatch(/from 1 January 2000 to 31 December 2099/);
    const badTrail = await trail(dispatcher, unit.id, '?since=0000-01-01T00:00:00Z');
    expect(badTrail.status, badTrail.raw).toBe(400);
    expect(badTrail.raw).toContain('since');
    expect(await ingest(dispatcher, [position(unit.id, 60.1, -1.1, MINUTE)])).toEqual({ stored: 1, ignored: 0, refused: [] });
  });

  it('keeps-history-only-for-positions-accepted-as-newer-and-answers-the-trail-oldest-first', async () => {
    const unit = await addUnit(supervisor, 'TR01');
    // In one batch the newest wins; the older one of the same unit is neither latest nor history.
    expect(await ingest(dispatcher, [position(unit.id, 60.1, -1.1, 10 * MINUTE), position(unit.id, 60.1234567, -1.7654321, 9 * MINUTE)])).toEqual({ stored: 1, ignored: 1, refused: [] });
    // Late (older than held) and repeated (same time) positions are ignored and leave no history.
    expect(await ingest(dispatcher, [position(unit.id, 60.3, -1.3, 12 * MINUTE)])).toEqual({ stored: 0, ignored: 1, refused: [] });
    expect(await ingest(dispatcher, [position(unit.id, 60.4, -1.4, 9 * MINUTE)])).toEqual({ stored: 0, ignored: 1, refused: [] });
    expect(await ingest(dispatcher, [position(unit.id, 60.2, -1.2, 5 * MINUTE)])).toEqual({ stored: 1, ignored: 0, refused: [] });

    const shown = await trail(dispatcher, unit.id);
    expect(shown.status, shown.raw).toBe(200);
    expect(shown.body).toEqual({
      unitId: unit.id,
      since: at(60 * MINUTE),
      until: at(0),
      positions: [
        { lat: 60.1234567, lon: -1.7654321, recordedAt: at(9 * MINUTE) },
        { lat: 60.2, lon: -1.2, recordedAt: at(5 * MINUTE) },
      ],
      hasMore: false,
    });

    // A window and a limit: after `since`, up to and including `until`, and whether more is there.
    const window = await trail(dispatcher, unit.id, `?since=${encodeURIComponent(at(20 * MINUTE))}&until=${encodeURIComponent(at(9 * MINUTE))}`);
    expect(window.body.positions.map((p) => p.recordedAt)).toEqual([at(9 * MINUTE)]);
    const first = await trail(dispatcher, unit.id, '?limit=1');
    expect(first.body).toMatchObject({ positions: [{ recordedAt: at(9 * MINUTE) }], hasMore: true });
    const next = await trail(dispatcher, unit.id, `?limit=1&since=${encodeURIComponent(at(9 * MINUTE))}`);
    expect(next.body).toMatchObject({ positions: [{ recordedAt: at(5 * MINUTE) }], hasMore: false });
  });

  it('refuses-a-batch-naming-an-unknown-unit-and-stores-none-of-it', async () => {
    const unit = await addUnit(supervisor, 'TR02');
    const refused = await api<ErrorBody>(dispatcher, 'POST', '/api/units/positions', { positions: [position(unit.id, 60.1, -1.1, MINUTE), position(newId(), 60.1, -1.1, MINUTE)] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toMatchObject([{ path: 'positions.1.unitId', message: 'is not a unit of this force' }]);
    expect((await trail(dispatcher, unit.id)).body.positions).toEqual([]);
    expect((await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unit.id}`)).body.unit.position).toBeNull();
  });

  it('rejects-a-trail-window-that-ends-before-it-starts-or-a-limit-out-of-range', async () => {
    const unit = await addUnit(supervisor, 'TR03');
    const backwards = await trail(dispatcher, unit.id, `?since=${encodeURIComponent(at(0))}&until=${encodeURIComponent(at(MINUTE))}`);
    expect(backwards.status).toBe(400);
    expect(backwards.raw).toMatch(/must be before until/);
    expect((await trail(dispatcher, unit.id, '?limit=0')).status).toBe(400);
    expect((await trail(dispatcher, unit.id, '?limit=5001')).status).toBe(400);
    expect((await trail(dispatcher, unit.id, '?since=yesterday')).status).toBe(400);
  });

  it('hides-another-forces-unit-trail-and-refuses-its-positions', async () => {
    const unit = await addUnit(supervisor, 'TR04');
    await ingest(dispatcher, [position(unit.id, 60.1, -1.1, MINUTE)]);
    const hidden = await trail(outsider, unit.id);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain('60.1');
    const refused = await api<ErrorBody>(outsider, 'POST', '/api/units/positions', { positions: [position(unit.id, 50, 0, 0)] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields).toMatchObject([{ path: 'positions.0.unitId', message: 'is not a unit of this force' }]);
    expect((await trail(dispatcher, unit.id)).body.positions).toEqual([{ lat: 60.1, lon: -1.1, recordedAt: at(MINUTE) }]);
  });

  it('marks-a-unit-stale-and-leaves-it-out-of-the-recommendation-by-the-forces-stale-age', async () => {
    const unit = await addUnit(supervisor, 'TR05');
    await ingest(dispatcher, [position(unit.id, SHETLAND.lat + 0.001, SHETLAND.lon, 8 * MINUTE)]);
    const incident = await api<{ incident: { id: string } }>(handler, 'POST', '/api/incidents', { type: 'crime_violence', summary: 'Fight in the harbour', grade: 'immediate', ...SHETLAND });
    expect(incident.status, incident.raw).toBe(201);
    const recommend = async () =>
      (await api<{ candidates: { callSign: string }[]; shortfalls: { code: string }[] }>(dispatcher, 'GET', `/api/incidents/${incident.body.incident.id}/recommendation?limit=20`)).body;
    const isStale = async () => (await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unit.id}`)).body.unit.position?.isStale;

    // The default stale age is five minutes: eight minutes old is stale.
    expect(await isStale()).toBe(true);
    expect((await recommend()).candidates.map((c) => c.callSign)).not.toContain('TR05');
    expect((await settle({ positionStaleAfterMinutes: 10 })).positionStaleAfterMinutes).toBe(10);
    expect(await isStale()).toBe(false);
    const listed = (await api<{ units: Unit[] }>(dispatcher, 'GET', '/api/units')).body.units.find((u) => u.id === unit.id);
    expect(listed?.position?.isStale).toBe(false);
    expect((await recommend()).candidates.map((c) => c.callSign)).toContain('TR05');
    await settle({ positionStaleAfterMinutes: 7 });
    expect(await isStale()).toBe(true);
    const recommended = await recommend();
    expect(recommended.candidates.map((c) => c.callSign)).not.toContain('TR05');
    expect(recommended.shortfalls.map((s) => s.code)).toContain('positions_stale');
    await settle({ positionStaleAfterMinutes: 5 });
  });

  it('refuses-bad-position-settings-with-the-field-and-reason-and-keeps-the-old-ones', async () => {
    await settle({ positionStaleAfterMinutes: 6, positionHistoryDays: 10 });
    const cases: [object, string, RegExp][] = [
      [{ positionStaleAfterMinutes: 0 }, 'positionStaleAfterMinutes', /at least 1 minute/],
      [{ positionStaleAfterMinutes: 1441 }, 'positionStaleAfterMinutes', /at most 1,440 minutes/],
      [{ positionStaleAfterMinutes: 2.5 }, 'positionStaleAfterMinutes', /whole number of minutes/],
      [{ positionStaleAfterMinutes: 'ten' }, 'positionStaleAfterMinutes', /number/],
      [{ positionHistoryDays: 0 }, 'positionHistoryDays', /at least 1 day/],
      [{ positionHistoryDays: 400 }, 'positionHistoryDays', /at most 366 days/],
    ];
    for (const [body, path, reason] of cases) {
      const refused = await api<ErrorBody>(admin, 'POST', '/api/force/settings', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      const field = refused.body.error.fields?.find((f) => f.path === `body.${path}`);
      expect(field?.message, refused.raw).toMatch(reason);
    }
    // Only an admin changes them.
    expect((await api<ErrorBody>(supervisor, 'POST', '/api/force/settings', { positionStaleAfterMinutes: 9 })).status).toBe(403);
    const kept = await api<{ settings: Record<string, unknown> }>(dispatcher, 'GET', '/api/force/settings');
    expect(kept.body.settings).toMatchObject({ positionStaleAfterMinutes: 6, positionHistoryDays: 10 });
    await settle({ positionStaleAfterMinutes: 5 });
  });

  it('prunes-only-history-older-than-each-forces-retention-in-bounded-batches', async () => {
    const ours = await addUnit(supervisor, 'TR06');
    const theirs = await addUnit(otherSupervisor, 'OT06');
    // Oldest first, so each is newer than the one held and is kept.
    for (const ageDays of [5, 4, 3, 1.5, 0.5]) {
      await ingest(dispatcher, [position(ours.id, 60, -1, ageDays * DAY)]);
      await ingest(otherSupervisor, [position(theirs.id, 60, -1, ageDays * DAY)]);
    }
    await settle({ positionHistoryDays: 2 });
    const kept = async (session: Session, unitId: string) =>
      (await trail(session, unitId, `?since=${encodeURIComponent(at(30 * DAY))}`)).body.positions.map((p) => (clock.now().getTime() - Date.parse(p.recordedAt)) / DAY);
    expect(await kept(dispatcher, ours.id)).toEqual([5, 4, 3, 1.5, 0.5]);

    const policy = { jobsDoneDays: 7, jobsDeadDays: 90, inboundRequestsDays: 30, chatSessionIdleDays: 30, positionHistoryDefaultDays: 7, deliveryBacklogDays: 30 };
    // A bounded run deletes one batch and leaves the rest for the next.
    const bounded = await runHousekeeping(app.database.db, clock, app.demoForceId, policy, { batchSize: 1, maxBatches: 2 });
    expect(bounded.positions).toBe(2);
    const rest = await runHousekeeping(app.database.db, clock, app.demoForceId, policy, { batchSize: 1, maxBatches: 100 });
    expect(rest.positions).toBe(1);
    expect(await kept(dispatcher, ours.id)).toEqual([1.5, 0.5]);
    // The latest position is not history: it stays whatever its age.
    expect((await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${ours.id}`)).body.unit.position).toMatchObject({ recordedAt: at(0.5 * DAY) });

    // The other force keeps the default seven days, and the demo force's run never touched it.
    expect(await kept(otherSupervisor, theirs.id)).toEqual([5, 4, 3, 1.5, 0.5]);
    const later = fixedClock(new Date(START.getTime() + 3 * DAY));
    const theirRun = await runHousekeeping(app.database.db, later, other.forceId, policy);
    expect(theirRun.positions).toBe(1);
    const left = await withSystem(app.database.db, (tx) => tx.selectFrom('unit_position_history').select('recorded_at').where('unit_id', '=', theirs.id).orderBy('recorded_at').execute());
    expect(left.map((row) => row.recorded_at.toISOString())).toEqual([at(4 * DAY), at(3 * DAY), at(1.5 * DAY), at(0.5 * DAY)]);
    await settle({ positionHistoryDays: 7 });
  });

  it('keeps-history-by-the-same-default-the-force-setting-states', () => {
    expect(POSITION_HISTORY_DEFAULT_DAYS).toBe(DEFAULT_POSITION_HISTORY_DAYS);
  });
});
