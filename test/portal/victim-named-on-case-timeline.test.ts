// A case can have several victims, and the case timeline's sign-ins and sign-outs (decision 0209)
// now say whose they were: the victim's name as the case's people panel shows it, from the case's
// own people only, and no id. A victim removed from the case is "a former victim of this case", even
// when they are a victim on another case; its reporter, never its victim, is "Reporter"; anyone else
// is "Someone", claiming no role and never named. A name is the public's and comes back as plain
// text, and the label is text too. Another force's staff see nothing of the case.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { record } from '../../src/platform/events/recorder.ts';
import { portalCaseAccessGranted, portalCaseSignInEnded } from '../../src/capabilities/victim-portal/victim-portal.events.ts';
import { timelineEntryLabel } from '../../web/console/src/screens/cases/case-text.ts';

const MINUTE = 60 * 1000;
const HOSTILE_NAME = '<script>alert("x")</script> Bea Bold';

type Session = Awaited<ReturnType<typeof signIn>>;
type TimelineEntry = { at: string; type: string; actor: string; note: string | null; details: Record<string, string> };
type CaseBody = { case: { id: string; reference: string; people: { id: string; name: string; personId: string | null }[]; timeline: TimelineEntry[] } };

const SIGN_IN_TYPES = ['portal.case_access_granted', 'portal_sign_in.case_ended'];

