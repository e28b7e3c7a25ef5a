import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { controlRoomOn, dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';

type Clock = { kind: 'deploy' | 'arrive'; startedAt: string; warnAt: string; dueAt: string; breachedAt: string | null };
type ClockRecord = Clock & { id: string; grade: string; setting: string; targetMinutes: number; stoppedAt: string | null; stopReason: string | null; breachReason: { code: string; label: string; text: string | null } | null };
type Incident = { id: string; reference: string; type: string; status: string; grade: { code: string; label: string } | null; clock: Clock | null; clocks: ClockRecord[]; missedTargets: string[] };

const MINUTE = 60_000;
const START = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
// Two districts far from the demo force's: a town (urban) and the hills beside it (rural).
const square = (lon: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]] });
const TOWN = { lat: 57.45, lon: -4.25 };
const HILLS = { lat: 57.15, lon: -4.85 };

describe(`response clocks (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let admin: Session;
  let investigator: Session;
  let units = 0;
  let calls = 0;

  const kit = dispatchKit(() => app);
  const { api, runJobs, eventTypes } = kit;
  const minutesFrom = (iso: string, from: Date) => (new Date(iso).getTime() - from.getTime()) / MINUTE;
  const createIncident = (payload: object) => kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Fight in the street', ...payload });
  const dispatchNewUnit = async (incidentId: string) => {
    units += 1;
    const unit = await kit.addUnit(supervisor, { callSign: `RC${700 + units}`, type: 'response' });
    return { unitId: unit.id, incident: await kit.dispatchUnits<Incident>(dispatcher, incidentId, [unit.id]) };
  };
  const getIncident = (id: string) => kit.getIncident<Incident>(dispatcher, id);

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    admin = await signIn(app, 'admin@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await withSystem(app.database.db, (tx) =>
      tx
        .insertInto('areas')
        .values([
          { id: newId(), force_id: app.demoForceId, name: 'Town', kind: 'district', setting: 'urban', geometry: JSON.stringify(square(-4.3, 57.4)), created_at: START },
          { id: newId(), force_id: app.demoForceId, name: 'Hills', kind: 'district', setting: 'rural', geometry: JSON.stringify(square(-4.9, 57.1)), created_at: START },
        ])
        .execute(),
    );
  });
  afterAll(() => app.close());

  it('runs the deploy countdown from creation, then the urban arrival countdown from the first dispatch, and stops at the first unit on scene', async () => {
    const createdAt = clock.now();
    const incident = await createIncident({ grade: 'immediate', ...TOWN });
    expect(incident.grade).toEqual({ code: 'immediate', label: 'Immediate' });
    expect(incident.clock).toMatchObject({ kind: 'deploy', startedAt: createdAt.toISOString(), breachedAt: null });
    expect(minutesFrom(incident.clock?.dueAt ?? '', createdAt)).toBe(3);
    expect(minutesFrom(incident.clock?.warnAt ?? '', createdAt)).toBe(2);

    clock.advance(MINUTE);
    const { unitId, incident: dispatched } = await dispatchNewUnit(incident.id);
    expect(dispatched.clock).toMatchObject({ kind: 'arrive', startedAt: clock.now().toISOString(), breachedAt: null });
    expect(minutesFrom(dispatched.clock?.dueAt ?? '', createdAt)).toBe(15);
    // The list gives the board the same countdown.
    const list = await api<{ incidents: Incident[] }>(dispatcher, 'GET', '/api/incidents');
    expect(list.body.incidents.find((i) => i.id === incident.id)?.clock).toEqual(dispatched.clock);

    clock.advance(9 * MINUTE);
    const arrived = await api(dispatcher, 'POST', `/api/units/${unitId}/status`, { status: 'on_scene' });
    expect(arrived.status, arrived.raw).toBe(200);
    const after = await getIncident(incident.id);
    expect(after.clock).toBeNull();
    expect(after.clocks.map((c) => [c.kind, c.stopReason, c.breachedAt])).toEqual([
      ['deploy', 'dispatched', null],
      ['arrive', 'arrived', null],
    ]);

    // Their checks find them stopped in time: no warning, no breach.
    clock.advance(20 * MINUTE);
    await runJobs();
    expect(await eventTypes(incident.id)).not.toContain('incident.clock_breached');
  });

  it('gives a rural incident the rural arrival target', async () => {
    const createdAt = clock.now();
    const incident = await createIncident({ grade: 'immediate', ...HILLS });
    const { incident: dispatched } = await dispatchNewUnit(incident.id);
    expect(dispatched.clocks.at(-1)).toMatchObject({ kind: 'arrive', setting: 'rural', targetMinutes: 20 });
    expect(minutesFrom(dispatched.clock?.dueAt ?? '', createdAt)).toBe(20);
  });

  it('warns, then breaches, alerts supervisors and takes a reason from the list with free text, once', async () => {
    const incident = await createIncident({ grade: 'immediate', ...TOWN });
    clock.advance(2 * MINUTE);
    await runJobs();
    expect(await eventTypes(incident.id)).toContain('incident.clock_warning');
    expect((await getIncident(incident.id)).clock?.breachedAt).toBeNull();

    clock.advance(MINUTE);
    await runJobs();
    const breached = await getIncident(incident.id);
    expect(breached.clock).toMatchObject({ kind: 'deploy', breachedAt: clock.now().toISOString() });
    expect(await eventTypes(incident.id)).toContain('incident.clock_breached');
    const alert = await withSystem(app.database.db, (tx) => tx.selectFrom('alerts').select(['kind', 'message', 'acknowledged_at']).where('incident_id', '=', incident.id).executeTakeFirstOrThrow());
    expect(alert).toMatchObject({ kind: 'response_breach', acknowledged_at: null });
    expect(alert.message).toMatch(/^INC-\d+: deploy target missed \(Immediate, urban, 3 min\)/);

    // Running the jobs again changes nothing: one breach, one alert.
    await runJobs();
    expect((await eventTypes(incident.id)).filter((t) => t === 'incident.clock_breached')).toHaveLength(1);

    const clockId = breached.clocks[0]?.id ?? '';
    const url = `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`;
    expect((await api<ErrorBody>(investigator, 'POST', url, { reasonCode: 'no_unit_available' })).status).toBe(403);
    const unknown = await api<ErrorBody>(supervisor, 'POST', url, { reasonCode: 'bad_luck' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/breach reasons/);
    expect((await api<ErrorBody>(supervisor, 'POST', url, { reasonCode: 'other' })).status).toBe(400);

    const given = await api<{ incident: Incident }>(supervisor, 'POST', url, { reasonCode: 'involved_children', text: 'Children at the address; waited for a second unit' });
    expect(given.status, given.raw).toBe(200);
    expect(given.body.incident.clocks[0]?.breachReason).toMatchObject({ code: 'involved_children', label: 'Involved children', text: 'Children at the address; waited for a second unit' });
    expect((await api<ErrorBody>(supervisor, 'POST', url, { reasonCode: 'no_unit_available' })).status).toBe(409);
    const acknowledged = await withSystem(app.database.db, (tx) => tx.selectFrom('alerts').select('acknowledged_at').where('incident_id', '=', incident.id).executeTakeFirstOrThrow());
    expect(acknowledged.acknowledged_at).not.toBeNull();
    expect(await eventTypes(incident.id)).toContain('incident.breach_reason_recorded');
  });

  it('checks the countdowns of several incidents that fell due together: each warned, then breached, once; a dispatched one left alone', async () => {
    const missed = [await createIncident({ grade: 'immediate', ...TOWN }), await createIncident({ grade: 'immediate', ...TOWN })];
    const met = await createIncident({ grade: 'immediate', ...TOWN });
    await dispatchNewUnit(met.id);
    // A worker that was down for ten minutes: every warning and due check runs in one go.
    clock.advance(10 * MINUTE);
    await runJobs();
    for (const incident of missed) {
      const types = (await eventTypes(incident.id)).filter((t) => t === 'incident.clock_warning' || t === 'incident.clock_breached');
      expect(types).toEqual(['incident.clock_warning', 'incident.clock_breached']);
      expect((await getIncident(incident.id)).clock).toMatchObject({ kind: 'deploy', breachedAt: clock.now().toISOString() });
    }
    const alerts = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('alerts').select('incident_id').where('incident_id', 'in', [...missed, met].map((i) => i.id)).execute(),
    );
    expect(alerts.map((a) => a.incident_id).sort()).toEqual(missed.map((i) => i.id).sort());
    // The deploy clock of the dispatched incident stopped in time; its arrival clock is its own.
    const metClocks = (await getIncident(met.id)).clocks;
    expect(metClocks.find((k) => k.kind === 'deploy')).toMatchObject({ breachedAt: null });
  });

  it('breaches-a-target-missed-before-its-check-ran-when-the-unit-is-sent', async () => {
    // The deploy target (3 minutes) passes while the worker is behind: the dispatcher sends a unit
    // at 4 minutes, before the due check has run. The target was missed all the same.
    const late = await createIncident({ grade: 'immediate', ...TOWN });
    const cancelled = await createIncident({ grade: 'immediate', ...TOWN });
    clock.advance(4 * MINUTE);
    await dispatchNewUnit(late.id);
    expect((await api(dispatcher, 'POST', `/api/incidents/${cancelled.id}/status`, { move: 'cancel', closingCode: 'duplicate' })).status).toBe(200);
    await runJobs();
    for (const incident of [late, cancelled]) {
      const deploy = (await getIncident(incident.id)).clocks.find((k) => k.kind === 'deploy');
      expect(deploy).toMatchObject({ stopReason: incident === late ? 'dispatched' : 'ended', breachedAt: clock.now().toISOString() });
      expect((await eventTypes(incident.id)).filter((t) => t === 'incident.clock_breached')).toHaveLength(1);
      const alerts = await withSystem(app.database.db, (tx) => tx.selectFrom('alerts').select('response_clock_id').where('incident_id', '=', incident.id).execute());
      expect(alerts.map((a) => a.response_clock_id)).toEqual([deploy?.id]);
    }
    // The board's row for the incident still live says its deploy target was missed and why is owed, until a reason is recorded.
    const board = async () => (await api<{ incidents: Incident[] }>(dispatcher, 'GET', '/api/incidents')).body.incidents.find((i) => i.id === late.id)?.missedTargets;
    expect(await board()).toEqual(['deploy']);
    const deployId = (await getIncident(late.id)).clocks.find((k) => k.kind === 'deploy')?.id ?? '';
    expect((await api(supervisor, 'POST', `/api/incidents/${late.id}/clocks/${deployId}/breach-reason`, { reasonCode: 'no_unit_available' })).status).toBe(200);
    expect(await board()).toEqual([]);
    expect((await getIncident(late.id)).missedTargets).toEqual([]);
  });

  it('refuses a reason for a target that was met', async () => {
    const incident = await createIncident({ grade: 'priority', ...TOWN });
    const clockId = incident.clocks[0]?.id ?? '';
    const met = await api<ErrorBody>(supervisor, 'POST', `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`, { reasonCode: 'no_unit_available' });
    expect(met.status).toBe(409);
  });

  it('recomputes the targets on a grade change mid-way, measured from creation', async () => {
    const createdAt = clock.now();
    const incident = await createIncident({ grade: 'priority', ...TOWN });
    expect(minutesFrom(incident.clock?.dueAt ?? '', createdAt)).toBe(20);

    clock.advance(2 * MINUTE);
    const raised = await api<{ incident: Incident }>(handler, 'POST', `/api/incidents/${incident.id}/grade`, { grade: 'immediate', reason: 'Caller now says a knife is out' });
    expect(raised.status, raised.raw).toBe(200);
    expect(raised.body.incident.grade?.code).toBe('immediate');
    expect(minutesFrom(raised.body.incident.clock?.dueAt ?? '', createdAt)).toBe(3);
    expect(raised.body.incident.clocks.map((c) => [c.grade, c.stopReason])).toEqual([
      ['priority', 'regraded'],
      ['immediate', null],
    ]);
    expect((await api<ErrorBody>(handler, 'POST', `/api/incidents/${incident.id}/grade`, { grade: 'immediate' })).status).toBe(409);

    // Regraded after the new target has passed: it breaches at once, and only the new clock does.
    clock.advance(2 * MINUTE);
    await runJobs();
    const after = await getIncident(incident.id);
    expect(after.clocks.map((c) => c.breachedAt !== null)).toEqual([false, true]);

    // Dispatched late, then lowered back to Priority: the arrival countdown takes Priority's 60 minutes.
    await dispatchNewUnit(incident.id);
    const lowered = await api<{ incident: Incident }>(supervisor, 'POST', `/api/incidents/${incident.id}/grade`, { grade: 'priority', reason: 'Knife was a phone' });
    expect(lowered.body.incident.clock?.kind).toBe('arrive');
    expect(minutesFrom(lowered.body.incident.clock?.dueAt ?? '', createdAt)).toBe(60);
    const types = await eventTypes(incident.id);
    expect(types.filter((t) => t === 'incident.regraded')).toHaveLength(2);
  });

  it("carries a contact's grade onto its incident: grading creates one, regrading updates it", async () => {
    calls += 1;
    const result = await submitPublicReport(app.deps, app.demoForceId, { submissionId: `clock-test-${calls}`, whatHappened: 'Someone is trying doors on the street', where: 'High Street', when: 'now', name: null, email: `clocks${calls}@example.org` });
    const contactId = String(result.contactId);
    const graded = await api<{ incidentId: string | null }>(handler, 'POST', `/api/contacts/${contactId}/grade`, { grade: 'priority' });
    expect(graded.status, graded.raw).toBe(201);
    const incidentId = graded.body.incidentId ?? '';
    const incident = await getIncident(incidentId);
    expect(incident).toMatchObject({ type: 'unclassified', grade: { code: 'priority' }, clock: { kind: 'deploy' } });

    const regraded = await api<{ incidentId: string | null }>(handler, 'POST', `/api/contacts/${contactId}/grade`, { grade: 'immediate', reason: 'Now inside the house' });
    expect(regraded.body.incidentId).toBe(incidentId);
    expect((await getIncident(incidentId)).grade?.code).toBe('immediate');
    expect((await api<{ incidentId: string | null }>(handler, 'GET', `/api/contacts/${contactId}/grade`)).body.incidentId).toBe(incidentId);
  });

  it('stops the countdown when the incident ends', async () => {
    const incident = await createIncident({ grade: 'immediate', ...TOWN });
    const cancelled = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'cancel', closingCode: 'duplicate' });
    expect(cancelled.status, cancelled.raw).toBe(200);
    expect(cancelled.body.incident.clock).toBeNull();
    expect(cancelled.body.incident.clocks[0]?.stopReason).toBe('ended');
  });

  it('lets a force admin edit breach reasons and targets; a retired reason can no longer be given', async () => {
    const listed = await api<{ entries: { code: string; isActive: boolean }[] }>(dispatcher, 'GET', '/api/breach-reasons');
    expect(listed.body.entries.map((e) => e.code)).toEqual(expect.arrayContaining(['awaited_specialist_advice', 'no_unit_available', 'involved_children', 'other']));
    const entries = listed.body.entries.filter((e) => e.code !== 'traffic_or_weather').map((e) => ({ code: e.code, label: e.code === 'other' ? 'Something else' : e.code }));
    expect((await api(supervisor, 'PUT', '/api/breach-reasons', { entries })).status).toBe(403);
    const replaced = await api<{ entries: { code: string; label: string; isActive: boolean }[] }>(admin, 'PUT', '/api/breach-reasons', { entries });
    expect(replaced.status, replaced.raw).toBe(200);
    expect(replaced.body.entries.find((e) => e.code === 'traffic_or_weather')?.isActive).toBe(false);
    expect(replaced.body.entries.find((e) => e.code === 'other')?.label).toBe('Something else');

    const incident = await createIncident({ grade: 'immediate', ...TOWN });
    clock.advance(4 * MINUTE);
    await runJobs();
    const clockId = (await getIncident(incident.id)).clocks[0]?.id ?? '';
    const retired = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`, { reasonCode: 'traffic_or_weather' });
    expect(retired.status).toBe(400);

    const targets = await api<{ targets: { grade: string; setting: string; deployMinutes: number | null; arriveMinutes: number | null }[] }>(admin, 'PUT', '/api/response-targets', {
      targets: [{ grade: 'immediate', setting: 'rural', deployMinutes: 4, arriveMinutes: 25 }],
    });
    expect(targets.status, targets.raw).toBe(200);
    expect(targets.body.targets.find((t) => t.grade === 'immediate' && t.setting === 'rural')).toMatchObject({ deployMinutes: 4, arriveMinutes: 25 });
    const bad = await api<ErrorBody>(admin, 'PUT', '/api/response-targets', { targets: [{ grade: 'immediate', setting: 'rural', deployMinutes: 0, arriveMinutes: 25 }] });
    expect(bad.status).toBe(400);
    // A unit cannot arrive before it is sent: both count from creation.
    const backwards = await api<ErrorBody>(admin, 'PUT', '/api/response-targets', { targets: [{ grade: 'immediate', setting: 'urban', deployMinutes: 60, arriveMinutes: 10 }] });
    expect(backwards.status, backwards.raw).toBe(400);
    expect(backwards.body.error.message).toMatch(/Deploy minutes of target 1/);
    expect(backwards.body.error.message).toMatch(/must not be later than the arrival target/);
    expect((await api<{ targets: { grade: string; setting: string; deployMinutes: number | null }[] }>(admin, 'GET', '/api/response-targets')).body.targets.find((t) => t.grade === 'immediate' && t.setting === 'urban')?.deployMinutes).toBe(3);
    const created = clock.now();
    const rural = await createIncident({ grade: 'immediate', ...HILLS });
    expect(minutesFrom(rural.clock?.dueAt ?? '', created)).toBe(4);
  });

  it("hides another force's incident clocks", async () => {
    const incident = await createIncident({ grade: 'immediate', ...TOWN });
    const other = await createOtherForce(app, ['call_handler', 'dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    const clockId = incident.clocks[0]?.id ?? '';
    expect((await api(outsider, 'POST', `/api/incidents/${incident.id}/grade`, { grade: 'priority' })).status).toBe(404);
    expect((await api(outsider, 'POST', `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`, { reasonCode: 'other', text: 'x' })).status).toBe(404);
  });
});
