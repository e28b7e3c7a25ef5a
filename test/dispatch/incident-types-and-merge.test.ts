import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';

type Incident = { id: string; reference: string; status: string; closingCode: string | null; clock: object | null; mergedIntoId: string | null; contacts: { contactId: string; unlinkedAt: string | null }[] };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);
// Far from the demo force's seeded places: a street in Inverness and one 300 m along it.
const HERE = { lat: 57.478, lon: -4.224 };
const ALONG = { lat: 57.4807, lon: -4.224 };
const ACROSS_TOWN = { lat: 57.52, lon: -4.224 };

describe(`incident types, nearby incidents and merging (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let admin: Session;
  let calls = 0;

  const kit = dispatchKit(() => app);
  const { api } = kit;
  const report = async (what: string) => {
    calls += 1;
    const result = await submitPublicReport(app.deps, app.demoForceId, { submissionId: `merge-test-${calls}`, whatHappened: what, where: 'Academy Street', when: 'now', name: null, email: `merge${calls}@example.org` });
    return String(result.contactId);
  };
  const createIncident = (payload: object) => kit.createIncident<Incident>(handler, { type: 'crime_burglary', summary: 'Break-in', grade: 'priority', ...payload });

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  it('seeds incident types under the four national categories, and refuses a type not on the list', async () => {
    const types = await api<{ entries: { code: string; category: string; categoryLabel: string }[] }>(handler, 'GET', '/api/incident-types');
    expect(new Set(types.body.entries.map((t) => t.categoryLabel))).toEqual(new Set(['Public safety and welfare', 'Crime', 'Anti-social behaviour', 'Transport']));
    const refused = await api<ErrorBody>(handler, 'POST', '/api/incidents', { type: 'alien_landing', summary: 'Lights in the sky' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/incident types/);

    // A type the force retires can no longer open an incident; `unclassified` cannot be retired.
    const kept = types.body.entries.filter((t) => t.code !== 'animals').map((t) => ({ code: t.code, label: t.code, category: t.category }));
    expect((await api(admin, 'PUT', '/api/incident-types', { entries: kept })).status).toBe(200);
    expect((await api(handler, 'POST', '/api/incidents', { type: 'animals', summary: 'Cows on the road' })).status).toBe(400);
    expect((await api(admin, 'PUT', '/api/incident-types', { entries: kept.filter((t) => t.code !== 'unclassified') })).status).toBe(400);
  });

  it('closes only with one of the force\u2019s closing codes', async () => {
    const incident = await createIncident({ summary: 'Shed broken into', ...HERE });
    const made_up = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve_without_deployment', closingCode: 'sorted' });
    expect(made_up.status).toBe(400);
    expect(made_up.body.error.message).toMatch(/closing codes/);
    expect((await api(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'cancel', closingCode: 'merged' })).status).toBe(400);
    const missing = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'cancel' });
    expect(missing.status).toBe(400);
    const done = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve_without_deployment', closingCode: 'advice' });
    expect(done.body.incident).toMatchObject({ status: 'resolved_without_deployment', closingCode: 'advice' });
  });

  it('suggests live incidents of the same type nearby, nearest first', async () => {
    const near = await createIncident({ ...ALONG });
    const far = await createIncident({ ...ACROSS_TOWN });
    const otherType = await createIncident({ type: 'crime_damage', ...HERE });
    const found = await api<{ incidents: { id: string; distanceMetres: number }[] }>(handler, 'GET', `/api/incidents/nearby?lat=${HERE.lat}&lon=${HERE.lon}&type=crime_burglary`);
    expect(found.status, found.raw).toBe(200);
    const ids = found.body.incidents.map((i) => i.id);
    expect(ids).toContain(near.id);
    expect(ids).not.toContain(far.id);
    expect(ids).not.toContain(otherType.id);
    expect(found.body.incidents.find((i) => i.id === near.id)?.distanceMetres).toBeGreaterThan(250);
    expect(found.body.incidents.find((i) => i.id === near.id)?.distanceMetres).toBeLessThan(350);
    const wider = await api<{ incidents: { id: string }[] }>(handler, 'GET', `/api/incidents/nearby?lat=${HERE.lat}&lon=${HERE.lon}&type=crime_burglary&radiusKm=10`);
    expect(wider.body.incidents.map((i) => i.id)).toContain(far.id);
    expect((await api(handler, 'GET', `/api/incidents/nearby?lat=200&lon=0&type=crime_burglary`)).status).toBe(400);
  });

  it('takes a blank place as none given, not as 0, 0, and a blank radius as the default', async () => {
    const blank = await api<ErrorBody>(handler, 'GET', '/api/incidents/nearby?lat=&lon=%20&type=crime_burglary');
    expect(blank.status, blank.raw).toBe(400);
    expect(blank.body.error.message).toMatch(/lat must be a number/i);
    expect(blank.body.error.message).toMatch(/lon must be a number/i);
    const near = await createIncident({ ...ALONG });
    const defaulted = await api<{ incidents: { id: string }[] }>(handler, 'GET', `/api/incidents/nearby?lat=${HERE.lat}&lon=${HERE.lon}&type=crime_burglary&radiusKm=`);
    expect(defaulted.status, defaulted.raw).toBe(200);
    expect(defaulted.body.incidents.map((i) => i.id)).toContain(near.id);
  });

  it('merges a duplicate: its contacts move to the one kept, it is cancelled as merged, and nothing is deleted', async () => {
    const [first, second, third] = [await report('Someone in my garden'), await report('Man climbing the fence next door'), await report('Burglar on Academy Street')];
    const kept = await createIncident({ contactIds: [first], ...HERE });
    const duplicate = await createIncident({ contactIds: [second, third], ...ALONG });
    expect((await api(handler, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: duplicate.id })).status).toBe(400);

    const merged = await api<{ incident: Incident }>(handler, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id });
    expect(merged.status, merged.raw).toBe(200);
    expect(merged.body.incident.contacts.filter((c) => c.unlinkedAt === null).map((c) => c.contactId).sort()).toEqual([first, second, third].sort());

    const gone = (await api<{ incident: Incident }>(handler, 'GET', `/api/incidents/${duplicate.id}`)).body.incident;
    expect(gone).toMatchObject({ status: 'cancelled', closingCode: 'merged', mergedIntoId: kept.id, clock: null });
    // The duplicate's links are ended, not deleted.
    expect(gone.contacts.map((c) => c.unlinkedAt !== null)).toEqual([true, true]);
    const events = await withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'subject_id']).where('subject_id', 'in', [kept.id, duplicate.id]).where('type', 'in', ['incident.merged', 'incident.cancelled']).execute());
    expect(events).toEqual(expect.arrayContaining([{ type: 'incident.merged', subject_id: kept.id }, { type: 'incident.cancelled', subject_id: duplicate.id }]));

    // An ended incident cannot take a merge.
    const another = await createIncident({ ...HERE });
    expect((await api(handler, 'POST', `/api/incidents/${another.id}/merge`, { intoIncidentId: duplicate.id })).status).toBe(409);
  });

  it('refuses-merging-an-incident-into-itself-named-in-upper-case, and changes nothing', async () => {
    const contact = await report('Window smashed at the shop');
    const incident = await createIncident({ contactIds: [contact], ...HERE });
    const refused = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/merge`, { intoIncidentId: incident.id.toUpperCase() });
    expect(refused.status, refused.raw).toBe(400);
    expect(refused.body.error.message).toMatch(/cannot be merged into itself/);
    const after = (await api<{ incident: Incident }>(dispatcher, 'GET', `/api/incidents/${incident.id}`)).body.incident;
    expect(after).toMatchObject({ status: 'open', closingCode: null, mergedIntoId: null });
    expect(after.contacts.map((c) => ({ contactId: c.contactId, unlinkedAt: c.unlinkedAt }))).toEqual([{ contactId: contact, unlinkedAt: null }]);
  });

  it('finds an incident named in upper case in the path, and takes a contact named twice in different cases once', async () => {
    const contact = await report('Van reversing into the gates');
    const incident = await createIncident({ contactIds: [contact, contact.toUpperCase()], ...HERE });
    expect(incident.contacts.map((c) => c.contactId)).toEqual([contact]);
    const found = await api<{ incident: Incident }>(dispatcher, 'GET', `/api/incidents/${incident.id.toUpperCase()}`);
    expect(found.status, found.raw).toBe(200);
    expect(found.body.incident.id).toBe(incident.id);
  });
});
