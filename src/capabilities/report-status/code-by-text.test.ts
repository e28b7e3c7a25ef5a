import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, submitPublicReport, type TestApp } from '../../../test/helpers.ts';
import { fixedClock } from '../../platform/clock.ts';
import { withSystem } from '../../platform/db/database.ts';
import type { StaffId } from '../../platform/ids.ts';
import { createCaseFromContact } from '../cases/cases.service.ts';
import { setVictimPreferences } from '../journeys/preferences.service.ts';
import { preferencesOf } from '../journeys/preferences.schema.ts';

type ContactPreferences = ReturnType<typeof preferencesOf>;
import { requestCaseAccessCode, verifyCaseAccessCode } from '../victim-portal/case-access.service.ts';
import { sendCaseMessage } from '../victim-portal/case-messages.service.ts';
import { requestAccessCode, verifyAccessCode, type ReportStatusDeps } from './report-status.service.ts';

// Someone who reported with a phone number and no email address gets their one-time code by text,
// unless they said, on a case, never to text them.

const START = new Date('2026-03-05T10:00:00Z');

describe('one-time codes by text for people with only a phone number', () => {
  let app: TestApp;
  let deps: ReportStatusDeps;
  let staffId: StaffId;
  const clock = fixedClock(START);
  let counter = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    deps = { ...app.deps, codeSecret: 'a-test-secret-that-is-not-in-the-database' };
    const staff = await withSystem(app.database.db, (tx) => tx.selectFrom('staff').select('id').where('email', '=', 'desk@demo.police.uk').executeTakeFirstOrThrow());
    staffId = staff.id as StaffId;
  });
  afterAll(() => app.close());
  beforeEach(() => clock.advance(2 * 60 * 60 * 1000));

  async function phoneReport(phone: string, language?: string) {
    counter += 1;
    return submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `code-by-text-${counter}`,
      whatHappened: 'Someone damaged my fence',
      where: '2 Low Road',
      when: 'Last night',
      name: 'Pat Reporter',
      email: null,
      phone,
      ...(language ? { language } : {}),
    });
  }

  const codeMessages = (where: { contactId?: string; caseId?: string }) =>
    withSystem(app.database.db, (tx) => {
      let query = tx.selectFrom('outbox').selectAll().where('purpose', '=', 'portal.access_code');
      if (where.contactId) query = query.where('contact_id', '=', where.contactId);
      if (where.caseId) query = query.where('case_id', '=', where.caseId);
      return query.orderBy('created_at').orderBy('seq').execute();
    });
  const codeIn = (body: string | undefined) => /is (\d{6})\./.exec(body ?? '')?.[1] ?? '';

  it('texts the code for a report to the number given, which opens the report', async () => {
    const report = await phoneReport('07911 123451');
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const sent = await codeMessages({ contactId: report.contactId });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'sms', recipient: '+447911123451', subject: '' });
    expect(sent[0]?.body).toContain(report.reference);
    expect(sent[0]?.body).toContain('Demo Constabulary');
    expect(sent[0]?.body.length).toBeLessThanOrEqual(160);
    const code = codeIn(sent[0]?.body);
    expect(code).toMatch(/^\d{6}$/);
    expect((await verifyAccessCode(deps, app.demoForceId, report.reference, code))?.contactId).toBe(report.contactId);
  });

  it('writes the text in Welsh for someone who asked in Welsh', async () => {
    const report = await phoneReport('+447911123452', 'cy');
    await requestAccessCode(deps, app.demoForceId, report.reference, 'cy');
    const [sent] = await codeMessages({ contactId: report.contactId });
    expect(sent?.channel).toBe('sms');
    expect(sent?.body).toMatch(/eich cod i wirio/);
    expect(sent?.body).toContain(report.reference);
  });

  it('texts a case code to a victim with only a phone number, which opens the case', async () => {
    const report = await phoneReport('07911 123453');
    const created = await createCaseFromContact(app.deps, app.demoForceId, report.contactId, staffId);
    await requestCaseAccessCode(deps, app.demoForceId, created.reference);
    const sent = await codeMessages({ caseId: created.id });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'sms', recipient: '+447911123453' });
    const access = await verifyCaseAccessCode(deps, app.demoForceId, created.reference, codeIn(sent[0]?.body), new Date(clock.now().getTime() + 30 * 60 * 1000));
    expect(access?.caseId).toBe(created.id);
    // Signed in, they can write to the officer, as a victim with an email address can.
    const message = await sendCaseMessage(app.deps, app.demoForceId, { caseId: created.id, personId: String(access?.personId), body: 'Any news?', submissionId: 'by-text-1', language: 'en' });
    expect(message.isDuplicate).toBe(false);
  });

  it('never texts a code to someone who said never to text them, or portal only, on a case', async () => {
    const cases: [string, Partial<ContactPreferences>][] = [
      ['07911 123454', { neverSms: true, channels: ['email', 'portal'] }],
      ['07911 123455', { portalOnly: true, channels: ['portal'] }],
    ];
    for (const [phone, said] of cases) {
      const report = await phoneReport(phone);
      const created = await createCaseFromContact(app.deps, app.demoForceId, report.contactId, staffId);
      const reporter = await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('person_id').where('id', '=', created.id).executeTakeFirstOrThrow());
      await setVictimPreferences(app.deps, app.demoForceId, { type: 'staff', id: staffId }, created.id, String(reporter.person_id), { ...preferencesOf(null), ...said });
      await requestAccessCode(deps, app.demoForceId, report.reference);
      await requestCaseAccessCode(deps, app.demoForceId, created.reference);
      expect(await codeMessages({ contactId: report.contactId }), phone).toEqual([]);
      expect(await codeMessages({ caseId: created.id }), phone).toEqual([]);
    }
  });

  it('sends nothing to a number that cannot take a text, and emails whoever gave an email address', async () => {
    const noNumber = await phoneReport('call the front desk');
    await requestAccessCode(deps, app.demoForceId, noNumber.reference);
    expect(await codeMessages({ contactId: noNumber.contactId })).toEqual([]);
    counter += 1;
    const both = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `code-by-text-${counter}`,
      whatHappened: 'Someone damaged my car',
      where: '3 Low Road',
      when: 'Today',
      name: null,
      email: 'both@example.org',
      phone: '07911 123456',
    });
    await requestAccessCode(deps, app.demoForceId, both.reference);
    expect((await codeMessages({ contactId: both.contactId })).map((m) => [m.channel, m.recipient])).toEqual([['email', 'both@example.org']]);
  });
});
