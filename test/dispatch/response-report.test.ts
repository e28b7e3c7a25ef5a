import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { controlRoomOn, dispatchKit, type Session } from './dispatch-kit.ts';

type Measure = { measured: number; withinTarget: number; withinTargetPercent: number | null; medianMinutes: number | null; p90Minutes: number | null };
type Row = { areaName: string | null; grade: string; incidents: number; deploy: Measure; arrive: Measure; breaches: number };
type Report = { from: string; to: string; rows: Row[]; totals: Row[]; breaches: { number: number; kind: string; reasonCode: string | null; reasonLabel: string | null; reasonText: string | null }[] };
type Incident = { id: string; reference: string; clocks: { id: string; kind: string }[] };

const MINUTE = 60_000;
// A summer morning: the UK day 2026-06-01 began at 23:00 UTC the evening before.
const START = new Date('2026-06-01T08:00:00Z');
const HARBOUR = { lat: 58.05, lon: -5.05 };
const square = (lon: number, lat: number) => ({ type: 'Polygon' as const, coordinates: [[[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]]] });

describe(`response report (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;
  let units = 0;

  const kit = dispatchKit(() => app);
  const { api, runJobs } = kit;
  const createIncident = (grade: string) => kit.createIncident<Incident>(handler, { type: 'crime_violence', summary: 'Fight on the quay', grade, ...HARBOUR });
  const dispatchUnit = async (incidentId: string) => {
    units += 1;
    const unit = await kit.addUnit(supervisor, { callSign: `HB${100 + units}`, type: 'response' });
    await kit.dispatchUnits(dispatcher, incidentId, [unit.id]);
    return unit.id;
  };
  const arrive = (unitId: string) => kit.setUnitStatus(dispatcher, unitId, 'on_scene');

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
    await withSystem(app.database.db, (tx) =>
      tx.insertInto('areas').values({ id: newId(), force_id: app.demoForceId, name: 'Harbour', kind: 'district', setting: 'urban', geometry: JSON.stringify(square(-5.1, 58.0)), created_at: START }).execute(),
    );

    // On time: dispatched at 2 minutes, on scene at 10 (Immediate, urban: 3 and 15).
    const onTime = await createIncident('immediate');
    clock.advance(2 * MINUTE);
    const first = await dispatchUnit(onTime.id);
    clock.advance(8 * MINUTE);
    await arrive(first);

    // Late for both: nobody sent for 4 minutes, on scene at 20; the deploy breach gets a reason.
    const late = await createIncident('immediate');
    clock.advance(4 * MINUTE);
    await runJobs();
    const unitId = await dispatchUnit(late.id);
    clock.advance(16 * MINUTE);
    await runJobs();
    await arrive(unitId);
    const deployClock = late.clocks.find((c) => c.kind === 'deploy')?.id ?? '';
    const reason = await api(supervisor, 'POST', `/api/incidents/${late.id}/clocks/${deployClock}/breach-reason`, { reasonCode: 'other', text: '=HYPERLINK("http://evil.example")' });
    expect(reason.status, reason.raw).toBe(200);

    // Priority, still waiting two hours on: its 20-minute deploy target was missed.
    await createIncident('priority');
    clock.advance(120 * MINUTE);
    await runJobs();
  });
  afterAll(() => app.close());

  it('reports deployed and arrived within target, medians and breaches with their reasons, by area and grade', async () => {
    const report = await api<Report>(supervisor, 'GET', '/api/reports/response?from=2026-06-01&to=2026-06-01');
    expect(report.status, report.raw).toBe(200);
    const harbour = report.body.rows.filter((r) => r.areaName === 'Harbour');
    const immediate = harbour.find((r) => r.grade === 'immediate');
    expect(immediate).toMatchObject({ incidents: 2, breaches: 2 });
    expect(immediate?.deploy).toEqual({ measured: 2, withinTarget: 1, withinTargetPercent: 50, medianMinutes: 3, p90Minutes: 3.8 });
    expect(immediate?.arrive).toEqual({ measured: 2, withinTarget: 1, withinTargetPercent: 50, medianMinutes: 15, p90Minutes: 19 });
    expect(harbour.find((r) => r.grade === 'priority')).toMatchObject({ incidents: 1, deploy: { measured: 1, withinTarget: 0, withinTargetPercent: 0, medianMinutes: null }, breaches: 1 });
    const explained = report.body.breaches.find((b) => b.reasonCode === 'other');
    expect(explained).toMatchObject({ kind: 'deploy', reasonText: '=HYPERLINK("http://evil.example")' });
    expect(report.body.breaches.filter((b) => b.kind === 'arrive')).toHaveLength(1);
    expect(report.body.totals.find((r) => r.grade === 'immediate')?.incidents).toBeGreaterThanOrEqual(2);

    // The day before holds none of them.
    const before = await api<Report>(supervisor, 'GET', '/api/reports/response?from=2026-05-31&to=2026-05-31');
    expect(before.body.rows.filter((r) => r.areaName === 'Harbour')).toEqual([]);
  });

  it('exports the same figures as CSV that a spreadsheet cannot be tricked by', async () => {
    const csv = await api(supervisor, 'GET', '/api/reports/response.csv?from=2026-06-01&to=2026-06-01');
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(csv.headers['content-disposition'])).toBe('attachment; filename="response-report-2026-06-01-to-2026-06-01.csv"');
    const lines = csv.raw.split('\r\n');
    expect(lines[0]).toMatch(/^section,area,grade,incidents,deploy measured,/);
    expect(lines).toContain('area,Harbour,Immediate,2,2,1,50,3,3.8,2,1,50,15,19,2');
    expect(csv.raw).toContain('"\'=HYPERLINK(""http://evil.example"")"');
    expect(csv.raw).not.toMatch(/,=HYPERLINK/);
  });

  it('refuses bad periods with the reason, and those without the permission', async () => {
    const reversed = await api<{ error: { message: string } }>(supervisor, 'GET', '/api/reports/response?from=2026-06-02&to=2026-06-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.message).toMatch(/\bto\b/i);
    expect((await api(supervisor, 'GET', '/api/reports/response?from=2026-02-30')).status).toBe(400);
    expect((await api(supervisor, 'GET', '/api/reports/response?from=2024-01-01&to=2026-06-01')).status).toBe(400);
    expect((await api(handler, 'GET', '/api/reports/response')).status).toBe(403);
    expect((await api(dispatcher, 'GET', '/api/reports/response.csv')).status).toBe(403);
  });

  it("shows another force nothing of this force's incidents", async () => {
    const other = await createOtherForce(app, ['supervisor']);
    const outsider = await signIn(app, other.emails.supervisor ?? '', 'other-password');
    const report = await api<Report>(outsider, 'GET', '/api/reports/response?from=2026-06-01&to=2026-06-01');
    expect(report.status).toBe(200);
    expect(report.body.rows).toEqual([]);
    expect(report.body.breaches).toEqual([]);
  });
});
