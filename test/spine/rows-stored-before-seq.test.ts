import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { requestAccessCode, verifyAccessCode } from '../../src/capabilities/report-status/report-status.service.ts';
import { requestCaseAccessCode, verifyCaseAccessCode } from '../../src/capabilities/victim-portal/case-access.service.ts';
import { CALM, createRoutingWorld, openRoutingApp, personOf, portalReport, storedBeforeSeq, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

// Decisions 0157 and 0168: a list read by time breaks ties by `seq`, the order rows were stored.
// Rows stored before their table had a `seq` have none, and were all stored before any row that
// has one: of rows that share their time they come first going up, and last going down (newest
// first), where the one taken as "the latest" is never one of them. PostgreSQL sorts a missing
// value last going up and first going down, so such a row read as the newest, on both engines.
// The clock stands still here, so every row shares its time with the others; the first of each
// pair is made a row stored before `seq` by taking its number away.

let shared: RoutingApp;
let w: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

async function reply(contactId: string, body: string): Promise<void> {
  const response = await w.post(w.handler, `/api/contacts/${contactId}/replies`, { body });
  expect(response.statusCode, response.body).toBe(201);
}

async function newCase(contactId: string): Promise<{ id: string; reference: string }> {
  const created = await w.post(w.handler, `/api/contacts/${contactId}/case`, {});
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ case: { id: string; reference: string } }>().case;
}

