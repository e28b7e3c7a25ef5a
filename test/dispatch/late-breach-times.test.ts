import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { controlRoomOn, dispatchKit, type Session } from './dispatch-kit.ts';

// A target missed while the clock check was behind is breached when the clock stops (decision
// 0132). The breach is recorded then, but the target was missed at its due time: the response
// report's breach list and its CSV, and the incident's history, say so.

type Breach = { number: number; kind: string; dueAt: string; breachedAt: string };
type Incident = { id: string; reference: string; clocks: { kind: string; dueAt: string }[]; history: { type: string; at: string; summary: string }[] };

const MINUTE = 60_000;
// A summer morning: 08:00 UTC is 09:00 in the UK.
const START = new Date('2026-06-01T08:00:00Z');
const QUAY = { lat: 58.05, lon: -5.05 };
const square = (lon: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]] });

describe(`a breach found late is timed at the target it missed (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let units = 0;
  const kit = dispatchKit(() => app);
  const { api } = kit;
  const createIncident = () => kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Fight on the quay', grade: 'immediate', ...QUAY });
  const dispatchUnit = async (incidentId: string) => {
    units += 1;
    const unit = await kit.addUnit(supervisor, { callSign: `LB${100 + units}`, type: 'response' });
    await kit.dispatchUnits(dispatcher, incidentId, [unit.id]);
  };
  let first: Incident;
  let second: Incident;

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    await withSystem(app.database.db, (tx) =>
      tx.insertInto('areas').values({ id: newId(), force_id: app.demoForceId, name: 'Quay', kind: 'district', setting: 'urban', geometry: JSON.stringify(square(-5.1, 58.0)), created_at: START }).execute(),
    );
    // Immediate, urban: 3 minutes to deploy. No check runs all morning (the worker is down).
    first = await createIncident(); // due 08:03
    clock.advance(7 * MINUTE);
    second = await createIncident(); // due 08:10
    // The second is sent for first, at 08:20; the first at 08:30: each breach is found as its clock stops.
    clock.advance(13 * MINUTE);
    await dispatchUnit(second.id);
    clock.advance(10 * MINUTE);
    await dispatchUnit(first.id);
  });
  afterAll(() => app.close());

  it('lists each breach at its due time, in the order the targets were missed, not the order they were found', async () => {
    const report = await api<{ breaches: Breach[] }>(supervisor, 'GET', '/api/reports/response?from=2026-06-01&to=2026-06-01');
    expect(report.status, report.raw).toBe(200);
    const missed = report.body.breaches.filter((b) => b.kind === 'deploy');
    expect(missed.map((b) => [b.number, b.dueAt, b.breachedAt])).toEqual([
      [Number(first.reference.slice(4)), '2026-06-01T08:03:00.000Z', '2026-06-01T08:03:00.000Z'],
      [Number(second.reference.slice(4)), '2026-06-01T08:10:00.000Z', '2026-06-01T08:10:00.000Z'],
    ]);
    const csv = await api(supervisor, 'GET', '/api/reports/response.csv?from=2026-06-01&to=2026-06-01');
    expect(csv.raw).toContain(`${first.reference.slice(4)},Quay,Immediate,Deploy,2026-06-01T08:03:00.000Z,2026-06-01T08:03:00.000Z,`);
    expect(csv.raw).not.toContain('2026-06-01T08:30:00.000Z');
  });

  it("says in the incident's history when the target was missed, on the line of the breach appended when it was found", async () => {
    const incident = await kit.getIncident<Incident>(dispatcher, first.id);
    const breach = incident.history.find((line) => line.type === 'incident.clock_breached');
    expect(breach).toMatchObject({ at: '2026-06-01T08:30:00.000Z', summary: 'Deploy target missed (due 01 Jun 2026, 09:03)' });
  });
});
