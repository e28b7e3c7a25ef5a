import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { createTestApp, type TestApp } from '../../test/helpers.ts';
import { withSystem } from '../platform/db/database.ts';
import type { StaffId } from '../platform/ids.ts';
import { closeContact } from '../capabilities/contacts/contacts.service.ts';
import { replyToContact } from '../capabilities/contacts/contact-replies.service.ts';
import { createCaseFromContact } from '../capabilities/cases/cases.service.ts';
import { renderPortalError } from './portal-pages.ts';
import { Visitor } from '../../test/portal-visitor.ts';

const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describe('the public portal', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  async function report(visitor: Visitor, fields: Partial<Record<string, string>> = {}) {
    const form = await visitor.open('/report/details');
    const response = await visitor.post('/report/details', {
      submissionId: hidden(form.body, 'submissionId'),
      whatHappened: 'My bike was stolen from outside the library',
      where: 'Library, Demoton',
      when: 'Yesterday about 3pm',
      name: 'Sam Public',
      email: 'sam.public@example.org',
      ...fields,
    });
    // The POST's answer is the confirmation itself; /report/done shows it again.
    expect(response.statusCode).toBe(200);
    const done = await visitor.get('/report/done');
    expect(response.body).toBe(done.body);
    const reference = /data-testid="reference">([^<]+)</.exec(done.body)?.[1] ?? '';
    // The report is acknowledged once received; its contact follows in the background.
    await app.reports.settled();
    return { reference, done, form };
  }

  async function codeFor(reference: string): Promise<string> {
    const mail = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('outbox as o')
        .innerJoin('contacts as c', 'c.id', 'o.contact_id')
        .select('o.body')
        .where('c.reference', '=', reference)
        .where('o.purpose', '=', 'portal.access_code')
        .orderBy('o.created_at', 'desc')
        .orderBy('o.seq', 'desc')
        .executeTakeFirst(),
    );
    const code = /is (\d{6})\./.exec(mail?.body ?? '')?.[1];
    if (!code) throw new Error(`no code mail for ${reference}`);
    return code;
  }

  it('shows a start page for the force, with the exit button, language switch and security headers', async () => {
    const response = await new Visitor(app).get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('<html lang="en"');
    expect(response.body).toMatch(/<h1[^>]*>Report an incident to Demo Constabulary<\/h1>/);
    expect(response.body).toContain('href="/report/danger"');
    expect(response.body).toContain('href="/check"');
    expect(response.body).toContain('Check on a report you have made');
    expect(response.body).toMatch(/class="govuk-exit-this-page"[^>]*data-bl-exit-to="https:\/\/www\.bbc\.co\.uk\/weather"[\s\S]*href="\/exit"/);
    expect(response.body).toContain('href="/?lang=cy"');
    expect(response.body).toContain('src="/portal-static/init.js"');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[^']+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("img-src 'self' data:");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('serves GOV.UK Frontend files', async () => {
    const visitor = new Visitor(app);
    const css = await visitor.get('/portal-static/govuk-frontend.min.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const js = await visitor.get('/portal-static/govuk-frontend.min.js');
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    const init = await visitor.get('/portal-static/init.js');
    expect(init.body).toContain('initAll');
    expect((await visitor.get('/assets/fonts/bold-b542beb274-v2.woff2')).statusCode).toBe(200);
    expect((await visitor.get('/assets/images/favicon.svg')).headers['content-type']).toBe('image/svg+xml');
    expect((await visitor.get('/assets/../package.json')).statusCode).toBe(404);
    expect((await visitor.get('/portal-static/..%2Fportal.routes.ts')).statusCode).toBe(404);
  });

  it('switches to Welsh with ?lang=cy and remembers it', async () => {
    const visitor = new Visitor(app);
    const welsh = await visitor.get('/?lang=cy');
    expect(welsh.body).toContain('<html lang="cy"');
    expect(welsh.body).toContain('Rhoi gwybod i Demo Constabulary am ddigwyddiad');
    expect(welsh.body).toContain('href="/?lang=en"');
    expect(visitor.cookies.get('bl_lang')).toBe('cy');
    const later = await visitor.get('/report/danger');
    expect(later.body).toContain('<html lang="cy"');
    expect(later.body).toContain('Oes unrhyw un mewn perygl uniongyrchol?');
    const back = await visitor.get('/report/danger?lang=en');
    expect(back.body).toContain('<html lang="en"');
    expect((await visitor.get('/?lang=fr')).statusCode).toBe(200);
  });

  it('asks about danger and routes the answer', async () => {
    const visitor = new Visitor(app);
    const page = await visitor.open('/report/danger');
    expect(page.body).toContain('Is anyone in immediate danger?');
    expect(page.body).toContain('name="danger"');

    const none = await visitor.post('/report/danger', {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('govuk-error-summary');
    expect(none.body).toContain('href="#danger"');
    expect(none.body).toContain('id="danger-error"');
    expect(none.body).toContain('<title>Error:');

    const yes = await visitor.post('/report/danger', { danger: 'yes' });
    expect(yes.statusCode).toBe(303);
    expect(yes.headers.location).toBe('/report/emergency');
    const no = await visitor.post('/report/danger', { danger: 'no' });
    expect(no.statusCode).toBe(303);
    expect(no.headers.location).toBe('/report/details');

    const emergency = await visitor.get('/report/emergency');
    expect(emergency.body).toContain('Call 999 now');
    expect(emergency.body).toContain('18000');
    expect(emergency.body).toContain('British Sign Language');
    expect(emergency.body).not.toContain('<form');
  });

  it('refuses a form post without the matching CSRF token with a 403 page', async () => {
    const visitor = new Visitor(app);
    await visitor.open('/report/danger');
    const missing = await visitor.post('/report/danger', { danger: 'no' }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect(missing.body).toContain('govuk-template');
    const wrong = await visitor.post('/report/danger', { danger: 'no' }, { csrf: 'x'.repeat(43) });
    expect(wrong.statusCode).toBe(403);
    const stranger = new Visitor(app);
    const noCookie = await stranger.post('/report/danger', { danger: 'no' }, { csrf: visitor.csrfFrom });
    expect(noCookie.statusCode).toBe(403);
  });

  it('re-renders the report form with errors, keeping what was typed, escaped', async () => {
    const visitor = new Visitor(app);
    const form = await visitor.open('/report/details');
    const submissionId = hidden(form.body, 'submissionId');
    expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = '<script>alert("x")</script>';
    const response = await visitor.post('/report/details', {
      submissionId,
      whatHappened: hostile,
      where: '   ',
      when: 'w'.repeat(201),
      email: 'not-an-email',
      extra: 'ignored',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is a problem');
    expect(response.body).toContain('Enter where it happened');
    expect(response.body).toContain('When it happened must be 200 characters or fewer');
    expect(response.body).toContain('Enter an email address in the correct format, like name@example.com');
    expect(response.body).not.toContain(hostile);
    expect(response.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(response.body).toContain('value="not-an-email"');
    expect(hidden(response.body, 'submissionId')).toBe(submissionId);
    const tooLong = await visitor.post('/report/details', {
      submissionId,
      whatHappened: 'x'.repeat(10_001),
      where: 'a',
      when: 'b',
      email: 'a@example.org',
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('What happened must be 10,000 characters or fewer');
    // Text with nothing to read in it (zero-width spaces and joiners, a byte-order mark) is not an answer.
    const invisible = await visitor.post('/report/details', {
      submissionId,
      whatHappened: '\u200b\u200b \u200d\ufeff',
      where: '\u2060',
      when: 'b',
      email: 'a@example.org',
    });
    expect(invisible.statusCode).toBe(400);
    expect(invisible.body).toContain('Enter what happened');
    expect(invisible.body).toContain('Enter where it happened');
  });

  it('stores a report, confirms it with the reference, and stores a double post once', async () => {
    const visitor = new Visitor(app);
    const { reference, done, form } = await report(visitor);
    expect(reference).toMatch(/^DEMO-\d{4}-\d{6}$/);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('govuk-panel--confirmation');
    expect(done.body).toContain('Report sent');
    expect(done.body).toContain('href="/check"');
    expect(visitor.cookies.has('bl_ref')).toBe(true);

    const again = await visitor.post('/report/details', {
      submissionId: hidden(form.body, 'submissionId'),
      whatHappened: 'My bike was stolen from outside the library',
      where: 'Library, Demoton',
      when: 'Yesterday about 3pm',
      email: 'sam.public@example.org',
    });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain(`data-testid="reference">${reference}<`);
    // Its language switch leads to the confirmation, not to an empty form.
    expect(again.body).toContain('href="/report/done?lang=cy"');
    const second = await visitor.get('/report/done');
    expect(second.body).toContain(`data-testid="reference">${reference}<`);
    const stored = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('messages').select('id').where('provider_message_id', '=', hidden(form.body, 'submissionId')).execute(),
    );
    expect(stored).toHaveLength(1);
  });

  it('shows each visitor their own reference, in their own language, on the confirmation page', async () => {
    const first = await report(new Visitor(app));
    const welshVisitor = new Visitor(app);
    await welshVisitor.get('/report/details?lang=cy');
    const second = await report(welshVisitor);
    const firstAgain = await report(new Visitor(app));
    expect(new Set([first.reference, second.reference, firstAgain.reference]).size).toBe(3);
    expect(first.done.body).toContain('<html lang="en"');
    expect(first.done.body).toContain('Report sent');
    expect(second.done.body).toContain('<html lang="cy"');
    expect(second.done.body).not.toContain('Report sent');
    expect(firstAgain.done.body).toContain(`data-testid="reference">${firstAgain.reference}<`);
    expect(firstAgain.done.body).not.toContain(first.reference);
  });

  it('sends the confirmation page back to the start without a reference cookie', async () => {
    const response = await new Visitor(app).get('/report/done');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
  });

  it('answers non-form and oversized posts with a 4xx page, never a 500', async () => {
    const visitor = new Visitor(app);
    await visitor.open('/report/details');
    const cookie = [...visitor.cookies].map(([n, v]) => `${n}=${v}`).join('; ');
    const asJson = await app.inject({
      method: 'POST',
      url: '/report/details',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ csrfToken: visitor.csrfFrom, whatHappened: 'x', where: 'y', when: 'z', email: 'a@example.org' }),
    });
    expect(asJson.statusCode).toBe(415);
    expect(asJson.headers['content-type']).toMatch(/^text\/html/);
    const badJson = await app.inject({ method: 'POST', url: '/check', headers: { cookie, 'content-type': 'application/json' }, payload: '{"a":' });
    expect(badJson.statusCode).toBeGreaterThanOrEqual(400);
    expect(badJson.statusCode).toBeLessThan(500);
    const plain = await app.inject({ method: 'POST', url: '/check', headers: { cookie, 'content-type': 'text/plain' }, payload: 'reference=x' });
    expect(plain.statusCode).toBe(415);
    const multipart = await app.inject({
      method: 'POST',
      url: '/check',
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x--',
    });
    expect(multipart.statusCode).toBe(415);
    const huge = await app.inject({
      method: 'POST',
      url: '/report/details',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrfToken=${visitor.csrfFrom}&whatHappened=${'x'.repeat(300 * 1024)}`,
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^text\/html/);
    const repeated = await app.inject({
      method: 'POST',
      url: '/check',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrfToken=${visitor.csrfFrom}&reference=a&reference=b`,
    });
    expect(repeated.statusCode).toBe(400);
    expect(repeated.body).toContain('govuk-error-summary');
    const empty = await app.inject({ method: 'POST', url: '/check', headers: { cookie } });
    expect(empty.statusCode).toBeGreaterThanOrEqual(400);
    expect(empty.statusCode).toBeLessThan(500);
  });

  it('lets the reporter check their report with an emailed code, showing the timeline', async () => {
    const reporter = new Visitor(app);
    const { reference } = await report(reporter, { email: 'timeline@example.org' });
    const contact = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('contacts').select('id').where('reference', '=', reference).executeTakeFirstOrThrow(),
    );
    const staff = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('staff').select('id').where('email', '=', 'desk@demo.police.uk').executeTakeFirstOrThrow(),
    );
    const staffId = staff.id as StaffId;
    await replyToContact(app.deps, app.demoForceId, contact.id, staffId, 'Thanks for telling us.\nWe will look at <b>CCTV</b>.');
    const created = await createCaseFromContact(app.deps, app.demoForceId, contact.id, staffId);
    await closeContact(app.deps, app.demoForceId, contact.id, staffId, { outcome: 'crime_recorded', note: 'staff only' });

    const visitor = new Visitor(app, '10.0.0.5');
    expect((await visitor.get('/check/report')).headers.location).toBe('/check');
    expect((await visitor.get('/check/code')).headers.location).toBe('/check');
    const page = await visitor.open('/check');
    expect(page.body).toContain('name="reference"');
    const empty = await visitor.post('/check', { reference: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter your reference number');

    const asked = await visitor.post('/check', { reference: ` ${reference.toLowerCase()} ` });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/check/code');
    const codePage = await visitor.open('/check/code');
    expect(codePage.body).toContain('If the reference is right, we have sent a code to the email address or mobile number you gave');
    const code = await codeFor(reference);

    const wrong = await visitor.post('/check/code', { code: code === '000000' ? '999999' : '000000' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The code is wrong or has expired');
    const malformed = await visitor.post('/check/code', { code: '12' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('The code must be 6 digits');

    const right = await visitor.post('/check/code', { code });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/check/report');
    expect(visitor.cookies.has('bl_access')).toBe(true);

    const view = await visitor.get('/check/report');
    expect(view.statusCode).toBe(200);
    expect(view.headers['cache-control']).toBe('no-store');
    expect(view.body).toContain(reference);
    expect(view.body).toContain('Closed');
    const items = view.body.split('data-testid="timeline-item"').slice(1);
    expect(items).toHaveLength(5);
    // The reporter's own words first (decision 0186), then what happened.
    expect(items[0]).toContain('What you told us');
    expect(items[1]).toContain('Report received');
    expect(items[2]).toContain('Message from Demo Constabulary');
    expect(items[2]).toContain('bl-pre-wrap">Thanks for telling us.\nWe will look at &lt;b&gt;CCTV&lt;/b&gt;.</div>');
    expect(items[3]).toContain(`Case ${created.reference} created`);
    expect(items[4]).toContain('Closed: crime recorded');
    expect(view.body).toContain(`Your report is now case ${created.reference}. To follow the case, check on it again using the case reference ${created.reference}.`);
    expect(view.body).not.toContain('<b>CCTV</b>');
    expect(view.body).not.toContain('staff only');

    const welsh = await visitor.get('/check/report?lang=cy');
    expect(welsh.body).toContain('Adroddiad wedi dod i law');
    expect(welsh.body).toContain('Wedi cau: trosedd wedi’i chofnodi');
  });

  it('refuses a forged or expired access cookie', async () => {
    const visitor = new Visitor(app);
    visitor.cookies.set('bl_access', `00000000-0000-4000-8000-000000000000.${Date.now() + 60_000}`);
    const forged = await visitor.get('/check/report');
    expect(forged.statusCode).toBe(303);
    expect(forged.headers.location).toBe('/check');
  });

  it('gives the same answers for a reference that does not exist', async () => {
    const visitor = new Visitor(app, '10.0.0.6');
    await visitor.open('/check');
    const asked = await visitor.post('/check', { reference: 'DEMO-1999-000001' });
    expect(asked.statusCode).toBe(303);
    expect(asked.headers.location).toBe('/check/code');
    await visitor.open('/check/code');
    const wrong = await visitor.post('/check/code', { code: '123456' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('The code is wrong or has expired');
  });

  it('answers too many code attempts from one address with 429', async () => {
    const visitor = new Visitor(app, '10.0.0.7');
    await visitor.open('/check');
    await visitor.post('/check', { reference: 'DEMO-1999-000002' });
    await visitor.open('/check/code');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await visitor.post('/check/code', { code: '123456' })).statusCode);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    const limited = await visitor.post('/check/code', { code: '123456' });
    expect(limited.statusCode).toBe(429);
    expect(limited.body).toContain('Too many attempts');
  });

  it('renders error pages as escaped GOV.UK pages and never throws', async () => {
    const missing = await new Visitor(app).get('/no/such/page');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
    expect(missing.body).toContain('govuk-template');
    expect(missing.headers['content-security-policy']).toBeTruthy();

    expect(renderPortalError({} as FastifyRequest, 500)).toContain('Sorry, there is a problem with the service');
    expect(renderPortalError(null as unknown as FastifyRequest, 429)).toContain('Too many attempts');
    expect(renderPortalError({ query: { lang: 'cy' } } as unknown as FastifyRequest, 404)).toContain('lang="cy"');
  });

  it('leaves the API to its own error format', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/json/);
    // The API's own policy (it loads nothing), not the portal's.
    expect(response.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(response.headers['content-security-policy']).not.toContain('script-src');
  });
});
