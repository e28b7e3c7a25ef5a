import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, submitPublicReport } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { CALM, createRoutingWorld, openRoutingApp, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

// Decision 0157. The clock stands still here, as it does whenever one transaction stores several
// rows or two requests land in the same microsecond: every row below shares its time with the
// others. A list read by time alone came back in whatever order PostgreSQL met the rows, and an
// update (a provider's id given to a reply, a victim's details corrected) moves a row to the end
// of the table, so its turn in the list changed.

let shared: RoutingApp;
let w: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

async function reply(contactId: string, body: string): Promise<string> {
  const response = await w.post(w.handler, `/api/contacts/${contactId}/replies`, { body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ message: { id: string } }>().message.id;
}

describe(`rows that share their time come back in the order they were stored (${ENGINE})`, () => {
  it("lists a contact's thread in the order its messages were stored, a message changed since in its place", async () => {
    const contactId = await w.report(CALM);
    const first = await reply(contactId, 'First: we have your report');
    await reply(contactId, 'Second: an officer will call');
    await reply(contactId, 'Third: the officer is on the way');
    // As the provider's acceptance does: the first reply is given its id after the others were stored.
    await withSystem(w.app.database.db, (tx) => tx.updateTable('messages').set({ provider_message_id: `ties-${first}`, delivery_status: 'sent' }).where('id', '=', first).execute());

    const { messages } = await w.detail(contactId);
    expect(messages.map((m) => m.body)).toEqual([CALM, 'First: we have your report', 'Second: an officer will call', 'Third: the officer is on the way']);
  });

  it('lists the outbox newest first: of messages queued at one time, the last queued first', async () => {
    const contactId = await w.report(CALM);
    const bodies = ['Outbox one', 'Outbox two', 'Outbox three', 'Outbox four'];
    for (const body of bodies) await reply(contactId, body);

    const response = await w.get(w.supervisor, '/api/outbox');
    expect(response.statusCode, response.body).toBe(200);
    const listed = response
      .json<{ messages: { body: string }[] }>()
      .messages.map((m) => bodies.find((body) => m.body.includes(body)))
      .filter((body) => body !== undefined);
    expect(listed).toEqual([...bodies].reverse());
  });

  it("shows a contact's grades newest first, each regrade after the grade it changed", async () => {
    const contactId = await w.report(CALM);
    const grades = ['priority', 'immediate', 'scheduled', 'priority', 'immediate', 'scheduled'] as const;
    for (const [i, grade] of grades.entries()) {
      const response = await w.post(w.handler, `/api/contacts/${contactId}/grade`, i === 0 ? { grade } : { grade, reason: `Regrade ${i}` });
      expect(response.statusCode, response.body).toBe(201);
    }

    const response = await w.get(w.supervisor, `/api/contacts/${contactId}/grade`);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json<{ current: { grade: string; reason: string | null }; history: { grade: string; previousGrade: string | null; reason: string | null }[] }>();
    expect(view.history.map((g) => g.reason)).toEqual(['Regrade 5', 'Regrade 4', 'Regrade 3', 'Regrade 2', 'Regrade 1', null]);
    expect(view.current).toMatchObject({ grade: 'scheduled', reason: 'Regrade 5' });
    // Each regrade names the grade stored before it as the one it changed.
    expect(view.history.map((g) => g.previousGrade)).toEqual(['immediate', 'priority', 'scheduled', 'immediate', 'priority', null]);
  });

  it('lists contacts received at one time in the order their references were given, one taken since in its place', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      const report = await submitPublicReport(w.app.deps, w.forceId, { submissionId: `ties-${n}`, whatHappened: CALM, where: 'High Street', when: 'last night', name: `Tied ${n}`, email: `tied${n}@example.org` });
      ids.push(report.contactId);
    }
    await w.setPresence(w.handler, 'available');
    const taken = await w.post(w.handler, `/api/contacts/${ids[0] ?? ''}/take`);
    expect(taken.statusCode, taken.body).toBe(200);

    const response = await w.get(w.supervisor, '/api/contacts?status=open');
    expect(response.statusCode, response.body).toBe(200);
    const listed = response.json<{ contacts: { id: string; reference: string }[] }>().contacts.filter((c) => ids.includes(c.id));
    expect(listed.map((c) => c.id)).toEqual(ids);
    expect(listed.map((c) => c.reference)).toEqual(listed.map((c) => c.reference).sort());
  });

  it('lists the people on a case in the order they were added, one corrected since in its place', async () => {
    const investigator = await w.addStaff('Ines Investigator', 'investigator');
    const contactId = await w.report(CALM);
    const created = await w.post(w.handler, `/api/contacts/${contactId}/case`, {});
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json<{ case: { id: string } }>().case.id;
    const names = ['Kim Partner', 'Lee Neighbour', 'Mo Passer-by'];
    const ids: string[] = [];
    for (const name of names) {
      const added = await w.post(investigator, `/api/cases/${caseId}/people`, { role: 'witness', name });
      expect(added.statusCode, added.body).toBe(201);
      ids.push(added.json<{ casePersonId: string }>().casePersonId);
    }
    const corrected = await w.app.inject({ method: 'PATCH', url: `/api/cases/${caseId}/people/${ids[0] ?? ''}`, headers: investigator.headers, payload: { name: 'Kim Partner-Jones' } });
    expect(corrected.statusCode, corrected.body).toBe(200);
    // As the records system's listing of them does: a change to an indexed column stores the row's
    // new version apart from the old, as any update does when its page is full.
    await withSystem(w.app.database.db, (tx) => tx.updateTable('case_people').set({ records_reference: `ties-${ids[0] ?? ''}` }).where('id', '=', ids[0] ?? '').execute());

    const response = await w.get(investigator, `/api/cases/${caseId}`);
    expect(response.statusCode, response.body).toBe(200);
    const people = response.json<{ case: { people: { name: string; role: string }[] } }>().case.people;
    expect(people.filter((p) => p.role === 'witness').map((p) => p.name)).toEqual(['Kim Partner-Jones', 'Lee Neighbour', 'Mo Passer-by']);
  });
});
