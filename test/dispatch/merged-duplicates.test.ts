// A duplicate merged into another incident (decision 0076): its countdown stops, its late response
// is put before supervisors and counted in the response report once (on the incident kept, not
// again on the duplicate), and both histories say where it went, in the force's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { controlRoomOn, dispatchKit, type ErrorBody, type Session } from './dispatch-kit.ts';

type Incident = {
  id: string;
  reference: string;
  status: string;
  closingCode: string | null;
  clock: object | null;
  clocks: { id: string; stoppedAt: string | null; breachedAt: string | null }[];
  history: { type: string; summary: string }[];
};
type Alert = { id: string; kind: string; incidentId?: string; incidentReference?: string; acknowledgedAt: string | null };
type ReportRow = { grade: string; incidents: number; breaches: number; deploy: { measured: number } };
type Report = { totals: ReportRow[]; breaches: { number: number }[] };

const MINUTE = 60_000;
// A spring morning, alone in its UK day, so the report holds only what this file creates.
const START = new Date('2026-04-14T08:00:00Z');

describe(`merged duplicates (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let admin: Session;

  const kit = dispatchKit(() => app);
  const { api, runJobs, eventTypes } = kit;
  const createIncident = (payload: object) => kit.createIncident<Incident>(handler, { type: 'crime_violence', ...payload });
  const getIncident = (id: string) => kit.getIncident<Incident>(dispatcher, id);
  const openAlertsOf = async (incidentId: string) => (await api<{ alerts: Alert[] }>(supervisor, 'GET', '/api/alerts')).body.alerts.filter((a) => a.incidentId === incidentId && a.acknowledgedAt === null);

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  it("stops the duplicate's countdown and closes its missed-target alert, so one late response is before supervisors and in the report once", async () => {
    const kept = await createIncident({ summary: 'Shouting outside the pub', grade: 'scheduled' });
    clock.advance(MINUTE);
    const duplicate = await createIncident({ summary: 'Man stabbing someone outside the pub', grade: 'immediate' });
    clock.advance(4 * MINUTE);
    await runJobs();
    expect(await openAlertsOf(duplicate.id)).toHaveLength(1);

    const merged = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id });
    expect(merged.status, merged.raw).toBe(200);
    await runJobs();

    const gone = await getIncident(duplicate.id);
    expect(gone.clock).toBeNull();
    expect(gone.clocks.every((c) => c.stoppedAt !== null)).toBe(true);
    // The kept incident took the immediate grade measured from its own creation, so it is late
    // too: that is the one alert left asking why.
    expect(await openAlertsOf(duplicate.id)).toEqual([]);
    expect(await openAlertsOf(kept.id)).toHaveLength(1);
    expect(await eventTypes(duplicate.id)).toContain('incident.breach_alert_acknowledged');

    const report = await api<Report>(supervisor, 'GET', '/api/reports/response?from=2026-04-14&to=2026-04-14');
    expect(report.status, report.raw).toBe(200);
    expect(report.body.totals.find((row) => row.grade === 'immediate')).toMatchObject({ incidents: 1, breaches: 1, deploy: { measured: 1 } });
    expect(report.body.breaches.map((b) => `INC-${b.number}`)).toEqual([kept.reference]);
  });

  it("counts the kept incident's late response once when the merge regrades it past a target it had already missed", async () => {
    // The kept call, Priority, misses its 20-minute deploy target; then a 999 about the same fight
    // (Immediate) is merged into it, which regrades it to Immediate, whose 3 minutes passed long ago.
    const kept = await createIncident({ summary: 'Two men arguing by the bus station', grade: 'priority' });
    clock.advance(5 * MINUTE);
    const duplicate = await createIncident({ summary: 'Man punching another by the bus station', grade: 'immediate' });
    clock.advance(16 * MINUTE);
    await runJobs();
    expect(await openAlertsOf(kept.id)).toHaveLength(1);
    expect((await api(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id })).status).toBe(200);
    await runJobs();

    // One missed deploy target, on the clock that now runs, with one alert asking why.
    const after = await getIncident(kept.id);
    expect(after.clocks.filter((c) => c.breachedAt !== null)).toHaveLength(1);
    expect(after.clocks.find((c) => c.breachedAt !== null)?.stoppedAt).toBeNull();
    const alerts = await openAlertsOf(kept.id);
    expect(alerts).toHaveLength(1);
    const report = await api<Report>(supervisor, 'GET', '/api/reports/response?from=2026-04-14&to=2026-04-14');
    expect(report.body.breaches.filter((b) => `INC-${b.number}` === kept.reference)).toHaveLength(1);

    // The reason given on that clock closes the one alert: nobody is asked twice.
    const running = after.clocks.find((c) => c.stoppedAt === null)?.id ?? '';
    const reason = await api(dispatcher, 'POST', `/api/incidents/${kept.id}/clocks/${running}/breach-reason`, { reasonCode: 'regraded_late' });
    expect(reason.status, reason.raw).toBe(200);
    expect(await openAlertsOf(kept.id)).toEqual([]);
  });

  it('says in both histories how the duplicate ended and where it went, in the force’s words', async () => {
    const kept = await createIncident({ summary: 'Car on fire', grade: 'priority' });
    const duplicate = await createIncident({ summary: 'Smoke from a car', grade: 'priority' });
    const cancelled = await createIncident({ summary: 'Shouting', grade: 'scheduled' });
    expect((await api(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id })).status).toBe(200);
    expect((await api(dispatcher, 'POST', `/api/incidents/${cancelled.id}/status`, { move: 'cancel', closingCode: 'called_off' })).status).toBe(200);

    const lineOf = (incident: Incident, type: string) => incident.history.find((line) => line.type === type)?.summary;
    expect(lineOf(await getIncident(duplicate.id), 'incident.cancelled')).toBe(`Cancelled: Merged into another incident (${kept.reference})`);
    expect(lineOf(await getIncident(kept.id), 'incident.merged')).toBe(`${duplicate.reference} was merged into it as a duplicate`);
    expect(lineOf(await getIncident(cancelled.id), 'incident.cancelled')).toBe('Cancelled: Called off by the caller');
  });

  it('keeps `merged` on the closing codes: it cannot be retired or chosen, and a force’s own label for it is used', async () => {
    const codes = (await api<{ entries: { code: string; label: string }[] }>(admin, 'GET', '/api/closing-codes')).body.entries;
    const without = codes.filter((c) => c.code !== 'merged').map(({ code, label }) => ({ code, label }));
    const refused = await api<ErrorBody>(admin, 'PUT', '/api/closing-codes', { entries: without });
    expect(refused.status, refused.raw).toBe(400);
    expect(refused.body.error.message).toMatch(/keep the closing code `merged`/);
    const relabelled = await api(admin, 'PUT', '/api/closing-codes', { entries: [...without, { code: 'merged', label: 'Duplicate, merged' }] });
    expect(relabelled.status, relabelled.raw).toBe(200);

    const kept = await createIncident({ summary: 'Dog loose on the bypass', grade: 'priority' });
    const duplicate = await createIncident({ summary: 'Dog in the road', grade: 'priority' });
    const chosen = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${duplicate.id}/status`, { move: 'cancel', closingCode: 'merged' });
    expect(chosen.status, chosen.raw).toBe(400);
    expect((await api(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id })).status).toBe(200);
    const gone = await getIncident(duplicate.id);
    expect(gone).toMatchObject({ status: 'cancelled', closingCode: 'merged' });
    expect(gone.history.find((line) => line.type === 'incident.cancelled')?.summary).toBe(`Cancelled: Duplicate, merged (${kept.reference})`);
  });
});
