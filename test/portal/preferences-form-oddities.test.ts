import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// The victim's contact preferences posted the way no browser would: a box ticked twice, a box the
// page never offered. The first is read as ticked once (as the ways to contact are); the second is
// refused with a reason beside the boxes, in the reader's language, never a bare 400.

describe(`the preferences form given odd ticks (${ENGINE})`, () => {
  let app: TestApp;
  let visitor: Visitor;
  let caseId = '';

  const savedPreferences = async () => {
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    const { person_id } = await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('person_id').where('id', '=', caseId).executeTakeFirstOrThrow());
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/victims/${person_id ?? ''}/preferences`, headers: investigator.headers });
    return response.json<{ preferences: { channels: string[]; portalOnly: boolean; neverSms: boolean; optOutNonStatutory: boolean } }>().preferences;
  };

  beforeAll(async () => {
    app = await createTestApp();
    const handler = await signIn(app, 'handler@demo.police.uk');
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: 'preferences-oddities-1',
      whatHappened: 'My shed was broken into and tools taken',
      where: '4 High Street',
      when: 'Last night',
      name: 'Vic Tim',
      email: 'odd.ticks@example.org',
    });
    const created = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    const theCase = created.json<{ case: { id: string; reference: string } }>().case;
    caseId = theCase.id;
    visitor = new Visitor(app, '10.61.0.1');
    await visitor.open('/check');
    await visitor.post('/check', { reference: theCase.reference });
    await visitor.open('/check/code');
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('case_id', '=', caseId).where('purpose', '=', 'portal.access_code').executeTakeFirstOrThrow(),
    );
    const signedIn = await visitor.post('/check/code', { code: /is (\d{6})\./.exec(mail.body)?.[1] ?? '' });
    expect(signedIn.headers.location).toBe('/check/case');
    await visitor.open('/check/case/preferences');
  });
  afterAll(() => app.close());

  it('reads-a-safety-box-ticked-several-times-as-ticked-once', async () => {
    const saved = await visitor.post('/check/case/preferences', {
      channels: ['portal', 'email'],
      language: 'en',
      limits: ['neverSms', 'neverSms', 'neverSms', 'optOutNonStatutory'],
    });
    expect(saved.statusCode, saved.body).toBe(303);
    expect(await savedPreferences()).toMatchObject({ channels: ['portal', 'email'], neverSms: true, optOutNonStatutory: true, portalOnly: false });
  });

  it('refuses-a-safety-box-the-page-never-offered-with-a-reason-in-each-language', async () => {
    for (const [lang, reason] of [
      ['en', 'Check what you have entered'],
      ['cy', 'Gwiriwch beth rydych chi wedi’i roi'],
    ] as const) {
      await visitor.open(`/check/case/preferences?lang=${lang}`);
      const refused = await visitor.post(`/check/case/preferences?lang=${lang}`, { channels: ['email'], language: 'en', limits: ['neverEmail'] });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('govuk-error-summary');
      expect(refused.body).toContain('href="#limits"');
      expect(refused.body).toContain(reason);
    }
    // Nothing of the refused form was kept.
    expect(await savedPreferences()).toMatchObject({ channels: ['portal', 'email'], neverSms: true });
  });
});
