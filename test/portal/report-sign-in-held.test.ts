// The report page's signed cookie named only the report and an expiry, and nothing on the server
// held the sign-in: a copy of the cookie (another device, a shared library computer, a leaked log)
// opened the report for its whole half hour, whatever the reporter did meanwhile, signing in again
// included, and there was no signing out. Now the server holds each sign-in for its report, as it
// does a victim's to their case (decision 0158): signing in to the report again ends the earlier
// one, signing out ends its own, housekeeping deletes those past their end, and a cookie naming
// what its sign-in was not granted for opens nothing (decision 0167). Without JavaScript: these
// are the requests a browser makes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createDemoLikeForce, createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { runHousekeeping } from '../../src/platform/jobs/housekeeping.ts';
import { PORTAL_COOKIES, decodeAccess, encodeAccess } from '../../src/portal/security.ts';
import { checkReportSignIn, openReportSignIn } from '../../src/capabilities/report-status/report-sign-in.service.ts';

const MINUTE = 60 * 1000;
const ENDED_EN = 'You were signed out of your report because someone asked for a new code or entered one for it, or signed out of it, on this device or another.';
const ENDED_CY = 'Cawsoch eich allgofnodi o’ch adroddiad oherwydd i rywun ofyn am god newydd neu roi un ar ei gyfer';
const POLICY = { jobsDoneDays: 7, jobsDeadDays: 30, inboundRequestsDays: 30, chatSessionIdleDays: 1, positionHistoryDefaultDays: 30, deliveryBacklogDays: 30 };

