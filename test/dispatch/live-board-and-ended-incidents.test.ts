// The dispatcher's board reads every live incident, however many newer ones a surge brings (the
// oldest are the most overdue); the list of all incidents stays the latest 200. An ended incident
// keeps its contacts as notes are kept: neither can be changed once it has ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';
import { dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';

type Incident = { id: string; status: string; contacts: { contactId: string; unlinkedAt: string | null }[] };

const START = new Date(Math.floor(Date.now() / 60_000) * 60_000);

describe(`the live board and ended incidents (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;

  const kit = dispatchKit(() => app);
  const { api } = kit;
  const createIncident = (payload: object) => kit.createIncident<Incident>(handler, { type: 'crime_violence', ...payload });

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
  });
  afterAll(() => app.close());

  it('keeps-the-oldest-live-incident-on-the-board-after-200-newer-ones', async () => {
    const oldest = await createIncident({ summary: 'Oldest: immediate, nobody sent yet', grade: 'immediate' });
    const ended = await createIncident({ summary: 'Dealt with by phone', grade: 'scheduled' });
    expect((await api(dispatcher, 'POST', `/api/incidents/${ended.id}/status`, { move: 'resolve_without_deployment', closingCode: 'advice' })).status).toBe(200);
    // The surge: 205 newer live incidents, written in one statement (how they came in is not what is tested).
    const surge = Array.from({ length: 205 }, (_, i) => {
      const at = new Date(START.getTime() + (i + 1) * 1000);
      return { id: newId(), force_id: app.demoForceId, number: 900_000 + i, type: 'asb_nuisance', summary: `Noise ${i}`, location_text: null, lat: null, lon: null, district_id: null, beat_id: null, grade: 'scheduled' as const, required_capabilities: [], status: 'open' as const, closing_code: null, created_by: null, created_at: at, updated_at: at };
    });
    await withSystem(app.database.db, (tx) => tx.insertInto('incidents').values(surge).execute());

    const live = await api<{ incidents: { id: string; status: string }[] }>(dispatcher, 'GET', '/api/incidents?which=live');
    expect(live.status, live.raw).toBe(200);
    expect(live.body.incidents).toHaveLength(206);
    expect(live.body.incidents.map((i) => i.id)).toContain(oldest.id);
    expect(live.body.incidents.map((i) => i.id)).not.toContain(ended.id);

    const all = await api<{ incidents: { id: string }[] }>(dispatcher, 'GET', '/api/incidents?which=all');
    expect(all.body.incidents).toHaveLength(200);

    const other = await createOtherForce(app, ['dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    expect((await api<{ incidents: unknown[] }>(outsider, 'GET', '/api/incidents?which=live')).body.incidents).toEqual([]);
  });

  it('refuses-unlinking-a-contact-from-an-ended-incident, as it refuses a note, and keeps the link', async () => {
    const report = await submitPublicReport(app.deps, app.demoForceId, { submissionId: 'ended-unlink-1', whatHappened: 'Car parked across my drive', where: 'Bethel Street', when: 'now', name: null, email: 'drive@example.org' });
    const contactId = String(report.contactId);
    const incident = await createIncident({ type: 'asb_nuisance', contactIds: [contactId], grade: 'scheduled' });
    expect((await api(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'resolve_without_deployment', closingCode: 'advice' })).status).toBe(200);

    const unlink = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/contacts/${contactId}/unlink`, { reason: 'tidying up' });
    expect(unlink.status, unlink.raw).toBe(409);
    expect(unlink.body.error.message).toMatch(/has ended .* rather than unlinking a contact/);
    const note = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/notes`, { body: 'late note' });
    expect(note.status).toBe(409);
    const after = (await api<{ incident: Incident }>(dispatcher, 'GET', `/api/incidents/${incident.id}`)).body.incident;
    expect(after.contacts).toEqual([expect.objectContaining({ contactId, unlinkedAt: null })]);

    const investigator = await signIn(app, 'investigator@demo.police.uk');
    expect((await api(investigator, 'POST', `/api/incidents/${incident.id}/contacts/${contactId}/unlink`, { reason: 'tidying up' })).status).toBe(403);
  });
});
