import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { requestAccessCode, verifyAccessCode } from '../../src/capabilities/report-status/report-status.service.ts';
import { requestCaseAccessCode, verifyCaseAccessCode } from '../../src/capabilities/victim-portal/case-access.service.ts';
import { createRoutingWorld, openRoutingApp, personOf, portalReport, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

// Decision 0168, after 0157. The clock stands still here, as it does whenever one transaction
// stores several rows or two requests land in the same microsecond. Incident notes, a person's
// identities and links, portal codes and records tokens were ordered by time and a random id, or
// by time alone: PostgreSQL returned tied rows in whatever order its plan met them, and an update
// (a link ended, a row rewritten) stores a row's new version apart from the others.

let shared: RoutingApp;
let w: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

describe(`notes, identities, links, codes and tokens that share their time come back in the order they were stored (${ENGINE})`, () => {
  it("lists an incident's notes in the order they were written", async () => {
    const created = await w.post(w.handler, '/api/incidents', { type: 'crime', summary: 'Tied notes' });
    expect(created.statusCode, created.body).toBe(201);
    const incidentId = created.json<{ incident: { id: string } }>().incident.id;
    // Six of them: by their random ids they would come back in the order written once in 720.
    const bodies = ['Caller rang back', 'Suspect seen heading north', 'Unit asked for', 'Ambulance not needed', 'Scene secured', 'Witness found'];
    for (const body of bodies) {
      const added = await w.post(w.handler, `/api/incidents/${incidentId}/notes`, { body });
      expect(added.statusCode, added.body).toBe(201);
    }

    const response = await w.get(w.handler, `/api/incidents/${incidentId}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ incident: { notes: { body: string }[] } }>().incident.notes.map((n) => n.body)).toEqual(bodies);
  });

  it('calls back on the number a person gave first, and lists their numbers in the order they gave them', async () => {
    const email = 'tied-phones@example.org';
    const first = await portalReport(w, email, '07700 900101');
    const second = await portalReport(w, email, '07700 900102');
    const personId = await personOf(w, second.contactId);
    const identities = (await w.detail(second.contactId)).person?.identities ?? [];
    const phones = identities.filter((i) => i.kind === 'phone').map((i) => i.value);
    expect(phones).toHaveLength(2);
    const [firstNumber, secondNumber] = phones;
    expect(firstNumber).toContain('900101');
    // A row whose value is rewritten (as the start-up repair rewrites an identity's, decision 0161)
    // is stored anew, apart from the others: here the first number, written another way and back.
    const rewrite = (from: string, to: string) =>
      withSystem(w.app.database.db, (tx) => tx.updateTable('identities').set({ value: to }).where('person_id', '=', personId).where('value', '=', from).execute());
    await rewrite(firstNumber ?? '', `${firstNumber ?? ''}-`);
    await rewrite(`${firstNumber ?? ''}-`, firstNumber ?? '');

    const detail = await w.detail(first.contactId);
    expect(detail.person?.identities.map((i) => i.value)).toEqual([email, firstNumber, secondNumber]);
    const person = await w.get(w.handler, `/api/people/${personId}`);
    expect(person.statusCode, person.body).toBe(200);
    expect(person.json<{ person: { identities: { value: string }[] } }>().person.identities.map((i) => i.value)).toEqual([email, firstNumber, secondNumber]);

    const callback = await w.post(w.handler, `/api/contacts/${second.contactId}/callback`, {});
    expect(callback.statusCode, callback.body).toBe(201);
    const callbackId = callback.json<{ callback: { id: string } }>().callback.id;
    expect((await w.detail(callbackId)).routing.callback?.number).toBe(firstNumber);
  });

  it("lists a person's links in the order they were made, one ended since in its place", async () => {
    const [kim, kimWork, kimOld] = await Promise.all([portalReport(w, 'kim@example.org'), portalReport(w, 'kim.work@example.org'), portalReport(w, 'kim.old@example.org')]);
    const [personId, workId, oldId] = await Promise.all([personOf(w, kim.contactId), personOf(w, kimWork.contactId), personOf(w, kimOld.contactId)]);
    const linkIds: string[] = [];
    for (const other of [workId, oldId]) {
      const linked = await w.post(w.handler, `/api/people/${personId}/links`, { personId: other, reason: 'Same name and address' });
      expect(linked.statusCode, linked.body).toBe(201);
      linkIds.push(linked.json<{ link: { id: string } }>().link.id);
    }
    const unlinked = await w.post(w.handler, `/api/people/${personId}/links/${linkIds[0] ?? ''}/unlink`, { reason: 'A different Kim' });
    expect(unlinked.statusCode, unlinked.body).toBe(204);

    const response = await w.get(w.handler, `/api/people/${personId}`);
    expect(response.statusCode, response.body).toBe(200);
    const links = response.json<{ person: { links: { otherPersonId: string; unlinkedAt: string | null }[] } }>().person.links;
    expect(links.map((l) => l.otherPersonId)).toEqual([workId, oldId]);
    expect(links.map((l) => l.unlinkedAt !== null)).toEqual([true, false]);
  });

  it('opens a report with the latest code sent for it, not one sent before it at the same time', async () => {
    const deps = { ...w.app.deps, codeSecret: 'a-test-secret-for-tied-codes' };
    const report = await portalReport(w, 'tied-codes@example.org');
    await requestAccessCode(deps, w.forceId, report.reference);
    await requestAccessCode(deps, w.forceId, report.reference);
    const mails = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('seq').execute(),
    );
    expect(mails).toHaveLength(2);
    const latest = /is (\d{6})\./.exec(mails[1]?.body ?? '')?.[1] ?? '';
    expect(latest).toMatch(/^\d{6}$/);

    expect(await verifyAccessCode(deps, w.forceId, report.reference, latest)).toMatchObject({ contactId: report.contactId });
  });

  it('opens a case with the latest code sent to its victim, not one sent before it at the same time', async () => {
    const deps = { ...w.app.deps, codeSecret: 'a-test-secret-for-tied-codes' };
    const report = await portalReport(w, 'tied-case-codes@example.org');
    const created = await w.post(w.handler, `/api/contacts/${report.contactId}/case`, {});
    expect(created.statusCode, created.body).toBe(201);
    const theCase = created.json<{ case: { id: string; reference: string } }>().case;
    await requestCaseAccessCode(deps, w.forceId, theCase.reference);
    await requestCaseAccessCode(deps, w.forceId, theCase.reference);
    const mails = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('case_id', '=', theCase.id).where('purpose', '=', 'portal.access_code').orderBy('seq').execute(),
    );
    expect(mails).toHaveLength(2);
    const latest = /is (\d{6})\./.exec(mails[1]?.body ?? '')?.[1] ?? '';
    expect(latest).toMatch(/^\d{6}$/);

    const signInEnds = new Date(w.clock.now().getTime() + 60 * 60_000);
    expect(await verifyCaseAccessCode(deps, w.forceId, theCase.reference, latest, signInEnds)).toMatchObject({ caseId: theCase.id, personId: await personOf(w, report.contactId) });
  });

  it("lists the force's records tokens newest first", async () => {
    const admin = await w.addStaff('Fran Admin', 'force_admin');
    const labels = ['Records one', 'Records two', 'Records three'];
    for (const label of labels) {
      const issued = await w.post(admin, '/api/integrations/records/tokens', { label });
      expect(issued.statusCode, issued.body).toBe(201);
    }

    const response = await w.get(admin, '/api/integrations/records/tokens');
    expect(response.statusCode, response.body).toBe(200);
    const listed = response.json<{ tokens: { label: string }[] }>().tokens.map((t) => t.label).filter((label) => labels.includes(label));
    expect(listed).toEqual([...labels].reverse());
  });
});
