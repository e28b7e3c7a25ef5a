// A unit standing down (clear before the job is done) moves its incident: it follows the furthest
// unit still committed, and is open again, needing a unit, when none is (decision 0060). The
// response targets run to the first dispatch and the first arrival, so a stand-down restarts none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { controlRoomOn, dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';

type Clock = { kind: 'deploy' | 'arrive'; dueAt: string };
type Incident = { id: string; status: string; clock: Clock | null; units: { unitId: string; status: string }[]; clocks: { kind: string; stoppedAt: string | null }[] };

const MINUTE = 60_000;
const START = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);

describe(`a unit standing down (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let units = 0;

  const kit = dispatchKit(() => app);
  const { api, eventTypes } = kit;
  const INCIDENT = { type: 'crime_violence', summary: 'Fight outside the pub', grade: 'immediate' };
  const createIncident = (payload: object = {}) => kit.createIncident<Incident>(handler, { ...INCIDENT, ...payload });
  const addUnit = async () => {
    units += 1;
    return (await kit.addUnit(supervisor, { callSign: `SD${100 + units}`, type: 'response' })).id;
  };
  const dispatch = (incidentId: string, unitIds: string[]) => kit.dispatchUnits<Incident>(dispatcher, incidentId, unitIds);
  const incidentWithUnit = async () => {
    units += 1;
    return kit.incidentWithUnit<Incident>(
      { createdBy: handler, addedBy: supervisor, sentBy: dispatcher },
      INCIDENT,
      { callSign: `SD${100 + units}`, type: 'response' },
    );
  };
  const report = (unitId: string, status: string) => kit.setUnitStatus(dispatcher, unitId, status);
  const getIncident = (id: string) => kit.getIncident<Incident>(dispatcher, id);

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
  });
  afterAll(() => app.close());

  it('puts the incident back to open, needing a unit, when its only unit stands down before arriving, and keeps the arrival countdown', async () => {
    const { incident, unit: { id: unit } } = await incidentWithUnit();
    expect(incident.clock?.kind).toBe('arrive');
    clock.advance(MINUTE);
    await report(unit, 'en_route');
    await report(unit, 'clear');

    const after = await getIncident(incident.id);
    expect(after.status).toBe('open');
    expect(after.units).toEqual([expect.objectContaining({ unitId: unit, status: 'cleared' })]);
    // The arrival target still runs from the incident's creation: nobody has arrived yet.
    expect(after.clock).toEqual(expect.objectContaining({ kind: 'arrive', dueAt: incident.clock?.dueAt }));
    expect((await eventTypes(incident.id)).slice(-1)).toEqual(['incident.unit_cleared']);

    // A regrade while open again recomputes the arrival countdown, not a deploy one already met.
    const regraded = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/grade`, { grade: 'priority' });
    expect(regraded.status, regraded.raw).toBe(200);
    expect(regraded.body.incident.clock?.kind).toBe('arrive');

    // It was deployed to: it cannot be resolved without deployment, but may be resolved, or sent another unit.
    const rwd = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve_without_deployment', closingCode: 'advice' });
    expect(rwd.status, rwd.raw).toBe(409);
    const again = await dispatch(incident.id, [await addUnit()]);
    expect(again.status).toBe('dispatched');
    expect(again.clock?.kind).toBe('arrive');
  });

  it('follows the furthest unit still committed, and runs no countdown once a unit has been on scene', async () => {
    const incident = await createIncident();
    const [first, second] = [await addUnit(), await addUnit()];
    await dispatch(incident.id, [first, second]);
    await report(first, 'en_route');
    await report(first, 'on_scene');
    await report(second, 'en_route');
    expect((await getIncident(incident.id)).status).toBe('on_scene');

    await report(first, 'clear');
    const following = await getIncident(incident.id);
    expect(following.status).toBe('en_route');
    expect(following.clock).toBeNull();

    await report(second, 'clear');
    const empty = await getIncident(incident.id);
    expect(empty.status).toBe('open');
    expect(empty.clock).toBeNull();
    expect((await eventTypes(incident.id)).filter((t) => t === 'incident.unit_cleared')).toHaveLength(2);

    // A unit went and arrived: the job can be resolved with nobody left on it.
    const resolved = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve' });
    expect(resolved.status, resolved.raw).toBe(200);
    expect(resolved.body.incident.status).toBe('resolved');
  });

  it('leaves the incident where it is while another unit at the same stage is still going', async () => {
    const incident = await createIncident();
    const [first, second] = [await addUnit(), await addUnit()];
    await dispatch(incident.id, [first, second]);
    await report(first, 'clear');
    expect((await getIncident(incident.id)).status).toBe('dispatched');
  });

  it('refuses-a-stand-down-by-a-role-without-dispatch-or-from-another-force, and moves nothing', async () => {
    const { incident, unit: { id: unit } } = await incidentWithUnit();
    expect((await api(handler, 'POST', `/api/units/${unit}/status`, { status: 'clear' })).status).toBe(403);
    const other = await createOtherForce(app, ['dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    expect((await api(outsider, 'POST', `/api/units/${unit}/status`, { status: 'clear' })).status).toBe(404);
    expect((await getIncident(incident.id)).status).toBe('dispatched');
    // A unit committed to nothing cannot clear.
    const idle = await addUnit();
    const refused = await api<ErrorBody>(dispatcher, 'POST', `/api/units/${idle}/status`, { status: 'clear' });
    expect(refused.status).toBe(409);
  });
});