describe(`whose sign-in it was, on the case timeline (${ENGINE})`, () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let otherInvestigator: Session;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));
  const nextIp = () => `10.82.${Math.floor(visitors / 200)}.${(visitors += 1) % 200}`;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator ?? '', 'other-password');
  });
  afterAll(() => app.close());

  async function newCase(): Promise<{ id: string; reference: string }> {
    const created = await app.inject({ method: 'POST', url: '/api/cases', headers: investigator.headers, payload: { summary: 'Two bikes taken from a shared shed' } });
    expect(created.statusCode, created.body).toBe(201);
    return created.json<CaseBody>().case;
  }

  async function addVictim(caseId: string, name: string, email: string): Promise<string> {
    const added = await app.inject({ method: 'POST', url: `/api/cases/${caseId}/people`, headers: investigator.headers, payload: { role: 'victim', name, email } });
    expect(added.statusCode, added.body).toBe(201);
    return added.json<{ casePersonId: string }>().casePersonId;
  }

  /** Signs in to the case page as the victim at `email` does: asks for a code, enters the one sent to them, opens the page. */
  async function signInAs(theCase: { id: string; reference: string }, email: string): Promise<Visitor> {
    clock.advance(MINUTE);
    const visitor = new Visitor(app, nextIp());
    await visitor.open('/check');
    await visitor.post('/check', { reference: theCase.reference });
    await visitor.open('/check/code');
    const mail = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select('body')
        .where('case_id', '=', theCase.id)
        .where('purpose', '=', 'portal.access_code')
        .where('recipient', '=', email)
        .orderBy('created_at', 'desc')
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow(),
    );
    expect((await visitor.post('/check/code', { code: /is (\d{6})\./.exec(mail.body)?.[1] ?? '' })).headers.location).toBe('/check/case');
    expect((await visitor.open('/check/case')).statusCode).toBe(200);
    return visitor;
  }

  async function signOut(visitor: Visitor): Promise<void> {
    clock.advance(MINUTE);
    expect((await visitor.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case');
  }

  async function readCase(session: Session, caseId: string) {
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: session.headers });
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json<CaseBody>().case;
    return { body: response.body, view, signIns: view.timeline.filter((entry) => SIGN_IN_TYPES.includes(entry.type)) };
  }

  it('names-each-of-two-victims-on-their-own-sign-ins-and-sign-outs-as-plain-text-and-to-no-other-force', async () => {
    const theCase = await newCase();
    const annEmail = `ann.${randomUUID()}@example.org`;
    const beaEmail = `bea.${randomUUID()}@example.org`;
    await addVictim(theCase.id, 'Ann Able', annEmail);
    await addVictim(theCase.id, HOSTILE_NAME, beaEmail);

    const ann = await signInAs(theCase, annEmail);
    const bea = await signInAs(theCase, beaEmail);
    await signOut(bea);
    await signOut(ann);

    const { body, view, signIns } = await readCase(investigator, theCase.id);
    expect(signIns.map((entry) => [entry.type, entry.details])).toEqual([
      ['portal.case_access_granted', { victim: 'on_case', victimName: 'Ann Able' }],
      ['portal.case_access_granted', { victim: 'on_case', victimName: HOSTILE_NAME }],
      ['portal_sign_in.case_ended', { how: 'signed_out', victim: 'on_case', victimName: HOSTILE_NAME }],
      ['portal_sign_in.case_ended', { how: 'signed_out', victim: 'on_case', victimName: 'Ann Able' }],
    ]);
    expect(signIns.map(timelineEntryLabel)).toEqual([
      'Victim signed in to the case page (Ann Able)',
      `Victim signed in to the case page (${HOSTILE_NAME})`,
      `Victim signed out of the case page (${HOSTILE_NAME})`,
      'Victim signed out of the case page (Ann Able)',
    ]);
    // The name is the people panel's, sent and labelled as text: never escaped into markup, nor built into it.
    expect(view.people.map((person) => person.name)).toEqual(['Ann Able', HOSTILE_NAME]);
    expect(body).toContain(JSON.stringify(HOSTILE_NAME).slice(1, -1));
    expect(body).not.toContain('&lt;script');
    // No id of the victims, and no address, on their timeline entries.
    const personIds = view.people.map((person) => person.personId ?? 'none');
    expect(personIds).not.toContain('none');
    for (const secret of [...personIds, ...view.people.map((person) => person.id), annEmail, beaEmail]) expect(JSON.stringify(signIns)).not.toContain(secret);

    const other = await app.inject({ method: 'GET', url: `/api/cases/${theCase.id}`, headers: otherInvestigator.headers });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Ann Able');
  });

  it('says-a-victim-removed-from-the-case-is-a-former-victim-without-their-name-even-from-another-case', async () => {
    const theCase = await newCase();
    const elsewhere = await newCase();
    const calEmail = `cal.${randomUUID()}@example.org`;
    const dotEmail = `dot.${randomUUID()}@example.org`;
    const calOnCase = await addVictim(theCase.id, 'Cal Cole', calEmail);
    await addVictim(theCase.id, 'Dot Dunn', dotEmail);
    // The same person is a victim on another case, under another name: that case's people are not this one's.
    await addVictim(elsewhere.id, 'Cal Elsewhere', calEmail);

    const cal = await signInAs(theCase, calEmail);
    await signOut(cal);
    await signInAs(theCase, dotEmail);
    const removed = await app.inject({ method: 'DELETE', url: `/api/cases/${theCase.id}/people/${calOnCase}`, headers: investigator.headers, payload: {} });
    expect(removed.statusCode, removed.body).toBeLessThan(300);

    const { signIns } = await readCase(investigator, theCase.id);
    expect(signIns.map((entry) => entry.details)).toEqual([
      { victim: 'removed' },
      { how: 'signed_out', victim: 'removed' },
      { victim: 'on_case', victimName: 'Dot Dunn' },
    ]);
    expect(signIns.map(timelineEntryLabel)).toEqual([
      'Victim signed in to the case page (a former victim of this case)',
      'Victim signed out of the case page (a former victim of this case)',
      'Victim signed in to the case page (Dot Dunn)',
    ]);
    expect(JSON.stringify(signIns)).not.toContain('Cal');
  });

  it('calls-a-reporter-said-not-to-be-the-victim-the-reporter-not-a-victim', async () => {
    const email = `reporter.${randomUUID()}@example.org`;
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: randomUUID(),
      whatHappened: 'I saw a bike being taken from a shed',
      where: '4 High Street',
      when: 'Last night',
      name: 'Rae Porter',
      email,
    });
    const created = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: { reporterIsVictim: false } });
    expect(created.statusCode, created.body).toBe(201);
    const theCase = created.json<CaseBody>().case;

    await signOut(await signInAs(theCase, email));
    const { view, signIns } = await readCase(investigator, theCase.id);
    expect(view.people).toEqual([]);
    expect(signIns.map((entry) => entry.details)).toEqual([{ victim: 'reporter' }, { how: 'signed_out', victim: 'reporter' }]);
    expect(signIns.map(timelineEntryLabel)).toEqual(['Reporter signed in to the case page', 'Reporter signed out of the case page']);
    expect(JSON.stringify(signIns)).not.toContain('Rae');
  });

  it('claims-no-role-and-names-no-one-for-a-sign-in-by-someone-never-a-victim-or-the-reporter-of-the-case', async () => {
    const theCase = await newCase();
    const elsewhere = await newCase();
    // A person who is a victim on another case, and on this one a witness only: never its victim.
    await addVictim(elsewhere.id, 'Wyn Elsewhere', `wyn.${randomUUID()}@example.org`);
    const wynId = (await readCase(investigator, elsewhere.id)).view.people[0]?.personId ?? '';
    expect(wynId).not.toBe('');
    const witness = await app.inject({ method: 'POST', url: `/api/cases/${theCase.id}/people`, headers: investigator.headers, payload: { role: 'witness', personId: wynId, name: 'Wyn Witness' } });
    expect(witness.statusCode, witness.body).toBe(201);
    // The portal lets only the case's victims and its reporter in, so these entries are recorded as
    // its sign-in would record them: for the witness, and for a person the force has no record of.
    const signInId = randomUUID();
    clock.advance(MINUTE);
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      const actor = { type: 'public' as const, id: null };
      record(
        tx,
        app.demoForceId,
        clock,
        portalCaseAccessGranted.of({ actor, subjectId: theCase.id, data: { codeId: signInId, personId: wynId } }),
        portalCaseSignInEnded.of({ actor, subjectId: theCase.id, data: { signInId, personId: wynId, how: 'signed_out' } }),
        portalCaseAccessGranted.of({ actor, subjectId: theCase.id, data: { codeId: randomUUID(), personId: randomUUID() } }),
      );
    });

    const { signIns } = await readCase(investigator, theCase.id);
    expect(signIns.map((entry) => entry.details)).toEqual([{ victim: 'unknown' }, { how: 'signed_out', victim: 'unknown' }, { victim: 'unknown' }]);
    expect(signIns.map(timelineEntryLabel)).toEqual(['Someone signed in to the case page', 'Someone signed out of the case page', 'Someone signed in to the case page']);
    expect(JSON.stringify(signIns)).not.toContain('Wyn');
    expect(JSON.stringify(signIns)).not.toContain(wynId);
  });
});
