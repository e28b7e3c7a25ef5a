// The victim's case page had no way to sign out: its sign-in is held by the server (decision 0158),
// yet only signing in to the case again ended it, so a victim on a shared or borrowed computer left
// a cookie that opened their case, and a copy of it, for the rest of the half hour. Now the page
// has a "Sign out" button, as the report page has (decision 0167): a form posting its CSRF token,
// that ends the sign-in on the server, so no copy of the cookie opens the case, and the reference
// form says the victim has signed out; a copy kept elsewhere is told its sign-in has ended
// (decision 0170). Without JavaScript: these are the requests a browser makes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor, casePageReads, hidden, victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { PORTAL_COOKIES, decodeCaseAccess, encodeCaseAccess } from '../../src/portal/security.ts';
import { checkCaseSignIn } from '../../src/capabilities/victim-portal/case-access.service.ts';

const SIGNED_OUT = {
  en: 'You have signed out of your case. It cannot be opened again, on this device or any other, without a new code.',
  cy: 'Rydych chi wedi allgofnodi o’ch achos. Ni ellir ei agor eto, ar y ddyfais hon nac ar unrhyw ddyfais arall, heb god newydd.',
};
const ENDED = {
  en: 'You were signed out of your case because you signed in to it again or asked for a new code, or someone signed out of it, on this device or another.',
  cy: 'Cawsoch eich allgofnodi o’ch achos oherwydd i chi fewngofnodi iddo eto neu ofyn am god newydd, neu i rywun allgofnodi ohono, ar y ddyfais hon neu ar un arall.',
};
const BUTTON = { en: 'Sign out', cy: 'Allgofnodi' };

describe(`signing out of a case page (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const { caseReference } = casePageReads(() => app);

  async function openCase(lang: 'en' | 'cy') {
    visitors += 1;
    const handler = await signIn(app, 'handler@demo.police.uk');
    const { visitor, caseId } = await victimOnCasePage(app, handler, { ip: `10.70.0.${visitors}`, email: `sign.out.${randomUUID()}@example.org`, lang });
    const page = await visitor.open(`/check/case?lang=${lang}`);
    return { visitor, caseId, page, reference: (await caseReference(caseId)).reference };
  }

  /** The signed case cookie a visitor holds, read as the server reads it. */
  function caseCookieOf(visitor: Visitor) {
    const unsigned = app.http?.unsignCookie(visitor.cookies.get(PORTAL_COOKIES.caseAccess) ?? '');
    const access = decodeCaseAccess(unsigned?.valid ? unsigned.value : null, clock.now());
    if (!access) throw new Error('no case sign-in');
    return access;
  }

  const signInRows = (caseId: string) => withSystem(app.database.db, (tx) => tx.selectFrom('portal_case_sign_ins').select('id').where('case_id', '=', caseId).execute());

  for (const lang of ['en', 'cy'] as const) {
    it(`signs-out-on-the-server-so-the-same-cookie-opens-nothing-and-says-why-${lang}`, async () => {
      const { visitor, caseId, page, reference } = await openCase(lang);
      // A plain form: the page's CSRF token and a button, no script.
      const form = /<form method="post" action="\/check\/case\/sign-out"[^>]*>([\s\S]*?)<\/form>/.exec(page.body)?.[1] ?? '';
      expect(form).toContain(`name="csrfToken" value="${hidden(page.body, 'csrfToken')}"`);
      expect(form).toContain('data-testid="sign-out"');
      expect(form).toContain(BUTTON[lang]);
      const access = caseCookieOf(visitor);
      const elsewhere = visitor.copyTo(`10.70.1.${visitors}`);
      const stillOpen = visitor.copyTo(`10.70.2.${visitors}`);
      expect((await elsewhere.get(`/check/case?lang=${lang}`)).statusCode).toBe(200);

      const signedOut = await visitor.post(`/check/case/sign-out?lang=${lang}`, {});
      expect(signedOut.statusCode).toBe(303);
      expect(signedOut.headers.location).toBe('/check?signedOut=case');
      expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
      const told = await visitor.get('/check?signedOut=case');
      expect(told.body).toContain(`<html lang="${lang}"`);
      expect(told.body).toContain('data-testid="signed-out"');
      expect(told.body).toContain(SIGNED_OUT[lang]);
      expect(told.body).not.toContain(reference);
      expect(await signInRows(caseId)).toHaveLength(0);
      expect(await checkCaseSignIn(app.deps, app.demoForceId, access)).toBe('ended');

      // The same cookie, kept on another browser, opens none of the case's pages, and is told why.
      for (const url of ['/check/case', '/check/case/preferences']) {
        const refused = await elsewhere.copyTo('10.70.3.1').get(url);
        expect(refused.statusCode, url).toBe(303);
        expect(refused.headers.location, url).toBe('/check?signedOut=case-ended');
        expect(refused.body, url).not.toContain(reference);
      }
      const survey = await elsewhere.copyTo('10.70.3.2').post('/check/case/survey', { score: '5' });
      expect(survey.headers.location).toBe('/check?signedOut=case-ended');
      const page2 = await elsewhere.get('/check/case');
      expect(page2.headers.location).toBe('/check?signedOut=case-ended');
      expect(elsewhere.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
      const why = await elsewhere.get(`/check?signedOut=case-ended&lang=${lang}`);
      expect(why.body).toContain(`<html lang="${lang}"`);
      expect(why.body).toContain(ENDED[lang]);
      expect(why.body).not.toContain(reference);

      // Signing out again from a page left open whose sign-in has ended already says it had ended.
      const fromEnded = await stillOpen.post('/check/case/sign-out', {});
      expect(fromEnded.headers.location).toBe('/check?signedOut=case-ended');
      expect(stillOpen.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
    });
  }

  it('ends-nothing-without-the-form-s-token', async () => {
    const { visitor } = await openCase('en');
    const forged = await visitor.post('/check/case/sign-out', {}, { csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(403);
    expect((await visitor.get('/check/case')).statusCode).toBe(200);
    expect(await checkCaseSignIn(app.deps, app.demoForceId, caseCookieOf(visitor))).toBe('current');
  });

  it('ends-no-other-case-s-sign-in-with-a-cookie-naming-it-under-its-own-sign-in', async () => {
    const first = await openCase('en');
    const second = await openCase('en');
    const mine = caseCookieOf(first.visitor);
    const theirs = caseCookieOf(second.visitor);
    // Signed by the server, naming the second case but the first's sign-in: it ends neither.
    const forged = new Visitor(app, '10.70.4.1');
    forged.cookies.set(PORTAL_COOKIES.caseAccess, app.http?.signCookie(encodeCaseAccess({ ...theirs, signInId: mine.signInId }, mine.expiresAt)) ?? '');
    await forged.open('/check');
    expect((await forged.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case-ended');
    expect(await checkCaseSignIn(app.deps, app.demoForceId, mine)).toBe('current');
    expect(await checkCaseSignIn(app.deps, app.demoForceId, theirs)).toBe('current');
    expect((await first.visitor.get('/check/case')).statusCode).toBe(200);
    expect((await second.visitor.get('/check/case')).statusCode).toBe(200);
  });
});
