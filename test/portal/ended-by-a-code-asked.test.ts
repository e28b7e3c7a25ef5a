// Since decision 0180, asking for a new code on the browser holding a report's or a case's cookie
// ends that sign-in, and a copy of the cookie elsewhere is sent to the reference form, told why.
// The notice named signing in again and signing out, never asking for a new code, so a person
// whose copy ended that way was told of causes that had not happened. It now names all three, in
// English and Welsh. Without JavaScript: these are the requests a browser makes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor, victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

const MINUTE = 60 * 1000;
const REPORT_ENDED = {
  en: 'You were signed out of your report because someone asked for a new code or entered one for it, or signed out of it, on this device or another. To see your report again, ask for a new code.',
  cy: 'Cawsoch eich allgofnodi o’ch adroddiad oherwydd i rywun ofyn am god newydd neu roi un ar ei gyfer, neu allgofnodi ohono, ar y ddyfais hon neu ar un arall. I weld eich adroddiad eto, gofynnwch am god newydd.',
};
const CASE_ENDED = {
  en: 'You were signed out of your case because you signed in to it again or asked for a new code, or someone signed out of it, on this device or another. To see your case again, ask for a new code.',
  cy: 'Cawsoch eich allgofnodi o’ch achos oherwydd i chi fewngofnodi iddo eto neu ofyn am god newydd, neu i rywun allgofnodi ohono, ar y ddyfais hon neu ar un arall. I weld eich achos eto, gofynnwch am god newydd.',
};

describe(`a sign-in ended by asking for a new code, as its copy is told (${ENGINE})`, () => {
  let app: TestApp;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app.close());

  const nextIp = () => `10.91.0.${(visitors += 1)}`;

  /** What the reference form says once a copy of the cookie has been sent to it. */
  async function noticeOnArrival(copy: Visitor, page: string, lang: 'en' | 'cy') {
    const refused = await copy.get(page);
    expect(refused.statusCode).toBe(303);
    const form = await copy.open(`${refused.headers.location}&lang=${lang}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('data-testid="signed-out"');
    return form.body;
  }

  for (const lang of ['en', 'cy'] as const) {
    it(`tells-a-copy-of-a-report-cookie-that-a-new-code-was-asked-for-${lang}`, async () => {
      const report = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: randomUUID(),
        whatHappened: 'My bicycle was taken from the rack outside the library',
        where: 'Library, Demoton',
        when: 'Yesterday',
        name: 'Rep Orter',
        email: `code.asked.${randomUUID()}@example.org`,
      });
      const visitor = new Visitor(app, nextIp());
      await visitor.open('/check');
      await visitor.post('/check', { reference: report.reference });
      await visitor.open('/check/code');
      clock.advance(MINUTE);
      const mail = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').executeTakeFirstOrThrow(),
      );
      expect((await visitor.post('/check/code', { code: /is (\d{6})/.exec(mail.body)?.[1] ?? '' })).headers.location).toBe('/check/report');
      const copy = visitor.copyTo(nextIp());
      expect((await copy.get('/check/report')).statusCode).toBe(200);
      // The browser holding the cookie asks for a new code: its sign-in, and so the copy's, ends.
      await visitor.open('/check');
      await visitor.post('/check', { reference: report.reference });
      const notice = await noticeOnArrival(copy, '/check/report', lang);
      expect(notice).toContain(REPORT_ENDED[lang]);
    });

    it(`tells-a-copy-of-a-case-cookie-that-a-new-code-was-asked-for-${lang}`, async () => {
      const handler = await signIn(app, 'handler@demo.police.uk');
      const { visitor } = await victimOnCasePage(app, handler, { ip: nextIp(), email: `code.asked.case.${randomUUID()}@example.org`, lang });
      const copy = visitor.copyTo(nextIp());
      expect((await copy.get('/check/case')).statusCode).toBe(200);
      await visitor.open('/check');
      await visitor.post('/check', { reference: 'ABCD-C-2026-999999' });
      const notice = await noticeOnArrival(copy, '/check/case', lang);
      expect(notice).toContain(CASE_ENDED[lang]);
    });
  }
});
