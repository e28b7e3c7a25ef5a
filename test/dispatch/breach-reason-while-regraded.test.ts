// A dispatcher explains a missed target as a supervisor regrades the incident. The regrade stops
// the clock and moves its breach (with the supervisors' alert) to the clock it starts, as one missed
// target is one breach; the reason, sent for the clock the dispatcher saw, was refused with "this
// target has not been missed; there is nothing to explain", which is untrue. The reason now
// follows the breach to the clock it moved to. The held test needs PostgreSQL (PGlite runs one
// transaction at a time); a reason sent just after the regrade meets the same on both engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, type TestApp } from '../helpers.ts';
import { heldTogether } from '../held-together.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { controlRoomOn, dispatchKit, type Session } from './dispatch-kit.ts';

type ClockRecord = { id: string; kind: string; grade: string; stoppedAt: string | null; breachedAt: string | null; breachReason: { code: string; text: string | null } | null };
type Incident = { id: string; clocks: ClockRecord[] };

const MINUTE = 60_000;
const START = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const square = (lon: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]] });
const TOWN = { lat: 57.45, lon: -4.25 };

describe(`a breach explained as the incident is regraded (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  const kit = dispatchKit(() => app);

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    await withSystem(app.database.db, (tx) =>
      tx.insertInto('areas').values({ id: newId(), force_id: app.demoForceId, name: 'Town', kind: 'district', setting: 'urban', geometry: JSON.stringify(square(-4.3, 57.4)), created_at: START }).execute(),
    );
  });
  afterAll(() => app.close());

  /** An Immediate incident whose deploy target was missed half an hour ago (so Priority's has passed too): its clock's id. */
  async function missedLongAgo(): Promise<{ incidentId: string; clockId: string }> {
    const incident = await kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Fight in the street', grade: 'immediate', ...TOWN });
    clock.advance(30 * MINUTE);
    await kit.runJobs();
    return { incidentId: incident.id, clockId: incident.clocks[0]?.id ?? '' };
  }
  const explain = (incidentId: string, clockId: string) => () =>
    app.inject({ method: 'POST', url: `/api/incidents/${incidentId}/clocks/${clockId}/breach-reason`, headers: dispatcher.headers, payload: { reasonCode: 'no_unit_available', text: 'Every unit was committed' } });
  const regrade = (incidentId: string) => () => app.inject({ method: 'POST', url: `/api/incidents/${incidentId}/grade`, headers: supervisor.headers, payload: { grade: 'priority' } });

  async function expectExplainedOnTheNewClock(incidentId: string, oldClockId: string) {
    const incident = await kit.getIncident<Incident>(dispatcher, incidentId);
    const [old, now] = incident.clocks;
    expect(old).toMatchObject({ id: oldClockId, stoppedAt: expect.any(String), breachedAt: null, breachReason: null });
    expect(now).toMatchObject({ grade: 'priority', stoppedAt: null, breachedAt: expect.any(String), breachReason: { code: 'no_unit_available', text: 'Every unit was committed' } });
    const alert = await withSystem(app.database.db, (tx) => tx.selectFrom('alerts').select(['response_clock_id', 'acknowledged_at']).where('incident_id', '=', incidentId).executeTakeFirstOrThrow());
    expect(alert).toEqual({ response_clock_id: now?.id, acknowledged_at: expect.any(Date) });
    expect((await kit.eventTypes(incidentId)).filter((type) => type === 'incident.breach_reason_recorded')).toHaveLength(1);
  }

  it('takes-a-reason-sent-for-the-clock-a-regrade-just-stopped-on-the-clock-its-breach-moved-to', async () => {
    const { incidentId, clockId } = await missedLongAgo();
    expect((await regrade(incidentId)()).statusCode).toBe(200);
    const explained = await explain(incidentId, clockId)();
    expect(explained.statusCode, explained.body).toBe(200);
    await expectExplainedOnTheNewClock(incidentId, clockId);
    // Explained once: a second reason, for either clock, is refused.
    expect((await explain(incidentId, clockId)()).json()).toEqual({ error: { code: 'conflict', message: 'a reason has already been recorded for this breach' } });
  });

  it.skipIf(ENGINE !== 'postgres')('takes-the-reason-when-both-arrive-at-once-the-regrade-first', async () => {
    const { incidentId, clockId } = await missedLongAgo();
    // The regrade has locked the clock and waits to stop it; the reason then waits for the clock.
    const answers = await heldTogether(app, 'lock table response_clocks in share mode', [regrade(incidentId), explain(incidentId, clockId)]);
    expect(answers.map((answer) => answer.statusCode), answers.map((answer) => answer.body).join('\n')).toEqual([200, 200]);
    await expectExplainedOnTheNewClock(incidentId, clockId);
  });
});
