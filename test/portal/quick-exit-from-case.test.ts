// Exit this page from a victim's case page, without JavaScript: the exit forgets every cookie that
// says what the person did on the portal, the case page's sign-in too. Left behind, Back (which
// loads the page afresh) or anyone opening /check/case on that device within the half hour saw the
// victim's case: their officer, appointments and the messages they sent (decision 0025).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { victimOnCasePage } from '../portal-visitor.ts';
import { PORTAL_COOKIES } from '../../src/portal/security.ts';

describe('quick exit from a case page', () => {
  let app: TestApp;
  let handler: Awaited<ReturnType<typeof signIn>>;

  beforeAll(async () => {
    app = await createTestApp();
    handler = await signIn(app, 'handler@demo.police.uk');
  });
  afterAll(() => app.close());

  it('denies-the-case-page-after-exit-without-javascript', async () => {
    const { visitor } = await victimOnCasePage(app, handler, { ip: '198.51.100.71', email: 'leaving-case@example.org' });
    expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(true);

    const exit = await visitor.get('/exit');
    expect(exit.statusCode).toBe(303);
    expect(visitor.cookies.has(PORTAL_COOKIES.caseAccess)).toBe(false);
    // Back, or the address typed again: the page asks for a reference, not the victim's case.
    const again = await visitor.get('/check/case');
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe('/check');
  });

  it('forgets-every-portal-cookie-but-the-language-on-exit', async () => {
    const exit = await app.inject({ method: 'GET', url: '/exit' });
    const cleared = new Set(exit.cookies.filter((cookie) => cookie.maxAge === 0 && cookie.value === '').map((cookie) => cookie.name));
    for (const name of Object.values(PORTAL_COOKIES)) {
      if (name === PORTAL_COOKIES.lang) expect(cleared.has(name), name).toBe(false);
      else expect(cleared.has(name), name).toBe(true);
    }
  });
});
