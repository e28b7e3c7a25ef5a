import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type ErrorBody = { error: { code: string; message: string; fields?: { path: string }[] } };
type Incident = {
  id: string;
  status: string;
  location: { text: string | null; lat: number | null; lon: number | null; district: { name: string } | null };
};
type Recommendation = { shortfalls: { code: string }[] };

const START = new Date('2026-12-04T09:00:00Z');
// A square district round Stirling, far from the demo force's own areas (longitude first, as GeoJSON has it).
const STIRLING = { type: 'Polygon' as const, coordinates: [[[-3.99, 56.1], [-3.9, 56.1], [-3.9, 56.14], [-3.99, 56.14], [-3.99, 56.1]]] };

// An incident made by grading a contact has an address in the reporter's words and no position:
// until someone sets where it is, no unit can be recommended by arrival time.
describe(`setting where an incident is (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Session;
  let investigator: Session;

  const { api } = dispatchKit(() => app);
  const put = <T>(session: Session, incidentId: string, payload: object) => api<T>(session, 'PUT', `/api/incidents/${incidentId}/location`, payload);
  const gradedIncident = async (submissionId: string) => {
    const { contactId } = await submitPublicReport(app.deps, app.demoForceId, { submissionId, whatHappened: 'Car broken into overnight', where: 'Behind the station', when: 'last night', name: null, email: `${submissionId}@example.org` });
    const graded = await app.inject({ method: 'POST', url: `/api/contacts/${contactId as string}/grade`, headers: handler.headers, payload: { grade: 'scheduled' } });
    expect(graded.statusCode, graded.body).toBe(201);
    return graded.json<{ incidentId: string }>().incidentId;
  };

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    await withSystem(app.database.db, (tx) =>
      tx.insertInto('areas').values({ id: newId(), force_id: app.demoForceId, name: 'Stirling', kind: 'district', setting: 'urban', geometry: JSON.stringify(STIRLING), created_at: START }).execute(),
    );
  });
  afterAll(() => app.close());

  it('gives a graded incident a position, puts it in its district, records it, and lets units be recommended', async () => {
    const incidentId = await gradedIncident('location-graded');
    const before = await app.inject({ method: 'GET', url: `/api/incidents/${incidentId}/recommendation`, headers: handler.headers });
    expect(before.json<Recommendation>().shortfalls.map((s) => s.code)).toContain('incident_has_no_position');

    const set = await put<{ incident: Incident }>(handler, incidentId, { locationText: 'Stirling station car park', lat: 56.1197, lon: -3.9356 });
    expect(set.status, set.raw).toBe(200);
    expect(set.body.incident.location).toMatchObject({ text: 'Stirling station car park', lat: 56.1197, lon: -3.9356, district: { name: 'Stirling' } });

    const after = await app.inject({ method: 'GET', url: `/api/incidents/${incidentId}/recommendation`, headers: handler.headers });
    expect(after.json<Recommendation>().shortfalls.map((s) => s.code)).not.toContain('incident_has_no_position');

    const events = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data', 'actor_id']).where('subject_id', '=', incidentId).where('type', '=', 'incident.location_set').execute());
    expect(events).toEqual([{ type: 'incident.location_set', actor_id: expect.any(String), data: expect.objectContaining({ locationText: 'Stirling station car park', lat: 56.1197, lon: -3.9356 }) }]);

    // Setting only an address clears the position, and with it the district.
    const moved = await put<{ incident: Incident }>(handler, incidentId, { locationText: 'Somewhere on the A9' });
    expect(moved.body.incident.location).toMatchObject({ text: 'Somewhere on the A9', lat: null, lon: null, district: null });
  });

  it('refuses half a position, an empty body, a role without incidents:write, and an incident that has ended', async () => {
    const incidentId = await gradedIncident('location-refusals');
    const half = await put<ErrorBody>(handler, incidentId, { lat: 56.1 });
    expect(half.status).toBe(400);
    expect(half.body.error.fields?.map((f) => f.path)).toContain('body.lat');
    expect((await put<ErrorBody>(handler, incidentId, {})).status).toBe(400);
    expect((await put<ErrorBody>(investigator, incidentId, { locationText: 'Elsewhere' })).status).toBe(403);
    expect((await put<ErrorBody>(handler, newId(), { locationText: 'Elsewhere' })).status).toBe(404);

    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const cancelled = await app.inject({ method: 'POST', url: `/api/incidents/${incidentId}/status`, headers: dispatcher.headers, payload: { move: 'cancel', closingCode: 'called_off' } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const ended = await put<ErrorBody>(handler, incidentId, { locationText: 'Elsewhere' });
    expect(ended.status).toBe(409);
    expect(ended.body.error.message).toMatch(/has ended \(cancelled\)/);
  });
});
