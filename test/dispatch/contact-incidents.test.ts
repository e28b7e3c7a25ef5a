import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type LinkedIncident = { id: string; reference: string; status: string; grade: string | null; linkedAt: string };
type Incident = { id: string; reference: string; location: { text: string | null } };

// What the contact screen reads of the incidents a contact is on: grading a contact opens one, and
// the contact's own record must name it, or the handler is offered a second that the server refuses.
describe(`a contact's incidents (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Session;
  let calls = 0;

  const { getIncident } = dispatchKit(() => app);
  const report = async (what: string, where: string) => {
    calls += 1;
    const result = await submitPublicReport(app.deps, app.demoForceId, { submissionId: `contact-incidents-${calls}`, whatHappened: what, where, when: 'now', name: null, email: `linked${calls}@example.org` });
    return result.contactId as string;
  };
  const linkedIncidents = async (contactId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ incidents: LinkedIncident[] }>().incidents;
  };

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  it('names the incident that grading a contact opened, with the place the reporter gave', async () => {
    const contactId = await report('Bike stolen from outside the library', 'Millennium Library, Norwich');
    expect(await linkedIncidents(contactId)).toEqual([]);

    const graded = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/grade`, headers: handler.headers, payload: { grade: 'priority' } });
    expect(graded.statusCode, graded.body).toBe(201);
    const incidentId = graded.json<{ incidentId: string }>().incidentId;

    const incidents = await linkedIncidents(contactId);
    const incident = await getIncident<Incident>(handler, incidentId);
    expect(incidents).toEqual([{ id: incidentId, reference: incident.reference, status: 'open', grade: 'priority', linkedAt: expect.any(String) }]);
    expect(incident.location.text).toBe('Millennium Library, Norwich');
  });

  it('leaves out a link that was undone', async () => {
    const contactId = await report('Shouting in the street', 'Magdalen Street');
    const created = await app.inject({ method: 'POST', url: '/api/incidents', headers: handler.headers, payload: { type: 'asb_nuisance', contactIds: [contactId] } });
    expect(created.statusCode, created.body).toBe(201);
    const incidentId = created.json<{ incident: Incident }>().incident.id;
    expect((await linkedIncidents(contactId)).map((incident) => incident.id)).toEqual([incidentId]);

    const unlinked = await app.inject({ method: 'POST', url: `/api/incidents/${incidentId}/contacts/${contactId}/unlink`, headers: handler.headers, payload: { reason: 'linked by mistake' } });
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    expect(await linkedIncidents(contactId)).toEqual([]);
  });
});
