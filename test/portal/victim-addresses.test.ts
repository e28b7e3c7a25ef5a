import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type CasePerson = { id: string; role: string; personId: string | null; email: string | null; phone: string | null };

// Where a victim's one-time codes go: to the addresses on their victim row, as an officer corrected
// them, the way the journeys write to them; never to a mistyped address the officer put right.

describe(`codes go to the victim's addresses on the case, as an officer corrected them (${ENGINE})`, () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let otherInvestigator: Session;
  let visitors = 0;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator ?? '', 'other-password');
  });
  afterAll(() => app.close());

  const api = async <T>(session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const peopleOf = async (caseId: string) => (await api<{ case: { people: CasePerson[] } }>(investigator, 'GET', `/api/cases/${caseId}`)).body.case.people;

  /** A portal report from `email`, made a case by the desk; its reporter is its victim. */
  async function reportMadeCase(email: string) {
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `victim-addresses-${newId()}`,
      whatHappened: 'My phone was stolen on the bus',
      where: 'The number 12 bus',
      when: 'This morning',
      name: 'Robin Victim',
      email,
    });
    const created = await api<{ case: { id: string; reference: string } }>(handler, 'POST', `/api/contacts/${report.contactId}/case`, {});
    expect(created.status, created.raw).toBe(201);
    return { ...created.body.case, contactId: report.contactId, contactReference: report.reference };
  }

  /** Asks for a code at /check with a reference, as anyone who knows it can. */
  async function askForCode(reference: string) {
    visitors += 1;
    const visitor = new Visitor(app, `10.44.0.${visitors}`);
    await visitor.open('/check');
    const asked = await visitor.post('/check', { reference });
    expect(asked.headers.location).toBe('/check/code');
    return visitor;
  }

  const codesSent = (where: { caseId?: string; contactId?: string }) =>
    withSystem(app.database.db, (tx) => {
      let query = tx.selectFrom('outbox').select(['channel', 'recipient', 'body']).where('purpose', '=', 'portal.access_code');
      if (where.caseId) query = query.where('case_id', '=', where.caseId);
      if (where.contactId) query = query.where('contact_id', '=', where.contactId);
      return query.orderBy('created_at').orderBy('seq').execute();
    });
  const codeIn = (body: string | undefined) => /is (\d{6})\./.exec(body ?? '')?.[1] ?? '';

  it("sends the case's and the report's codes to the email an officer corrected, never the mistyped one", async () => {
    const made = await reportMadeCase('typo-wrong-person@example.com');
    const victim = (await peopleOf(made.id)).find((p) => p.role === 'victim');
    const corrected = await api(investigator, 'PATCH', `/api/cases/${made.id}/people/${victim?.id ?? ''}`, { email: 'right-person@example.com' });
    expect(corrected.status, corrected.raw).toBe(200);

    const visitor = await askForCode(made.reference);
    expect((await codesSent({ caseId: made.id })).map((m) => [m.channel, m.recipient])).toEqual([['email', 'right-person@example.com']]);
    await askForCode(made.contactReference);
    expect((await codesSent({ contactId: made.contactId })).map((m) => [m.channel, m.recipient])).toEqual([['email', 'right-person@example.com']]);

    // Signed in with that code, the victim's secure message comes from the corrected address, so
    // the officer's answer goes there too.
    await visitor.open('/check/code');
    const [caseCode] = await codesSent({ caseId: made.id });
    expect((await visitor.post('/check/code', { code: codeIn(caseCode?.body) })).headers.location).toBe('/check/case');
    const page = await visitor.open('/check/case');
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect((await visitor.post('/check/case/message', { message: 'Any news?', submissionId })).statusCode).toBe(303);
    const sender = await withSystem(app.database.db, async (tx) => {
      const sent = await tx.selectFrom('events').select('data').where('subject_id', '=', made.id).where('type', '=', 'portal.case_message_sent').executeTakeFirstOrThrow();
      const contactId = typeof sent.data.contactId === 'string' ? sent.data.contactId : '';
      const contact = await tx.selectFrom('contacts').select('person_id').where('id', '=', contactId).executeTakeFirstOrThrow();
      return tx.selectFrom('identities').select('value').where('person_id', '=', contact.person_id ?? '').where('kind', '=', 'email').execute();
    });
    expect(sender.map((s) => s.value)).toEqual(['right-person@example.com']);
  });

  it('texts the number an officer put on the victim row when there is no email anywhere', async () => {
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `victim-addresses-${newId()}`,
      whatHappened: 'Someone took my bike',
      where: 'The station',
      when: 'Yesterday',
      name: 'Alex Texted',
      email: null,
      phone: '07700 900111',
    });
    const created = await api<{ case: { id: string; reference: string } }>(handler, 'POST', `/api/contacts/${report.contactId}/case`, {});
    const victim = (await peopleOf(created.body.case.id)).find((p) => p.role === 'victim');
    expect((await api(investigator, 'PATCH', `/api/cases/${created.body.case.id}/people/${victim?.id ?? ''}`, { phone: '07700 900222' })).status).toBe(200);
    await askForCode(created.body.case.reference);
    expect((await codesSent({ caseId: created.body.case.id })).map((m) => [m.channel, m.recipient])).toEqual([['sms', '+447700900222']]);
  });

  it('keeps the codes where they were when the correction is refused: a call handler, or another force', async () => {
    const made = await reportMadeCase('kept-address@example.com');
    const victim = (await peopleOf(made.id)).find((p) => p.role === 'victim');
    const url = `/api/cases/${made.id}/people/${victim?.id ?? ''}`;
    expect((await api(handler, 'PATCH', url, { email: 'attacker@example.com' })).status).toBe(403);
    expect((await api(otherInvestigator, 'PATCH', url, { email: 'attacker@example.com' })).status).toBe(404);
    expect((await api(investigator, 'PATCH', url, { email: 'not an address' })).status).toBe(400);
    await askForCode(made.reference);
    expect((await codesSent({ caseId: made.id })).map((m) => m.recipient)).toEqual(['kept-address@example.com']);
  });
});