describe(`a report sign-in held by the server (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  /** A report made online giving an email address, as the intake stores it. */
  async function newReport() {
    return submitPublicReport(app.deps, app.demoForceId, {
      submissionId: randomUUID(),
      whatHappened: 'My bicycle was taken from the rack outside the library',
      where: 'Library, Demoton',
      when: 'Yesterday',
      name: 'Rep Orter',
      email: `report.sign.in.${randomUUID()}@example.org`,
    });
  }

  /** The newest code mailed for the report, in either language. */
  async function latestCode(contactId: string) {
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', contactId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    return /(?:is|yw) (\d{6})/.exec(mail.body)?.[1] ?? '';
  }

  /** Signs `visitor` in to the report with a fresh code; returns the answer to the code. */
  async function signInTo(visitor: Visitor, report: { contactId: string; reference: string }, lang: 'en' | 'cy' = 'en') {
    await visitor.open(`/check?lang=${lang}`);
    await visitor.post('/check', { reference: report.reference });
    await visitor.open('/check/code');
    // A minute on each time, so the newest code's mail is the newest by its time.
    clock.advance(MINUTE);
    return visitor.post('/check/code', { code: await latestCode(report.contactId) });
  }

  async function openReport(lang: 'en' | 'cy' = 'en') {
    const report = await newReport();
    const visitor = new Visitor(app, `10.67.0.${(visitors += 1)}`);
    expect((await signInTo(visitor, report, lang)).headers.location).toBe('/check/report');
    const page = await visitor.open(`/check/report?lang=${lang}`);
    expect(page.statusCode).toBe(200);
    return { visitor, report, page };
  }

  /** The signed report cookie a visitor holds, read as the server reads it. */
  function reportCookieOf(visitor: Visitor) {
    const unsigned = app.http?.unsignCookie(visitor.cookies.get(PORTAL_COOKIES.access) ?? '');
    const access = decodeAccess(unsigned?.valid ? unsigned.value : null, clock.now());
    if (!access) throw new Error('no report sign-in');
    return access;
  }

  /** A browser holding only `value` as its report cookie, signed by the server's secret. */
  function holding(value: string, ip: string) {
    const visitor = new Visitor(app, ip);
    visitor.cookies.set(PORTAL_COOKIES.access, app.http?.signCookie(value) ?? '');
    return visitor;
  }

  const signInRows = (contactId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('portal_report_sign_ins').select('id').where('contact_id', '=', contactId).execute());

  it('opens-the-report-with-a-sign-out-button-and-a-cookie-naming-its-sign-in', async () => {
    const report = await newReport();
    const visitor = new Visitor(app, '10.67.0.250');
    const answer = await signInTo(visitor, report);
    expect(answer.headers.location).toBe('/check/report');
    const cookie = answer.cookies.find((c) => c.name === PORTAL_COOKIES.access);
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite?.toLowerCase()).toBe('lax');
    expect(cookie?.maxAge).toBe(30 * 60);
    expect(app.http?.unsignCookie(cookie?.value ?? '').valid).toBe(true);
    const page = await visitor.open('/check/report');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(report.reference);
    expect(page.body).toContain('data-testid="sign-out"');
    expect(page.body).toContain('action="/check/report/sign-out"');
    expect(page.body).toContain('Sign out');
    const access = reportCookieOf(visitor);
    expect(access.contactId).toBe(report.contactId);
    expect((await signInRows(report.contactId)).map((row) => row.id)).toEqual([access.signInId]);
    // Still open a minute before its half hour is out.
    clock.advance(28 * MINUTE);
    expect((await visitor.get('/check/report')).statusCode).toBe(200);
  });

  it('refuses-a-copy-of-the-cookie-once-the-report-is-signed-in-to-again-saying-why', async () => {
    const { visitor, report } = await openReport();
    const elsewhere = visitor.copyTo('10.67.1.1');
    expect((await elsewhere.get('/check/report')).statusCode).toBe(200);

    // The reporter asks for a new code and signs in again on another device; the copy stays behind.
    const again = new Visitor(app, '10.67.1.2');
    expect((await signInTo(again, report)).headers.location).toBe('/check/report');
    expect((await again.get('/check/report')).statusCode).toBe(200);

    const refused = await elsewhere.copyTo('10.67.1.3').get('/check/report');
    expect(refused.statusCode).toBe(303);
    expect(refused.headers.location).toBe('/check?signedOut=ended');
    expect(refused.body).not.toContain(report.reference);
    // The device signed in before is signed out too, its cookie cleared, and told why.
    const first = await visitor.get('/check/report');
    expect(first.headers.location).toBe('/check?signedOut=ended');
    expect(visitor.cookies.has(PORTAL_COOKIES.access)).toBe(false);
    const told = await visitor.open('/check?signedOut=ended');
    expect(told.statusCode).toBe(200);
    expect(told.body).toContain('data-testid="signed-out"');
    expect(told.body).toContain(ENDED_EN);
    expect(told.body).not.toContain(report.reference);
    // One sign-in per report.
    expect(await signInRows(report.contactId)).toHaveLength(1);
  });

  it('says-so-in-welsh', async () => {
    const { visitor, report } = await openReport('cy');
    const elsewhere = visitor.copyTo('10.67.2.1');
    await signInTo(visitor, report, 'cy');
    expect((await elsewhere.get('/check/report?lang=cy')).headers.location).toBe('/check?signedOut=ended');
    const told = await elsewhere.get('/check?signedOut=ended&lang=cy');
    expect(told.body).toContain('<html lang="cy"');
    expect(told.body).toContain(ENDED_CY);
    expect((await visitor.get('/check/report?lang=cy')).body).toContain('Allgofnodi');
  });

  it('signs-out-on-the-server-so-no-copy-opens-the-report-and-an-ended-copy-is-told-why', async () => {
    const { visitor, report } = await openReport();
    const elsewhere = visitor.copyTo('10.67.3.1');
    const stillOpen = visitor.copyTo('10.67.3.2');

    const signedOut = await visitor.post('/check/report/sign-out', {});
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe('/check?signedOut=yes');
    expect(visitor.cookies.has(PORTAL_COOKIES.access)).toBe(false);
    expect((await visitor.get('/check?signedOut=yes')).body).toContain('You have signed out of your report.');
    expect(await signInRows(report.contactId)).toHaveLength(0);

    const copy = await elsewhere.get('/check/report');
    expect(copy.headers.location).toBe('/check?signedOut=ended');
    expect(copy.body).not.toContain(report.reference);
    // Signing out on a page left open whose sign-in has ended since loses nothing (the page posts
    // nothing else) and says it had ended.
    const fromEnded = await stillOpen.post('/check/report/sign-out', {});
    expect(fromEnded.statusCode).toBe(303);
    expect(fromEnded.headers.location).toBe('/check?signedOut=ended');
    expect(stillOpen.cookies.has(PORTAL_COOKIES.access)).toBe(false);
    // Without the form's token, nothing is ended.
    const other = await openReport();
    const forged = await other.visitor.post('/check/report/sign-out', {}, { csrf: 'not-the-token' });
    expect(forged.statusCode).toBe(403);
    expect((await other.visitor.get('/check/report')).statusCode).toBe(200);
  });

  it('refuses-a-sign-in-past-its-end-and-housekeeping-deletes-it', async () => {
    const { visitor, report } = await openReport();
    const access = reportCookieOf(visitor);
    // The code that opened it ran out after 15 minutes and housekeeping deleted it; the sign-in holds.
    clock.advance(20 * MINUTE);
    await runHousekeeping(app.database.db, clock, app.demoForceId, POLICY);
    expect((await visitor.get('/check/report')).statusCode).toBe(200);
    // A cookie signed again claiming a later end does not outlive the sign-in the server holds.
    const later = holding(encodeAccess(access, new Date(clock.now().getTime() + 25 * MINUTE)), '10.67.4.1');
    clock.advance(11 * MINUTE);
    expect(await checkReportSignIn(app.deps, app.demoForceId, access)).toBe('ended');
    const refused = await later.get('/check/report');
    expect(refused.headers.location).toBe('/check?signedOut=ended');
    expect(refused.body).not.toContain(report.reference);
    expect(await signInRows(report.contactId)).toHaveLength(1);
    await runHousekeeping(app.database.db, clock, app.demoForceId, POLICY);
    expect(await signInRows(report.contactId)).toHaveLength(0);
  });

  it('housekeeping-deletes-expired-report-sign-ins-of-its-own-force-only', async () => {
    const { forceId: otherForceId } = await createDemoLikeForce(app);
    const now = clock.now();
    const at = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
    /** A report of `forceId` with a sign-in held until `ends`, opened as a right code opens one. */
    async function heldUntil(forceId: ForceId, ends: Date) {
      const report = await submitPublicReport(app.deps, forceId, {
        submissionId: randomUUID(),
        whatHappened: 'Someone took the post from my doorstep',
        where: 'Doorstep, Demoton',
        when: 'This morning',
        name: 'Rep Orter',
        email: `housekeeping.${randomUUID()}@example.org`,
      });
      const signInId = randomUUID();
      await withForce(app.database.db, forceId, (tx) => openReportSignIn(tx, forceId, fixedClock(at(-30)), { contactId: report.contactId, signInId }, ends));
      return signInId;
    }
    const ours = { expired: await heldUntil(app.demoForceId, at(-1)), endingNow: await heldUntil(app.demoForceId, now), current: await heldUntil(app.demoForceId, at(5)) };
    const theirs = { expired: await heldUntil(otherForceId, at(-1)), current: await heldUntil(otherForceId, at(15)) };
    const held = async () => {
      const rows = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('portal_report_sign_ins').select('id').where('id', 'in', [...Object.values(ours), ...Object.values(theirs)]).execute(),
      );
      const ids = new Set(rows.map((row) => row.id));
      const kept = (named: Record<string, string>) => Object.keys(named).filter((name) => ids.has(named[name] ?? ''));
      return { ours: kept(ours), theirs: kept(theirs) };
    };
    expect(await held()).toEqual({ ours: ['expired', 'endingNow', 'current'], theirs: ['expired', 'current'] });

    // This force's run deletes its sign-ins past their end (one ending this instant is past it) and
    // keeps its current one; the other force's rows, expired or not, are not this run's to touch.
    await runHousekeeping(app.database.db, clock, app.demoForceId, POLICY);
    expect(await held()).toEqual({ ours: ['current'], theirs: ['expired', 'current'] });

    // The other force's own run applies the same rule to its own rows only.
    await runHousekeeping(app.database.db, clock, otherForceId, POLICY);
    expect(await held()).toEqual({ ours: ['current'], theirs: ['current'] });

    // Ten minutes on, this force's last one has ended but stays until this force's run; the other
    // force's, still current, stays through that run.
    clock.advance(10 * MINUTE);
    await runHousekeeping(app.database.db, clock, otherForceId, POLICY);
    expect(await held()).toEqual({ ours: ['current'], theirs: ['current'] });
    await runHousekeeping(app.database.db, clock, app.demoForceId, POLICY);
    expect(await held()).toEqual({ ours: [], theirs: ['current'] });
    clock.advance(10 * MINUTE);
    await runHousekeeping(app.database.db, clock, otherForceId, POLICY);
    expect(await held()).toEqual({ ours: [], theirs: [] });
  });

  it('opens-no-other-report-with-a-sign-in-to-one-and-none-of-another-force', async () => {
    const first = await openReport();
    const second = await newReport();
    const access = reportCookieOf(first.visitor);
    // A cookie signed by the server naming the second report but carrying the first's sign-in opens nothing.
    const forged = holding(encodeAccess({ contactId: second.contactId, signInId: access.signInId }, new Date(clock.now().getTime() + 10 * MINUTE)), '10.67.5.1');
    const answer = await forged.get('/check/report');
    expect(answer.statusCode).toBe(303);
    expect(answer.headers.location).toBe('/check?signedOut=ended');
    expect(answer.body).not.toContain(second.reference);
    // Nor can it sign the first report out (a fresh copy: the page above cleared this one's cookie).
    await forged.open('/check');
    expect((await forged.post('/check/report/sign-out', {})).headers.location).toBe('/check');
    const forgedAgain = holding(encodeAccess({ contactId: second.contactId, signInId: access.signInId }, new Date(clock.now().getTime() + 10 * MINUTE)), '10.67.5.2');
    await forgedAgain.open('/check');
    expect((await forgedAgain.post('/check/report/sign-out', {})).headers.location).toBe('/check?signedOut=ended');
    expect(await checkReportSignIn(app.deps, app.demoForceId, access)).toBe('current');
    expect((await first.visitor.get('/check/report')).statusCode).toBe(200);
    // The sign-in is held for its own force only.
    const { forceId: otherForceId } = await createDemoLikeForce(app);
    expect(await checkReportSignIn(app.deps, otherForceId, access)).toBe('ended');
  });

  it('ends-the-browser-s-own-sign-in-when-it-asks-for-a-new-code', async () => {
    const { visitor, report } = await openReport();
    const elsewhere = visitor.copyTo('10.67.6.1');
    await visitor.open('/check');
    await visitor.post('/check', { reference: report.reference });
    expect((await elsewhere.get('/check/report')).headers.location).toBe('/check?signedOut=ended');
  });
});
