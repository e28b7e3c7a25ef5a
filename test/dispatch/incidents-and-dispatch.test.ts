import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { controlRoomOn, dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';

type Incident = { id: string; number: number; reference: string; status: string; location: { district: { name: string } | null; beat: { name: string } | null }; contacts: { contactId: string }[]; units: { unitId: string; status: string }[] };
type Unit = { id: string; callSign: string; status: string; eidoStatus: string; position: { lat: number; lon: number; recordedAt: string; isStale: boolean } | null };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
// Far from the demo force's seeded districts and units, so only this file's units are near:
// a square district round Inverness (longitude first, as GeoJSON has it).
const INVERNESS = { type: 'Polygon' as const, coordinates: [[[-4.3, 57.44], [-4.15, 57.44], [-4.15, 57.51], [-4.3, 57.51], [-4.3, 57.44]]] };
const CITY = { lat: 57.478, lon: -4.224 };

describe(`incidents, units and dispatch (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let investigator: Session;
  let calls = 0;

  const kit = dispatchKit(() => app);
  const { api } = kit;
  const report = async (what: string) => {
    calls += 1;
    const result = await submitPublicReport(app.deps, app.demoForceId, { submissionId: `incident-test-${calls}`, whatHappened: what, where: 'Prince of Wales Road', when: 'now', name: null, email: `caller${calls}@example.org` });
    return result.contactId as string;
  };
  const addUnit = (callSign: string, capabilities: string[] = []) => kit.addUnit<Unit>(supervisor, { callSign, type: 'response', capabilities });
  const position = (unitId: string, lat: number, lon: number, ageMs: number) => ({ unitId, lat, lon, recordedAt: new Date(clock.now().getTime() - ageMs).toISOString() });
  const createIncident = (payload: object) => kit.createIncident<Incident>(handler, { type: 'crime_violence', ...payload });

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await withSystem(app.database.db, (tx) =>
      tx.insertInto('areas').values({ id: newId(), force_id: app.demoForceId, name: 'Inverness', kind: 'district', setting: 'urban', geometry: JSON.stringify(INVERNESS), created_at: START }).execute(),
    );
  });
  afterAll(() => app.close());

  it('creates one incident from two contacts, places it in its district, and links a third caller', async () => {
    const [first, second, third] = [await report('Fight outside the club'), await report('Men fighting on Prince of Wales Road'), await report('Someone hurt in a fight')];
    const incident = await createIncident({ contactIds: [first, second], grade: 'immediate', ...CITY });
    expect(incident).toMatchObject({ status: 'open', reference: `INC-${incident.number}`, location: { district: { name: 'Inverness' }, beat: null } });
    expect(incident.contacts.map((c) => c.contactId).sort()).toEqual([first, second].sort());

    const linked = await api<{ incident: Incident }>(handler, 'POST', `/api/incidents/${incident.id}/contacts`, { contactId: third });
    expect(linked.status, linked.raw).toBe(200);
    expect(linked.body.incident.contacts).toHaveLength(3);

    // A contact on a live incident is linked there, not to a second incident.
    const again = await api<ErrorBody>(handler, 'POST', '/api/incidents', { type: 'crime_violence', contactIds: [first] });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(new RegExp(`is already linked to ${incident.reference}; unlink it there first`));

    const events = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', incident.id).orderBy('seq').execute());
    // An Immediate incident starts its deploy countdown as it is created.
    expect(events.map((e) => e.type)).toEqual(['incident.created', 'incident.clock_started', 'incident.contact_linked']);
  });

  it('refuses a role without the permission (403) and another force (404)', async () => {
    const incident = await createIncident({ summary: 'Direct: alarm sounding at the bank' });
    const denied = await api<ErrorBody>(investigator, 'POST', '/api/incidents', { type: 'crime_violence', summary: 'x' });
    expect(denied.status).toBe(403);
    const dispatchDenied = await api<ErrorBody>(handler, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [newId()] });
    expect(dispatchDenied.status).toBe(403);

    const other = await createOtherForce(app, ['call_handler']);
    const outsider = await signIn(app, other.emails.call_handler ?? '', 'other-password');
    expect((await api<ErrorBody>(outsider, 'GET', `/api/incidents/${incident.id}`)).status).toBe(404);
    const contact = await report('Not theirs');
    expect((await api<ErrorBody>(outsider, 'POST', '/api/incidents', { type: 'crime_violence', contactIds: [contact] })).status).toBe(404);
  });

  it('ignores late and out-of-order positions, and refuses a batch naming unknown units with reasons', async () => {
    const unit = await addUnit('PX01');
    const newer = position(unit.id, 57.48, -4.22, 10_000);
    const older = position(unit.id, 57.4, -4.1, 60_000);
    const first = await api<{ stored: number; ignored: number }>(dispatcher, 'POST', '/api/units/positions', { positions: [older, newer] });
    expect(first.body).toEqual({ stored: 1, ignored: 1, refused: [] });
    const late = await api<{ stored: number; ignored: number }>(dispatcher, 'POST', '/api/units/positions', { positions: [older] });
    expect(late.body).toEqual({ stored: 0, ignored: 1, refused: [] });
    const shown = await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unit.id}`);
    expect(shown.body.unit.position).toMatchObject({ lat: 57.48, lon: -4.22, recordedAt: newer.recordedAt, isStale: false });

    const unknown = await api<ErrorBody & { error: { fields: { path: string }[] } }>(dispatcher, 'POST', '/api/units/positions', { positions: [newer, position(newId(), 52.6, 1.2, 0)] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([
      { path: 'positions.1.unitId', message: 'is not a unit of this force', label: 'Unit id of position 2', sentence: 'Unit id of position 2 is not a unit of this force' },
    ]);
    const tooMany = await api<ErrorBody>(dispatcher, 'POST', '/api/units/positions', { positions: Array.from({ length: 1001 }, () => newer) });
    expect(tooMany.status).toBe(400);
    expect((await api<ErrorBody>(investigator, 'POST', '/api/units/positions', { positions: [newer] })).status).toBe(403);
  });

  it('recommends the nearest fresh unit, leaves stale ones out, and dispatches incident and unit together', async () => {
    const near = await addUnit('RC10', ['taser']);
    const stale = await addUnit('RC11', ['taser']);
    const far = await addUnit('RC12', ['taser']);
    await api(dispatcher, 'POST', '/api/units/positions', {
      positions: [position(near.id, 57.479, -4.225, 5_000), position(stale.id, 57.4781, -4.2241, 20 * 60_000), position(far.id, 57.55, -4.1, 5_000)],
    });
    const incident = await createIncident({ summary: 'Assault in progress', grade: 'immediate', requiredCapabilities: ['taser'], ...CITY });
    const recommended = await api<{ candidates: { callSign: string; reasons: { code: string }[] }[]; shortfalls: { code: string; units?: number }[] }>(dispatcher, 'GET', `/api/incidents/${incident.id}/recommendation?limit=20`);
    expect(recommended.status, recommended.raw).toBe(200);
    const signs = recommended.body.candidates.map((c) => c.callSign);
    expect(signs).toEqual(['RC10', 'RC12']);
    expect(signs).not.toContain('RC11');
    // RC11 is among the stale (the seeded units may be too, by this clock).
    expect(recommended.body.shortfalls.find((s) => s.code === 'positions_stale')?.units).toBeGreaterThanOrEqual(1);

    const dispatched = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [near.id] });
    expect(dispatched.status, dispatched.raw).toBe(200);
    expect(dispatched.body.incident).toMatchObject({ status: 'dispatched', units: [{ unitId: near.id, status: 'dispatched' }] });

    const enRoute = await api<{ unit: Unit }>(dispatcher, 'POST', `/api/units/${near.id}/status`, { status: 'en_route' });
    expect(enRoute.body.unit).toMatchObject({ status: 'en_route', eidoStatus: 'Enroute' });
    await api(dispatcher, 'POST', `/api/units/${near.id}/status`, { status: 'on_scene' });
    expect((await api<{ incident: Incident }>(dispatcher, 'GET', `/api/incidents/${incident.id}`)).body.incident.status).toBe('on_scene');

    const resolved = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve' });
    expect(resolved.body.incident).toMatchObject({ status: 'resolved', units: [{ unitId: near.id, status: 'cleared' }] });
    expect((await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${near.id}`)).body.unit.status).toBe('returning');
    const closed = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'close', closingCode: 'arrest_made' });
    expect(closed.body.incident).toMatchObject({ status: 'closed', closingCode: 'arrest_made' });

    const events = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', 'in', [incident.id, near.id]).orderBy('seq').execute());
    expect(events.map((e) => e.type)).toEqual([
      'unit.created',
      'incident.created',
      'incident.clock_started',
      'unit.dispatched',
      'incident.dispatched',
      'incident.clock_started',
      'unit.en_route',
      'incident.unit_en_route',
      'unit.on_scene',
      'incident.unit_on_scene',
      'unit.cleared',
      'incident.resolved',
      'incident.closed',
    ]);
  });

  it('dispatches a unit named twice, once in upper case, once', async () => {
    const unit = await addUnit('RC50');
    const incident = await createIncident({ summary: 'Shop alarm, keyholder on the way' });
    const dispatched = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [unit.id, unit.id.toUpperCase()] });
    expect(dispatched.status, dispatched.raw).toBe(200);
    expect(dispatched.body.incident).toMatchObject({ status: 'dispatched', units: [{ unitId: unit.id, status: 'dispatched' }] });
    const events = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', '=', unit.id).where('type', '=', 'unit.dispatched').execute());
    expect(events).toHaveLength(1);
    const shown = await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unit.id.toUpperCase()}`);
    expect(shown.body.unit).toMatchObject({ id: unit.id, status: 'dispatched' });
  });

  it('lets one of two dispatchers committing the same unit at once win; the other gets a 409 with a sentence', async () => {
    for (const round of [1, 2, 3]) {
      const unit = await addUnit(`RC2${round}`);
      const [a, b] = [await createIncident({ summary: `Burglary in progress ${round}` }), await createIncident({ summary: `Shoplifter detained ${round}` })];
      const results = await Promise.all([
        api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${a.id}/dispatch`, { unitIds: [unit.id] }),
        api<ErrorBody>(supervisor, 'POST', `/api/incidents/${b.id}/dispatch`, { unitIds: [unit.id] }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      const loser = results.find((r) => r.status === 409);
      expect(loser?.body.error.message).toMatch(new RegExp(`^RC2${round} (is dispatched to another incident; clear it first|was committed to another incident a moment ago; choose another unit)$`));
      const active = await withSystem(app.database.db, (tx) => tx.selectFrom('unit_assignments').select('incident_id').where('unit_id', '=', unit.id).where('cleared_at', 'is', null).execute());
      expect(active).toHaveLength(1);
      // The losing incident was not moved: the whole of its dispatch rolled back, events included.
      const statuses = await Promise.all([a, b].map(async (i) => (await api<{ incident: Incident }>(dispatcher, 'GET', `/api/incidents/${i.id}`)).body.incident.status));
      expect(statuses.sort()).toEqual(['dispatched', 'open']);
      const dispatchedEvents = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select('type').where('subject_id', 'in', [a.id, b.id, unit.id]).where('type', 'in', ['incident.dispatched', 'unit.dispatched']).execute());
      expect(dispatchedEvents).toHaveLength(2);
    }
  });

  it('refuses moves the machines refuse, with sentences, and cancelling clears the units sent', async () => {
    const unit = await addUnit('RC40');
    expect((await api<ErrorBody>(supervisor, 'POST', '/api/units', { callSign: 'RC40', type: 'dog' })).body.error.message).toBe('Call sign is taken: another unit is already RC40.');
    const early = await api<ErrorBody>(dispatcher, 'POST', `/api/units/${unit.id}/status`, { status: 'on_scene' });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe('RC40 is not dispatched to an incident');

    const incident = await createIncident({ summary: 'Concern for welfare' });
    await api(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [unit.id] });
    const rwd = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve_without_deployment', closingCode: 'advice' });
    expect(rwd.status).toBe(409);
    expect(rwd.body.error.message).toBe('a unit has been dispatched to this incident; resolve or cancel it instead');
    expect((await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'cancel' })).status).toBe(400);

    const cancelled = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'cancel', closingCode: 'duplicate' });
    expect(cancelled.body.incident).toMatchObject({ status: 'cancelled', units: [{ unitId: unit.id, status: 'cleared' }] });
    expect((await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unit.id}`)).body.unit).toMatchObject({ status: 'returning', eidoStatus: 'AvailableReturning' });
    const note = await api<ErrorBody>(handler, 'POST', `/api/incidents/${incident.id}/notes`, { body: 'Caller rang back' });
    expect(note.status).toBe(409);
    expect(note.body.error.message).toBe('this incident has ended (cancelled); create a new one rather than adding a note');
    // Live incidents only, unless all are asked for.
    const live = await api<{ incidents: { id: string }[] }>(dispatcher, 'GET', '/api/incidents');
    expect(live.body.incidents.map((i) => i.id)).not.toContain(incident.id);
    const all = await api<{ incidents: { id: string }[] }>(dispatcher, 'GET', '/api/incidents?which=all');
    expect(all.body.incidents.map((i) => i.id)).toContain(incident.id);
  });

  it('enforces one active commitment per unit in the database itself', async () => {
    const unit = await addUnit('RC30');
    const [a, b] = [await createIncident({ summary: 'First' }), await createIncident({ summary: 'Second' })];
    const assign = (incidentId: string) =>
      withSystem(app.database.db, (tx) => tx.insertInto('unit_assignments').values({ id: newId(), force_id: app.demoForceId, unit_id: unit.id, incident_id: incidentId, assigned_by: null, assigned_at: START }).execute());
    await assign(a.id);
    await expect(assign(b.id)).rejects.toThrow(/unit_assignments_one_active|duplicate key/);
  });
});
