// Dispatch and the incident's endings move units: sending one, its crew's progress, standing it
// down, and resolving or cancelling the incident that holds it. Each is a move of the unit's own
// machine made by the units room (decision 0189): the unit's state, and exactly one event of the
// move's type on the unit, by whoever asked; a move the machine refuses is a 409 saying why, and
// leaves the unit, the incident and the log as they were.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { dispatchKit, type ErrorBody, type Session } from './dispatch-kit.ts';

type Unit = { id: string; callSign: string; status: string; incidentId: string | null };
type Incident = { id: string; status: string; units: { unitId: string; status: string }[] };

describe(`units moved by dispatch and by the incident's endings (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let units = 0;

  const kit = dispatchKit(() => app);
  const { api, eventTypes } = kit;
  const createIncident = () => kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Fight outside the pub', grade: 'immediate' });
  const addUnit = async () => {
    units += 1;
    return kit.addUnit<Unit>(supervisor, { callSign: `MV${100 + units}`, type: 'response' });
  };
  const getUnit = async (unitId: string) => (await api<{ unit: Unit }>(dispatcher, 'GET', `/api/units/${unitId}`)).body.unit;
  const report = (unitId: string, status: string, extra: object = {}) => api<{ unit: Unit } & ErrorBody>(dispatcher, 'POST', `/api/units/${unitId}/status`, { status, ...extra });
  const send = (incidentId: string, unitIds: string[]) => api<{ incident: Incident } & ErrorBody>(dispatcher, 'POST', `/api/incidents/${incidentId}/dispatch`, { unitIds });
  const end = (incidentId: string, payload: object) => api<{ incident: Incident } & ErrorBody>(dispatcher, 'POST', `/api/incidents/${incidentId}/status`, payload);

  /** The unit's events of one type, with their data and actor, oldest first. */
  const eventsOf = (unitId: string, type: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data', 'actor_type', 'actor_id']).where('subject_id', '=', unitId).where('type', '=', type).orderBy('seq').execute(),
    );

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  });
  afterAll(() => app.close());

  it('commits a unit sent to an incident, with one unit.dispatched by the dispatcher naming the incident', async () => {
    const incident = await createIncident();
    const unit = await addUnit();
    const sent = await send(incident.id, [unit.id]);
    expect(sent.status, sent.raw).toBe(200);

    expect(await getUnit(unit.id)).toMatchObject({ status: 'dispatched', incidentId: incident.id });
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.dispatched']);
    expect(await eventsOf(unit.id, 'unit.dispatched')).toEqual([
      { type: 'unit.dispatched', data: { incidentId: incident.id, callSign: unit.callSign }, actor_type: 'staff', actor_id: dispatcher.user.id },
    ]);
  });

  it('moves a unit en route, on scene and stood down, each once, and the stood-down unit is returning', async () => {
    const incident = await createIncident();
    const unit = await addUnit();
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    expect((await report(unit.id, 'en_route')).body.unit).toMatchObject({ status: 'en_route', incidentId: incident.id });
    expect((await report(unit.id, 'on_scene')).body.unit).toMatchObject({ status: 'on_scene', incidentId: incident.id });
    const cleared = await report(unit.id, 'clear');
    expect(cleared.status, cleared.raw).toBe(200);
    expect(cleared.body.unit).toMatchObject({ status: 'returning', incidentId: null });

    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.dispatched', 'unit.en_route', 'unit.on_scene', 'unit.cleared']);
    expect(await eventsOf(unit.id, 'unit.cleared')).toEqual([{ type: 'unit.cleared', data: { incidentId: incident.id }, actor_type: 'staff', actor_id: dispatcher.user.id }]);
    expect((await kit.getIncident<Incident>(dispatcher, incident.id)).units).toEqual([expect.objectContaining({ unitId: unit.id, status: 'cleared' })]);
  });

  it('frees every unit still committed when the incident is resolved, each with one unit.cleared', async () => {
    const incident = await createIncident();
    const [onScene, sent] = [await addUnit(), await addUnit()];
    await kit.dispatchUnits(dispatcher, incident.id, [onScene.id, sent.id]);
    await report(onScene.id, 'on_scene');
    const resolved = await end(incident.id, { move: 'resolve' });
    expect(resolved.status, resolved.raw).toBe(200);
    expect(resolved.body.incident.status).toBe('resolved');

    for (const unit of [onScene, sent]) {
      expect(await getUnit(unit.id)).toMatchObject({ status: 'returning', incidentId: null });
      expect(await eventsOf(unit.id, 'unit.cleared')).toEqual([{ type: 'unit.cleared', data: { incidentId: incident.id }, actor_type: 'staff', actor_id: dispatcher.user.id }]);
    }
    // Closing the resolved incident has no unit left to move.
    const closed = await end(incident.id, { move: 'close', closingCode: 'advice' });
    expect(closed.status, closed.raw).toBe(200);
    expect(await eventTypes(onScene.id)).toEqual(['unit.created', 'unit.dispatched', 'unit.on_scene', 'unit.cleared']);
  });

  it('frees every unit still committed when the incident is cancelled, each with one unit.cleared', async () => {
    const incident = await createIncident();
    const unit = await addUnit();
    await kit.dispatchUnits(dispatcher, incident.id, [unit.id]);
    await report(unit.id, 'en_route');
    const cancelled = await end(incident.id, { move: 'cancel', closingCode: 'advice' });
    expect(cancelled.status, cancelled.raw).toBe(200);
    expect(await getUnit(unit.id)).toMatchObject({ status: 'returning', incidentId: null });
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.dispatched', 'unit.en_route', 'unit.cleared']);
    // Back at base, it may be sent again.
    expect((await report(unit.id, 'available')).body.unit).toMatchObject({ status: 'available' });
    const again = await send((await createIncident()).id, [unit.id]);
    expect(again.status, again.raw).toBe(200);
  });

  it('refuses-to-send-a-unit-off-duty-or-committed (409 with the reason), and moves nothing', async () => {
    const incident = await createIncident();
    const [free, offDuty, busy] = [await addUnit(), await addUnit(), await addUnit()];
    await report(offDuty.id, 'off_duty');
    const elsewhere = await createIncident();
    await kit.dispatchUnits(dispatcher, elsewhere.id, [busy.id]);

    const refusedOff = await send(incident.id, [free.id, offDuty.id]);
    expect(refusedOff.status, refusedOff.raw).toBe(409);
    expect(refusedOff.body.error).toMatchObject({ code: 'conflict', message: `${offDuty.callSign} is off duty; make it available first` });
    const refusedBusy = await send(incident.id, [busy.id]);
    expect(refusedBusy.status, refusedBusy.raw).toBe(409);
    expect(refusedBusy.body.error).toMatchObject({ code: 'conflict', message: `${busy.callSign} is dispatched to another incident; clear it first` });
    const twice = await send(elsewhere.id, [busy.id]);
    expect(twice.status, twice.raw).toBe(409);
    expect(twice.body.error.message).toBe(`${busy.callSign} is already committed to this incident`);

    // Nothing by halves: the free unit sent with the off-duty one is still free, the incident still open.
    expect(await getUnit(free.id)).toMatchObject({ status: 'available', incidentId: null });
    expect(await eventTypes(free.id)).toEqual(['unit.created']);
    expect(await eventTypes(offDuty.id)).toEqual(['unit.created', 'unit.off_duty']);
    expect(await eventTypes(busy.id)).toEqual(['unit.created', 'unit.dispatched']);
    expect((await kit.getIncident<Incident>(dispatcher, incident.id)).status).toBe('open');
  });

  it('refuses-to-stand-down-a-unit-not-committed, and to send a retired or unknown one, never a 500', async () => {
    const unit = await addUnit();
    const clear = await report(unit.id, 'clear');
    expect(clear.status, clear.raw).toBe(409);
    expect(clear.body.error).toMatchObject({ code: 'conflict', message: `${unit.callSign} is not committed to an incident` });
    const enRoute = await report(unit.id, 'en_route');
    expect(enRoute.status, enRoute.raw).toBe(409);

    await report(unit.id, 'off_duty');
    const retired = await api(supervisor, 'POST', `/api/units/${unit.id}/retire`, { reason: 'Written off' });
    expect(retired.status, retired.raw).toBe(200);
    const incident = await createIncident();
    const sendRetired = await send(incident.id, [unit.id]);
    expect(sendRetired.status, sendRetired.raw).toBe(409);
    expect(sendRetired.body.error.message).toBe(`${unit.callSign} is retired; choose another unit`);
    const unknown = await send(incident.id, ['00000000-0000-4000-8000-000000000000']);
    expect(unknown.status, unknown.raw).toBe(404);
    expect(await eventTypes(unit.id)).toEqual(['unit.created', 'unit.off_duty', 'unit.retired']);
  });
});