describe(`a row stored before its table had a seq comes before one stored since at the same time (${ENGINE})`, () => {
  it('lists the outbox newest first, the message queued before seq after the one queued since', async () => {
    const contactId = await w.report(CALM);
    await reply(contactId, 'Before seq: we have your report');
    await reply(contactId, 'Since seq: an officer will call');
    await storedBeforeSeq(w, 'outbox', { contact_id: contactId });

    const response = await w.get(w.supervisor, '/api/outbox');
    expect(response.statusCode, response.body).toBe(200);
    const bodies = ['Before seq: we have your report', 'Since seq: an officer will call'];
    const listed = response
      .json<{ messages: { body: string }[] }>()
      .messages.map((m) => bodies.find((body) => m.body.includes(body)))
      .filter((body) => body !== undefined);
    expect(listed).toEqual([...bodies].reverse());
  });

  it("shows as a contact's grade the regrade made since, not the grade given before seq", async () => {
    const contactId = await w.report(CALM);
    const graded = await w.post(w.handler, `/api/contacts/${contactId}/grade`, { grade: 'priority' });
    expect(graded.statusCode, graded.body).toBe(201);
    const regraded = await w.post(w.handler, `/api/contacts/${contactId}/grade`, { grade: 'scheduled', reason: 'Regrade since' });
    expect(regraded.statusCode, regraded.body).toBe(201);
    await storedBeforeSeq(w, 'contact_grades', { contact_id: contactId });

    const response = await w.get(w.supervisor, `/api/contacts/${contactId}/grade`);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json<{ current: { grade: string }; history: { reason: string | null }[] }>();
    expect(view.current.grade).toBe('scheduled');
    expect(view.history.map((g) => g.reason)).toEqual(['Regrade since', null]);
  });

  it('lists the people on a case with the one added before seq first', async () => {
    const investigator = await w.addStaff('Ines Early', 'investigator');
    const theCase = await newCase(await w.report(CALM));
    for (const name of ['Kim Before', 'Lee Since']) {
      const added = await w.post(investigator, `/api/cases/${theCase.id}/people`, { role: 'witness', name });
      expect(added.statusCode, added.body).toBe(201);
    }
    await storedBeforeSeq(w, 'case_people', { case_id: theCase.id, role: 'witness' });

    const response = await w.get(investigator, `/api/cases/${theCase.id}`);
    expect(response.statusCode, response.body).toBe(200);
    const people = response.json<{ case: { people: { name: string; role: string }[] } }>().case.people;
    expect(people.filter((p) => p.role === 'witness').map((p) => p.name)).toEqual(['Kim Before', 'Lee Since']);
  });

  it("lists an incident's notes with the one written before seq first", async () => {
    const created = await w.post(w.handler, '/api/incidents', { type: 'crime', summary: 'Notes either side of seq' });
    expect(created.statusCode, created.body).toBe(201);
    const incidentId = created.json<{ incident: { id: string } }>().incident.id;
    for (const body of ['Written before seq', 'Written since']) {
      const added = await w.post(w.handler, `/api/incidents/${incidentId}/notes`, { body });
      expect(added.statusCode, added.body).toBe(201);
    }
    await storedBeforeSeq(w, 'incident_notes', { incident_id: incidentId });

    const response = await w.get(w.handler, `/api/incidents/${incidentId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ incident: { notes: { body: string }[] } }>().incident.notes.map((n) => n.body)).toEqual(['Written before seq', 'Written since']);
  });

  it('calls back on the number a person gave before seq, the first they gave', async () => {
    const email = 'before-seq-phones@example.org';
    await portalReport(w, email, '07700 900201');
    const second = await portalReport(w, email, '07700 900202');
    const personId = await personOf(w, second.contactId);
    await storedBeforeSeq(w, 'identities', { person_id: personId, kind: 'phone' });

    const callback = await w.post(w.handler, `/api/contacts/${second.contactId}/callback`, {});
    expect(callback.statusCode, callback.body).toBe(201);
    const callbackId = callback.json<{ callback: { id: string } }>().callback.id;
    expect((await w.detail(callbackId)).routing.callback?.number).toContain('900201');
  });

  it("lists a person's links with the one made before seq first", async () => {
    const [kim, kimWork, kimOld] = await Promise.all([portalReport(w, 'kim.early@example.org'), portalReport(w, 'kim.early.work@example.org'), portalReport(w, 'kim.early.old@example.org')]);
    const [personId, workId, oldId] = await Promise.all([personOf(w, kim.contactId), personOf(w, kimWork.contactId), personOf(w, kimOld.contactId)]);
    for (const other of [workId, oldId]) {
      const linked = await w.post(w.handler, `/api/people/${personId}/links`, { personId: other, reason: 'Same name and address' });
      expect(linked.statusCode, linked.body).toBe(201);
    }
    await storedBeforeSeq(w, 'person_links', { person_id: personId });

    const response = await w.get(w.handler, `/api/people/${personId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ person: { links: { otherPersonId: string }[] } }>().person.links.map((l) => l.otherPersonId)).toEqual([workId, oldId]);
  });

  it('opens a report with the code sent since, not one sent before seq at the same time', async () => {
    const deps = { ...w.app.deps, codeSecret: 'a-test-secret-for-codes-before-seq' };
    const report = await portalReport(w, 'before-seq-codes@example.org');
    await requestAccessCode(deps, w.forceId, report.reference);
    await requestAccessCode(deps, w.forceId, report.reference);
    await storedBeforeSeq(w, 'portal_codes', { contact_id: report.contactId });
    const mails = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('seq').execute(),
    );
    const latest = /is (\d{6})\./.exec(mails[1]?.body ?? '')?.[1] ?? '';
    expect(latest).toMatch(/^\d{6}$/);

    expect(await verifyAccessCode(deps, w.forceId, report.reference, latest)).toMatchObject({ contactId: report.contactId });
  });

  it("opens a case with the code sent since to its victim, not one sent before seq at the same time", async () => {
    const deps = { ...w.app.deps, codeSecret: 'a-test-secret-for-codes-before-seq' };
    const report = await portalReport(w, 'before-seq-case-codes@example.org');
    const theCase = await newCase(report.contactId);
    await requestCaseAccessCode(deps, w.forceId, theCase.reference);
    await requestCaseAccessCode(deps, w.forceId, theCase.reference);
    await storedBeforeSeq(w, 'portal_codes', { case_id: theCase.id });
    const mails = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('case_id', '=', theCase.id).where('purpose', '=', 'portal.access_code').orderBy('seq').execute(),
    );
    const latest = /is (\d{6})\./.exec(mails[1]?.body ?? '')?.[1] ?? '';
    expect(latest).toMatch(/^\d{6}$/);

    const signInEnds = new Date(w.clock.now().getTime() + 60 * 60_000);
    expect(await verifyCaseAccessCode(deps, w.forceId, theCase.reference, latest, signInEnds)).toMatchObject({ caseId: theCase.id });
  });

  it("lists a case's messages with the one queued before seq first", async () => {
    const deps = { ...w.app.deps, codeSecret: 'a-test-secret-for-codes-before-seq' };
    const report = await portalReport(w, 'before-seq-case-messages@example.org');
    const theCase = await newCase(report.contactId);
    await requestCaseAccessCode(deps, w.forceId, theCase.reference);
    await requestCaseAccessCode(deps, w.forceId, theCase.reference);
    const queued = await withSystem(w.app.database.db, (tx) => tx.selectFrom('outbox').select('id').where('case_id', '=', theCase.id).orderBy('seq').execute());
    expect(queued).toHaveLength(2);
    await storedBeforeSeq(w, 'outbox', { case_id: theCase.id });

    const investigator = await w.addStaff('Ida Early', 'investigator');
    const response = await w.get(investigator, `/api/cases/${theCase.id}/messages`);
    expect(response.statusCode, response.body).toBe(200);
    const listed = response.json<{ messages: { id: string }[] }>().messages.map((m) => m.id).filter((id) => queued.some((q) => q.id === id));
    expect(listed).toEqual(queued.map((q) => q.id));
  });

  it("lists the force's records tokens newest first, the one issued before seq last", async () => {
    const admin = await w.addStaff('Fran Early', 'force_admin');
    const labels = ['Issued before seq', 'Issued since'];
    for (const label of labels) {
      const issued = await w.post(admin, '/api/integrations/records/tokens', { label });
      expect(issued.statusCode, issued.body).toBe(201);
    }
    await storedBeforeSeq(w, 'records_integration_tokens', { force_id: w.forceId });

    const response = await w.get(admin, '/api/integrations/records/tokens');
    expect(response.statusCode, response.body).toBe(200);
    const listed = response.json<{ tokens: { label: string }[] }>().tokens.map((t) => t.label).filter((label) => labels.includes(label));
    expect(listed).toEqual([...labels].reverse());
  });
});
