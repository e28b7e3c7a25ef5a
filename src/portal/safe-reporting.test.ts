import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../../test/helpers.ts';
import { Visitor, hidden } from '../../test/portal-visitor.ts';
import { withSystem } from '../platform/db/database.ts';

// Reporting safely: without an email address (a phone number, or nothing where the force allows
// it), with a privacy notice in both languages, and a quick exit that leaves nothing behind.

describe('reporting safely on the portal', () => {
  let app: TestApp;
  // The portal reads its force's settings once a minute: tests move this clock past that.
  let offsetMs = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock: { now: () => new Date(Date.now() + offsetMs) } } });
  });
  afterAll(() => app.close());

  const REPORT = { whatHappened: 'He follows me home from work every day', where: 'Station Road, Demoton', when: 'Every evening this week' };

  async function send(visitor: Visitor, fields: Record<string, string>, path = '/report/details') {
    const form = await visitor.open(path);
    const response = await visitor.post('/report/details', { submissionId: hidden(form.body, 'submissionId'), ...REPORT, ...fields });
    // What the page said was wrong, to read when a test expects the report to go through.
    const problems = /govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(response.body)?.[1]?.replace(/<a href="([^"]*)">/g, '$1: ').replace(/<[^>]+>|\s+/g, ' ').trim() ?? response.body.slice(0, 300);
    return { form, response, problems };
  }

  // A portal report is processed behind its acknowledgement (decision 0022): wait for it.
  const storedReport = async (submissionId: string) => {
    await app.reports.settled();
    return withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['m.body', 'c.person_id', 'c.meta'])
        .where('m.channel', '=', 'portal')
        .where('m.provider_message_id', '=', submissionId)
        .executeTakeFirstOrThrow(),
    );
  };

  it('takes-a-report-with-only-a-phone-number', async () => {
    const visitor = new Visitor(app);
    const { form, response, problems } = await send(visitor, { phone: '07911 123456', email: '' });
    expect(form.body).toContain('How can we contact you about your report?');
    expect(form.body).toContain('How we use your information');
    expect(form.body).not.toContain('Do not contact me');
    expect(response.statusCode, problems).toBe(200);
    expect(response.body).toMatch(/data-testid="reference">DEMO-/);
    const stored = await storedReport(hidden(form.body, 'submissionId'));
    // The number is the handle replies go to.
    expect(stored.meta).toMatchObject({ sender: { kind: 'phone', value: '+447911123456' } });
    const identities = await withSystem(app.database.db, (tx) => tx.selectFrom('identities').select(['kind', 'value']).where('person_id', '=', stored.person_id ?? '').execute());
    expect(identities).toEqual([{ kind: 'phone', value: '+447911123456' }]);
  });

  it('refuses-a-phone-report-without-a-real-number-and-names-the-field', async () => {
    const { response } = await send(new Visitor(app), { phone: 'call me' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a phone number, like 01632 960 001 or 07700 900 982');
    expect(response.body).toContain('href="#phone"');
    // Neither given: said once, at the first contact field, beside any other mistake.
    const none = await send(new Visitor(app), { where: '' });
    expect(none.response.statusCode).toBe(400);
    expect(none.response.body).toContain('Enter an email address or a phone number');
    expect(none.response.body).toContain('href="#email"');
    expect(none.response.body).toContain('Enter where it happened');
  });

  it('refuses-an-anonymous-report-where-the-force-does-not-take-them', async () => {
    const { response, form } = await send(new Visitor(app), { anonymous: 'yes' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter an email address or a phone number');
    await expect(storedReport(hidden(form.body, 'submissionId'))).rejects.toThrow();
  });

  it('takes-a-report-holding-nul-with-the-character-replaced', async () => {
    // What was typed is kept, the NUL PostgreSQL cannot store made U+FFFD (more in
    // test/portal/unstorable-form-text.test.ts).
    const { form, response, problems } = await send(new Visitor(app), { email: 'nul@example.org', whatHappened: 'He broke\u0000 in' });
    expect(response.statusCode, problems).toBe(200);
    expect((await storedReport(hidden(form.body, 'submissionId'))).body).toBe('He broke\uFFFD in');
  });

  it('leaves-through-exit-telling-the-browser-to-drop-its-copies-and-forgetting-the-reference', async () => {
    const visitor = new Visitor(app);
    await send(visitor, { email: 'leaving@example.org' });
    expect(visitor.cookies.has('bl_ref')).toBe(true);
    const exit = await visitor.get('/exit');
    expect(exit.statusCode).toBe(303);
    expect(exit.headers.location).toBe('https://www.bbc.co.uk/weather');
    expect(exit.headers['clear-site-data']).toBe('"cache"');
    expect(exit.headers['cache-control']).toBe('no-store');
    expect(visitor.cookies.has('bl_ref')).toBe(false);
    expect((await visitor.get('/report/done')).statusCode).toBe(303);
    // Report pages are never kept by the browser's cache to be shown again.
    expect((await visitor.get('/report/details')).headers['cache-control']).toBe('no-store');
  });

  it('takes-an-anonymous-report-where-the-force-allows-it-with-the-notice-in-english-and-welsh', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const set = await app.inject({ method: 'POST', url: '/api/force/settings', headers: admin.headers, payload: { anonymousPortalReports: true } });
    expect(set.statusCode).toBe(200);
    offsetMs += 2 * 60 * 1000;

    const welsh = await new Visitor(app).get('/report/details?lang=cy');
    expect(welsh.body).toContain('Peidiwch â chysylltu â fi');
    expect(welsh.body).toContain('Sut rydyn ni’n defnyddio eich gwybodaeth');
    expect(welsh.body).toContain('Demo Constabulary sy’n gyfrifol am y wybodaeth');

    const visitor = new Visitor(app);
    // The box wins over a number typed before it was ticked: the number is not kept.
    const { form, response, problems } = await send(visitor, { anonymous: 'yes', phone: '07911 654321' });
    expect(form.body).toContain('Do not contact me');
    expect(form.body).toContain('we keep no email address or phone number with your report');
    expect(response.statusCode, problems).toBe(200);
    const stored = await storedReport(hidden(form.body, 'submissionId'));
    expect(stored.person_id).toBeNull();
    expect(stored.meta).not.toHaveProperty('sender');
    expect(JSON.stringify(stored)).not.toContain('7911654321');
    expect((await visitor.get('/report/done')).body).toMatch(/data-testid="reference">DEMO-/);
  });
});
