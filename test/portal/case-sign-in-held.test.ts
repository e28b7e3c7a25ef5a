// The case page's signed cookie names its sign-in (the id of the code that opened it), but nothing
// on the server held that sign-in: a copy of the cookie (another device, a shared computer, one
// taken from the browser) opened the victim's case for its whole half hour, though the victim had
// signed in again since, and the sign-in's id could have named any case of the force. Now the
// server holds each sign-in for its case, victim and victim row; signing in to the case again
// ends the earlier one, and a cookie naming what its sign-in was not granted for opens nothing
// (decision 0158). Without JavaScript: these are the requests a browser makes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, createDemoLikeForce, signIn, type TestApp } from '../helpers.ts';
import { Visitor, casePageReads, hidden, reportedCase, victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { runHousekeeping } from '../../src/platform/jobs/housekeeping.ts';
import { PORTAL_COOKIES, decodeCaseAccess, encodeCaseAccess } from '../../src/portal/security.ts';
import { checkCaseSignIn } from '../../src/capabilities/victim-portal/case-access.service.ts';

const MINUTE = 60 * 1000;
type CasePerson = { id: string; role: string; personId: string | null };

describe(`a case sign-in held by the server (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const staff = (email: string) => signIn(app, email);
  const { storedMessages, caseReference } = casePageReads(() => app);

  async function openCase(lang: 'en' | 'cy' = 'en', email = `held.sign.in.${(visitors += 1)}@example.org`) {
    const { visitor, caseId } = await victimOnCasePage(app, await staff('handler@demo.police.uk'), { ip: `10.58.0.${visitors}`, email, lang });
    const page = await visitor.open(`/check/case?lang=${lang}`);
    return { visitor, caseId, email, submissionId: hidden(page.body, 'submissionId'), caseToken: hidden(page.body, 'caseToken') };
  }

  /** Signs `visitor` in to the case again with a fresh code (the code's mail in either language). */
  async function signInAgain(visitor: Visitor, caseId: string) {
    await visitor.open('/check');
    await visitor.post('/check', { reference: (await caseReference(caseId)).reference });
    await visitor.open('/check/code');
    return visitor.post('/check/code', { code: await casePageReads(() => app).latestCode(caseId) });
  }

  /** The signed case cookie a visitor holds, read as the server reads it. */
  function caseCookieOf(visitor: Visitor) {
    const signed = visitor.cookies.get(PORTAL_COOKIES.caseAccess) ?? '';
    const unsigned = app.http?.unsignCookie(signed);
    const access = decodeCaseAccess(unsigned?.valid ? unsigned.value : null, clock.now());
    if (!access) throw new Error('no case sign-in');
    return access;
  }

  it('ends-the-earlier-sign-in-when-the-victim-signs-in-to-the-case-again', async () => {
    const { visitor, caseId } = await openCase();
    const elsewhere = visitor.copyTo('10.58.1.1');
    expect((await elsewhere.get('/check/case')).statusCode).toBe(200);

    // The victim asks for a new code and signs in again (on this device; the copy is elsewhere).
    clock.advance(2 * MINUTE);
    expect((await signInAgain(visitor, caseId)).headers.location).toBe('/check/case');
    expect((await visitor.get('/check/case')).statusCode).toBe(200);

    // The copy of the earlier cookie opens nothing, on any page, is cleared, and is told why (decision 0170).
    for (const url of ['/check/case', '/check/case/preferences']) {
      const refused = await elsewhere.copyTo('10.58.1.2').get(url);
      expect(refused.statusCode, url).toBe(303);
      expect(refused.headers.location, url).toBe('/check?signedOut=case-ended');
      expect(refused.body, url).not.toContain((await caseReference(caseId)).reference);
    }
    const survey = await elsewhere.copyTo('10.58.1.3').post('/check/case/survey', { score: '5' });
    expect(survey.headers.location).toBe('/check?signedOut=case-ended');
    const page = await elsewhere.get('/check/case');
    expect(page.headers.location).toBe('/check?signedOut=case-ended');
    expect(elsewhere.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
  });

  it('holds-a-message-posted-on-an-ended-sign-in-unsent-and-says-why', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase();
    const elsewhere = visitor.copyTo('10.58.2.1');
    clock.advance(MINUTE);
    await signInAgain(visitor, caseId);
    const marker = `ended-${randomUUID()}`;

    const posted = await elsewhere.post('/check/case/message', { message: `<b>From the old sign-in ${marker}</b>`, submissionId, caseToken });
    expect(posted.statusCode, posted.body.slice(0, 500)).toBe(200);
    expect(posted.body).toContain('You were signed out because you signed in to your case again or asked for a new code, or someone signed out of it, on this device or another, so your message has not been sent yet.');
    expect(posted.body).not.toContain('<b>From the old');
    expect(hidden(posted.body, 'heldMessage')).not.toBe('');
    expect(await storedMessages(marker)).toBe(0);
    // The sign-in that holds still sends.
    const page = await visitor.open('/check/case');
    const sent = await visitor.post('/check/case/message', { message: `Current ${marker}`, submissionId: hidden(page.body, 'submissionId'), caseToken: hidden(page.body, 'caseToken') });
    expect(sent.headers.location).toBe('/check/case?sent=message#messages');
    expect(await storedMessages(marker)).toBe(1);
  });

  it('says-so-in-welsh', async () => {
    const { visitor, caseId, submissionId, caseToken } = await openCase('cy');
    const elsewhere = visitor.copyTo('10.58.3.1');
    clock.advance(MINUTE);
    await signInAgain(visitor, caseId);
    expect((await elsewhere.copyTo('10.58.3.2').get('/check/case?lang=cy')).headers.location).toBe('/check?signedOut=case-ended');
    const posted = await elsewhere.post('/check/case/message?lang=cy', { message: 'Neges', submissionId, caseToken });
    expect(posted.statusCode).toBe(200);
    expect(posted.body).toContain('<html lang="cy"');
    expect(posted.body).toContain('Cawsoch eich allgofnodi oherwydd i chi fewngofnodi i’ch achos eto');
  });

  it('opens-no-other-case-of-the-force-with-a-sign-in-to-one', async () => {
    // One victim on two cases of the force: a cookie signed by the server, naming the second case
    // but carrying the sign-in to the first, opens nothing.
    const email = `two.cases.${randomUUID()}@example.org`;
    const first = await openCase('en', email);
    const second = await reportedCase(app, await staff('handler@demo.police.uk'), email);
    const investigator = await staff('investigator@demo.police.uk');
    const people = (await app.inject({ method: 'GET', url: `/api/cases/${second.id}`, headers: investigator.headers })).json<{ case: { people: CasePerson[] } }>().case.people;
    const secondRow = people.find((person) => person.role === 'victim');
    const signedIn = caseCookieOf(first.visitor);
    expect(secondRow?.personId).toBe(signedIn.personId);
    const forged = encodeCaseAccess({ caseId: second.id, personId: signedIn.personId, victimRowId: secondRow?.id ?? null, signInId: signedIn.signInId }, signedIn.expiresAt);
    const other = new Visitor(app, '10.58.4.1');
    other.cookies.set(PORTAL_COOKIES.caseAccess, app.http?.signCookie(forged) ?? '');
    const answer = await other.get('/check/case');
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/check?signedOut=case-ended');
    expect(answer.body).not.toContain(second.reference);
    // The cookie as issued still opens its own case.
    expect((await first.visitor.get('/check/case')).statusCode).toBe(200);
  });

  it('holds-no-sign-in-of-one-force-for-another', async () => {
    const { visitor } = await openCase();
    const access = caseCookieOf(visitor);
    expect(await checkCaseSignIn(app.deps, app.demoForceId, access)).toBe('current');
    const { forceId: otherForceId } = await createDemoLikeForce(app);
    expect(await checkCaseSignIn(app.deps, otherForceId, access)).toBe('ended');
  });

  it('keeps-a-sign-in-for-its-half-hour-after-its-code-is-deleted-and-ends-it-after', async () => {
    const { visitor } = await openCase();
    // The code that opened it ran out after 15 minutes and housekeeping deleted it; the sign-in holds.
    clock.advance(20 * MINUTE);
    const policy = { jobsDoneDays: 7, jobsDeadDays: 30, inboundRequestsDays: 30, chatSessionIdleDays: 1, positionHistoryDefaultDays: 30, deliveryBacklogDays: 30 };
    await runHousekeeping(app.database.db, clock, app.demoForceId, policy);
    const access = caseCookieOf(visitor);
    expect((await visitor.get('/check/case')).statusCode).toBe(200);
    clock.advance(11 * MINUTE);
    await runHousekeeping(app.database.db, clock, app.demoForceId, policy);
    expect(await checkCaseSignIn(app.deps, app.demoForceId, access)).toBe('ended');
    expect((await visitor.get('/check/case')).headers.location).toBe('/check');
  });

  it('sets-the-case-cookie-signed-httponly-samesite-with-its-half-hour', async () => {
    const { caseId } = await openCase();
    const visitor = new Visitor(app, '10.58.6.1');
    // A minute on, so the newest code's mail is the newest by its time.
    clock.advance(MINUTE);
    const answer = await signInAgain(visitor, caseId);
    expect(answer.headers.location, `${answer.statusCode} ${answer.body.slice(0, 3000)}`).toBe('/check/case');
    const cookie = answer.cookies.find((c) => c.name === PORTAL_COOKIES.caseAccess);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite?.toLowerCase()).toBe('lax');
    expect(cookie?.maxAge).toBe(30 * 60);
    expect(cookie?.path).toBe('/');
    expect(app.http?.unsignCookie(cookie?.value ?? '').valid).toBe(true);
    // Tests run outside production: Secure follows COOKIE_SECURE, on by default in production (config tests).
    expect(cookie?.secure ?? false).toBe(false);
  });
});

describe(`the case cookie where cookies are Secure, as in production (${ENGINE})`, () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp({ env: { COOKIE_SECURE: 'true' } });
  });
  afterAll(() => app.close());

  it('sets-the-case-cookie-secure', async () => {
    const theCase = await reportedCase(app, await signIn(app, 'handler@demo.police.uk'), `secure.${randomUUID()}@example.org`);
    const visitor = new Visitor(app, '10.58.7.1');
    await visitor.open('/check');
    await visitor.post('/check', { reference: theCase.reference });
    await visitor.open('/check/code');
    const answer = await visitor.post('/check/code', { code: await casePageReads(() => app).latestCode(theCase.id) });
    expect(answer.headers.location).toBe('/check/case');
    const cookie = answer.cookies.find((c) => c.name === PORTAL_COOKIES.caseAccess);
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);
  });
});
