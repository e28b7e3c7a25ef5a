// Signing out of the case page or the report page ended the sign-in on the server (decisions 0167,
// 0170) and recorded nothing: a force auditing who opened a case could see each sign-in granted,
// never whether the person ended it or it ran out. Ending a sign-in is now a move of its machine
// (`portal-sign-in.machine.ts`), with its one event, carrying ids only (decision 0180). A sign-in
// already ended, or past its end, moves no more and records nothing; the answer is as before.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor, victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { PORTAL_COOKIES, decodeAccess, decodeCaseAccess } from '../../src/portal/security.ts';

const MINUTE = 60 * 1000;

describe(`ending a portal sign-in, recorded (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const nextIp = () => `10.80.${Math.floor(visitors / 200)}.${(visitors += 1) % 200}`;

  /** The sign-in events about `subjectId`, in the order they were recorded. */
  const signInEvents = (subjectId: string) =>
    withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('events')
        .select(['type', 'actor_type', 'actor_id', 'subject_type', 'data'])
        .where('subject_id', '=', subjectId)
        .where('type', 'like', 'portal_sign_in.%')
        .orderBy('seq')
        .execute(),
    );

  function signedValue(visitor: Visitor, cookie: string): string | null {
    const unsigned = app.http?.unsignCookie(visitor.cookies.get(cookie) ?? '');
    return unsigned?.valid ? unsigned.value : null;
  }

  async function openCase() {
    const handler = await signIn(app, 'handler@demo.police.uk');
    const email = `recorded.${randomUUID()}@example.org`;
    const { visitor, caseId } = await victimOnCasePage(app, handler, { ip: nextIp(), email });
    const access = decodeCaseAccess(signedValue(visitor, PORTAL_COOKIES.caseAccess), clock.now());
    if (!access) throw new Error('no case sign-in');
    return { visitor, caseId, access, email };
  }

  /** Signs `visitor` in to the report with a fresh code. */
  async function signInToReport(visitor: Visitor, report: { contactId: string; reference: string }) {
    await visitor.open('/check');
    await visitor.post('/check', { reference: report.reference });
    await visitor.open('/check/code');
    clock.advance(MINUTE);
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    const answer = await visitor.post('/check/code', { code: /is (\d{6})/.exec(mail.body)?.[1] ?? '' });
    expect(answer.headers.location).toBe('/check/report');
    const access = decodeAccess(signedValue(visitor, PORTAL_COOKIES.access), clock.now());
    if (!access) throw new Error('no report sign-in');
    return access;
  }

  async function openReport() {
    const email = `reporter.${randomUUID()}@example.org`;
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: randomUUID(),
      whatHappened: 'Someone scratched my car in the car park',
      where: 'Car park, Demoton',
      when: 'Yesterday',
      name: 'Rep Orter',
      email,
    });
    const visitor = new Visitor(app, nextIp());
    const access = await signInToReport(visitor, report);
    await visitor.open('/check/report');
    return { visitor, report, access, email };
  }

  it('records-one-ids-only-event-when-a-victim-signs-out-of-their-case-and-nothing-for-a-repeat', async () => {
    const { visitor, caseId, access, email } = await openCase();
    const copy = visitor.copyTo(nextIp());
    const cookieValue = visitor.cookies.get(PORTAL_COOKIES.caseAccess) ?? '';
    expect(await signInEvents(caseId)).toEqual([]);

    expect((await visitor.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case');
    const recorded = await signInEvents(caseId);
    expect(recorded).toEqual([
      { type: 'portal_sign_in.case_ended', actor_type: 'public', actor_id: null, subject_type: 'case', data: { signInId: access.signInId, personId: access.personId, how: 'signed_out' } },
    ]);
    const stored = JSON.stringify(recorded);
    for (const secret of [email, cookieValue, access.victimRowId ?? email, '10.80.']) expect(stored).not.toContain(secret);

    // The same form again from a copy of the cookie, and from the browser that signed out: nothing more.
    expect((await copy.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case-ended');
    expect((await visitor.post('/check/case/sign-out', {})).headers.location).toBe('/check');
    expect(await signInEvents(caseId)).toHaveLength(1);
  });

  it('ends-a-case-sign-in-on-the-server-when-its-browser-asks-for-a-code-recording-it-once', async () => {
    const { visitor, caseId, access } = await openCase();
    const copy = visitor.copyTo(nextIp());
    const later = visitor.copyTo(nextIp());
    const reference = (await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow())).reference;
    // Asking for a new code on the browser holding the case's cookie ends its sign-in, as on the report page.
    await visitor.open('/check');
    expect((await visitor.post('/check', { reference })).headers.location).toBe('/check/code');
    expect(signedValue(visitor, PORTAL_COOKIES.caseAccess)).toBeNull();
    expect(await signInEvents(caseId)).toEqual([
      { type: 'portal_sign_in.case_ended', actor_type: 'public', actor_id: null, subject_type: 'case', data: { signInId: access.signInId, personId: access.personId, how: 'code_asked' } },
    ]);
    // A copy of the cookie no longer opens the case.
    expect((await copy.open('/check/case')).headers.location).toBe('/check?signedOut=case-ended');

    // Asking again, from the browser that asked and from a copy of its cookie: nothing more.
    await visitor.open('/check');
    await visitor.post('/check', { reference });
    expect(later.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(true);
    await later.open('/check');
    expect((await later.post('/check', { reference })).headers.location).toBe('/check/code');
    expect(await signInEvents(caseId)).toHaveLength(1);
  });

  it('records-a-case-sign-in-ended-by-signing-in-again-and-none-for-one-past-its-end', async () => {
    const { visitor, caseId, access } = await openCase();
    const reference = (await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow())).reference;
    clock.advance(MINUTE);
    const again = new Visitor(app, nextIp());
    expect((await again.signInToCase({ id: caseId, reference })).headers.location).toBe('/check/case');
    expect(await signInEvents(caseId)).toEqual([
      expect.objectContaining({ type: 'portal_sign_in.case_ended', data: { signInId: access.signInId, personId: access.personId, how: 'signed_in_again' } }),
    ]);
    // The old browser's sign-out ends nothing more.
    expect((await visitor.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case-ended');
    expect(await signInEvents(caseId)).toHaveLength(1);

    // A sign-in whose half hour ran out was ended by its time: signing out of it records nothing.
    const late = await openCase();
    const stale = late.visitor.copyTo(nextIp());
    clock.advance(31 * MINUTE);
    await stale.post('/check/case/sign-out', {});
    expect(await signInEvents(late.caseId)).toEqual([]);
  });

  it('records-one-event-when-a-reporter-signs-out-asks-for-a-code-or-signs-in-again', async () => {
    const { visitor, report, access, email } = await openReport();
    const copy = visitor.copyTo(nextIp());
    expect((await visitor.post('/check/report/sign-out', {})).headers.location).toBe('/check?signedOut=yes');
    const recorded = await signInEvents(report.contactId);
    expect(recorded).toEqual([
      { type: 'portal_sign_in.report_ended', actor_type: 'public', actor_id: null, subject_type: 'contact', data: { signInId: access.signInId, how: 'signed_out' } },
    ]);
    expect(JSON.stringify(recorded)).not.toContain(email);
    expect((await copy.post('/check/report/sign-out', {})).headers.location).toBe('/check?signedOut=ended');
    expect(await signInEvents(report.contactId)).toHaveLength(1);

    // Signing in again ends the sign-in before; asking for a code on the browser holding one ends it.
    const second = await signInToReport(visitor, report);
    const other = new Visitor(app, nextIp());
    await signInToReport(other, report);
    await other.open('/check');
    await other.post('/check', { reference: report.reference });
    const third = signedValue(other, PORTAL_COOKIES.access);
    expect(third).toBeNull();
    const types = (await signInEvents(report.contactId)).map((event) => event.data);
    expect(types).toEqual([
      { signInId: access.signInId, how: 'signed_out' },
      { signInId: second.signInId, how: 'signed_in_again' },
      expect.objectContaining({ how: 'code_asked' }),
    ]);
  });
});
