// A supervisor or force admin retires a unit sold, written off or disbanded (decision 0086): only
// once it is off duty, with one `unit.retired` event. It leaves the unit board and is never
// recommended nor sent, stays in past incidents and in the list of all units, and its call sign
// stays taken; its tracker's positions are refused, each with the reason, and kept nowhere.
// Reinstated, it is off duty again. A unit at work, a role without `units:manage` and
// another force are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { controlRoomOn, dispatchKit, type ErrorBody, type Session } from './dispatch-kit.ts';

type Unit = { id: string; callSign: string; status: string; moves: string[]; fleetMoves: string[] };
type Incident = { id: string; units: { unitId: string; callSign: string; status: string }[] };
type Recommendation = { candidates: { callSign: string }[]; shortfalls: { code: string; units?: number }[] };
type Refusal = ErrorBody & { error: { fields?: { path: string; message: string }[] } };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
// Far from the demo force's seeded units, so only this file's units are near.
const SCENE = { lat: 57.478, lon: -4.224 };

describe(`retiring a unit (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;

  const kit = dispatchKit(() => app);
  const { api, eventTypes } = kit;
  const addUnit = (callSign: string, capabilities: string[] = []) => kit.addUnit<Unit>(supervisor, { callSign, type: 'response', capabilities });
  const retire = (unitId: string, session = supervisor, payload: object = { reason: 'Sold at auction' }) => api<{ unit: Unit } & Refusal>(session, 'POST', `/api/units/${unitId}/retire`, payload);
  const reinstate = (unitId: string, session = supervisor) => api<{ unit: Unit } & Refusal>(session, 'POST', `/api/units/${unitId}/reinstate`);
  const offDuty = (unitId: string) => kit.setUnitStatus(dispatcher, unitId, 'off_duty');
  const listed = async (query = '') => (await api<{ units: Unit[] }>(dispatcher, 'GET', `/api/units${query}`)).body.units.map((u) => u.callSign);
  const placeNearScene = (unitIds: string[]) =>
    api(dispatcher, 'POST', '/api/units/positions', { positions: unitIds.map((unitId, i) => ({ unitId, lat: SCENE.lat + 0.001 * (i + 1), lon: SCENE.lon, recordedAt: new Date(clock.now().getTime() - 5_000).toISOString() })) });

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
  });
  afterAll(() => app.close());

  it('retires-an-off-duty-unit-with-one-event-off-the-board-and-still-in-the-list-of-all-units', async () => {
    const unit = await addUnit('RT1');
    expect(unit.fleetMoves).toEqual([]);
    expect((await offDuty(unit.id)) as Unit).toMatchObject({ fleetMoves: ['retire'] });
    const retired = await retire(unit.id, supervisor, { reason: '  Sold at auction  ' });
    expect(retired.status, retired.raw).toBe(200);
    expect(retired.body.unit).toMatchObject({ status: 'retired', moves: [], fleetMoves: ['reinstate'] });
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.off_duty', 'unit.retired']);
    const [event] = await app.database.db.selectFrom('events').select('data').where('subject_id', '=', unit.id).where('type', '=', 'unit.retired').execute();
    expect(event?.data).toEqual({ callSign: 'RT1', reason: 'Sold at auction' });

    expect(await listed()).not.toContain('RT1');
    expect(await listed('?which=active')).not.toContain('RT1');
    expect(await listed('?which=all')).toContain('RT1');
    expect((await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unit.id}`)).body.unit).toMatchObject({ status: 'retired' });

    // Retiring it again is no second event.
    const again = await retire(unit.id);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('RT1 is already retired');
    expect(await eventTypes(unit.id)).toHaveLength(3);
  });

  it('refuses-to-retire-a-unit-at-work-or-on-duty (409 saying what to do first), and records nothing', async () => {
    const unit = await addUnit('RT2');
    const onDuty = await retire(unit.id);
    expect(onDuty.status).toBe(409);
    expect(onDuty.body.error).toMatchObject({ code: 'conflict', message: 'RT2 is available; book it off duty, then retire it' });

    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Disturbance', ...SCENE });
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    const committed = await retire(unit.id);
    expect(committed.status).toBe(409);
    expect(committed.body.error.message).toBe('RT2 is committed to an incident; clear it and book it off duty, then retire it');
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.dispatched']);
  });

  it('is-refused-to-a-role-without-units-manage (403) and to another force (404), and records nothing', async () => {
    const unit = await addUnit('RT3');
    await offDuty(unit.id);
    expect((await retire(unit.id, dispatcher)).status).toBe(403);
    const other = await createOtherForce(app, ['force_admin']);
    const otherAdmin = await signIn(app, other.emails.force_admin ?? '', 'other-password', '10.9.0.2');
    expect((await retire(unit.id, otherAdmin)).status).toBe(404);
    expect((await retire('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await retire(unit.id)).status).toBe(200);
    expect((await reinstate(unit.id, dispatcher)).status).toBe(403);
    expect((await reinstate(unit.id, otherAdmin)).status).toBe(404);
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.off_duty', 'unit.retired']);
  });

  it('refuses-a-missing-or-blank-reason (400 naming the reason)', async () => {
    const unit = await addUnit('RT4');
    await offDuty(unit.id);
    for (const payload of [{}, { reason: '   ' }, { reason: 'x'.repeat(201) }]) {
      const refused = await retire(unit.id, supervisor, payload);
      expect(refused.status, JSON.stringify(payload)).toBe(400);
      expect(refused.body.error.fields?.map((f) => f.path)).toEqual(['body.reason']);
    }
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.off_duty']);
  });

  it('never-recommends-nor-sends-a-retired-unit-and-no-longer-offers-what-only-it-had', async () => {
    const [gone, kept] = [await addUnit('RT5', ['mounted', 'lance']), await addUnit('RT6', ['mounted'])];
    await placeNearScene([gone.id, kept.id]);
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Disturbance', ...SCENE, requiredCapabilities: ['mounted'] });
    const recommend = async () => (await api<Recommendation>(dispatcher, 'GET', `/api/incidents/${incident.id}/recommendation?limit=5`)).body;
    expect((await recommend()).candidates.map((c) => c.callSign)).toEqual(['RT5', 'RT6']);

    await offDuty(gone.id);
    const whileOff = await recommend();
    const notDispatchable = whileOff.shortfalls.find((s) => s.code === 'none_dispatchable')?.units ?? 0;
    expect(await retire(gone.id).then((r) => r.status)).toBe(200);
    const afterRetiring = await recommend();
    expect(afterRetiring.candidates.map((c) => c.callSign)).toEqual(['RT6']);
    // Not counted among those that could not be sent either: it is no longer in the fleet.
    expect(afterRetiring.shortfalls.find((s) => s.code === 'none_dispatchable')?.units ?? 0).toBe(notDispatchable - 1);

    const sent = await api<Refusal>(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [gone.id] });
    expect(sent.status).toBe(409);
    expect(sent.body.error.message).toBe('RT5 is retired; choose another unit');
    const bookedOn = await api<Refusal>(dispatcher, 'POST', `/api/units/${gone.id}/status`, { status: 'available' });
    expect(bookedOn.status).toBe(409);
    expect(bookedOn.body.error.message).toBe('RT5 is retired; reinstate it first');

    // A capability only the retired unit had is one no unit of the force has now.
    const needsLance = await api<Refusal>(handler, 'POST', '/api/incidents', { type: 'crime_violence', summary: 'Disturbance', requiredCapabilities: ['lance'] });
    expect(needsLance.status).toBe(400);
    expect(needsLance.body.error.fields?.[0]).toMatchObject({ path: 'requiredCapabilities', message: expect.stringMatching(/^no unit of this force has lance;/) });
    expect(await eventTypes(gone.id)).toEqual(['unit.created', 'unit.off_duty', 'unit.retired']);
  });

  it('keeps-a-retired-unit-in-the-incidents-it-went-to', async () => {
    const unit = await addUnit('RT7');
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Disturbance', ...SCENE });
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    await kit.setUnitStatus(dispatcher, unit.id, 'clear');
    await offDuty(unit.id);
    expect((await retire(unit.id)).status).toBe(200);
    expect((await kit.getIncident<Incident>(dispatcher, incident.id)).units).toEqual([expect.objectContaining({ unitId: unit.id, callSign: 'RT7', status: 'cleared' })]);
  });

  it('refuses-a-retired-unit-s-positions-one-by-one-with-the-reason-keeping-none-and-stores-the-rest-of-the-batch', async () => {
    const sold = await addUnit('RT9');
    const working = await addUnit('RT10');
    expect((await placeNearScene([sold.id])).status).toBe(200);
    const trail = async (unitId: string) =>
      (await api<{ positions: { recordedAt: string }[] }>(dispatcher, 'GET', `/api/units/${unitId}/positions?since=${new Date(START.getTime() - 3_600_000).toISOString()}`)).body.positions;
    const before = await trail(sold.id);
    expect(before).toHaveLength(1);
    await offDuty(sold.id);
    expect((await retire(sold.id)).status).toBe(200);

    // Its tracker still reports, in a batch with a unit at work: only the working unit's position is kept.
    const at = (seconds: number) => new Date(clock.now().getTime() - seconds * 1000).toISOString();
    const batch = await api<{ stored: number; ignored: number; refused: { path: string; unitId: string; reason: string }[] }>(dispatcher, 'POST', '/api/units/positions', {
      positions: [
        { unitId: sold.id, lat: SCENE.lat, lon: SCENE.lon, recordedAt: at(2) },
        { unitId: working.id, lat: SCENE.lat, lon: SCENE.lon, recordedAt: at(2) },
        { unitId: sold.id.toUpperCase(), lat: SCENE.lat, lon: SCENE.lon, recordedAt: at(1) },
      ],
    });
    expect(batch.status).toBe(200);
    const reason = 'RT9 is retired: its positions are not kept. Take its tracker off the feed, or reinstate the unit.';
    expect(batch.body).toEqual({
      stored: 1,
      ignored: 0,
      refused: [
        { path: 'positions.0.unitId', unitId: sold.id, reason },
        { path: 'positions.2.unitId', unitId: sold.id, reason },
      ],
    });
    expect(await trail(sold.id)).toEqual(before);
    expect(await trail(working.id)).toHaveLength(1);

    // Reinstated, its positions are kept again.
    expect((await reinstate(sold.id)).status).toBe(200);
    const back = await api<{ stored: number; refused: unknown[] }>(dispatcher, 'POST', '/api/units/positions', { positions: [{ unitId: sold.id, lat: SCENE.lat, lon: SCENE.lon, recordedAt: at(0) }] });
    expect(back.body).toMatchObject({ stored: 1, refused: [] });
  });

  it('keeps-a-retired-call-sign-taken-saying-to-reinstate-it, and reinstates it off duty with one event', async () => {
    const unit = await addUnit('RT8');
    await offDuty(unit.id);
    await retire(unit.id);
    const reused = await api<Refusal>(supervisor, 'POST', '/api/units', { callSign: 'rt 8', type: 'response' });
    expect(reused.status).toBe(409);
    expect(reused.body.error.fields).toEqual([expect.objectContaining({ path: 'body.callSign', message: 'is taken: RT8 is a retired unit; reinstate it rather than add it again' })]);

    const back = await reinstate(unit.id);
    expect(back.status, back.raw).toBe(200);
    expect(back.body.unit).toMatchObject({ status: 'off_duty', moves: ['available'], fleetMoves: ['retire'] });
    expect(await listed()).toContain('RT8');
    const twice = await reinstate(unit.id);
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toBe('RT8 is not retired');
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.off_duty', 'unit.retired', 'unit.reinstated']);
  });
});
