import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, submitPublicReport, type TestApp } from '../../../test/helpers.ts';
import { fixedClock } from '../../platform/clock.ts';
import { withSystem } from '../../platform/db/database.ts';
import type { StaffId } from '../../platform/ids.ts';
import { closeContact } from '../contacts/contacts.service.ts';
import { replyToContact } from '../contacts/contact-replies.service.ts';
import { createCaseFromContact } from '../cases/cases.service.ts';
import {
  CODE_TTL_MS,
  getPublicTimeline,
  requestAccessCode,
  verifyAccessCode,
  type ReportStatusDeps,
} from './report-status.service.ts';

const START = new Date('2026-03-05T10:00:00Z');

describe('report status: one-time codes and the public timeline', () => {
  let app: TestApp;
  let deps: ReportStatusDeps;
  const clock = fixedClock(START);
  let counter = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    deps = { ...app.deps, codeSecret: 'a-test-secret-that-is-not-in-the-database' };
  });
  afterAll(() => app.close());
  beforeEach(() => clock.advance(2 * 60 * 60 * 1000));

  async function newReport(email: string | null = 'reporter@example.org') {
    counter += 1;
    return submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `status-test-${counter}`,
      whatHappened: 'Someone damaged my fence',
      where: '2 Low Road',
      when: 'Last night',
      name: 'Pat Reporter',
      email: email ?? `nobody-${counter}@example.org`,
    });
  }

  const codeMails = (contactId: string) =>
    withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .selectAll()
        .where('contact_id', '=', contactId)
        .where('purpose', '=', 'portal.access_code')
        .orderBy('created_at').orderBy('seq')
        .execute(),
    );
  const codeRows = (contactId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('portal_codes').selectAll().where('contact_id', '=', contactId).orderBy('created_at').orderBy('seq').execute());
  const eventsOf = (contactId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'actor_type', 'data']).where('subject_id', '=', contactId).orderBy('seq').execute());

  async function latestCode(contactId: string): Promise<string> {
    const mails = await codeMails(contactId);
    const match = /is (\d{6})\./.exec(mails.at(-1)?.body ?? '');
    if (!match?.[1]) throw new Error('no code mail');
    return match[1];
  }

  it('emails a code for a known reference, storing only a keyed hash of it', async () => {
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, `  ${report.reference.toLowerCase()} `);
    const mails = await codeMails(report.contactId);
    expect(mails).toHaveLength(1);
    const code = await latestCode(report.contactId);
    expect(mails[0]?.recipient).toBe('reporter@example.org');
    expect(mails[0]?.body).toContain(report.reference);
    expect(mails[0]?.body).toContain('Demo Constabulary');
    const rows = await codeRows(report.contactId);
    expect(rows).toHaveLength(1);
    expect(mails[0]?.idempotency_key).toBe(`code:${rows[0]?.id}`);
    expect(rows[0]?.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.code_hash).not.toContain(code);
    expect(rows[0]?.expires_at.getTime()).toBe(clock.now().getTime() + CODE_TTL_MS);
    const events = await eventsOf(report.contactId);
    const sent = events.find((e) => e.type === 'portal.code_sent');
    expect(sent?.actor_type).toBe('public');
    expect(JSON.stringify(sent?.data)).not.toContain(code);
  });

  it('says nothing and sends nothing for an unknown reference', async () => {
    const before = await withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select('id').execute());
    await expect(requestAccessCode(deps, app.demoForceId, 'DEMO-1999-999999')).resolves.toBeUndefined();
    await expect(requestAccessCode(deps, app.demoForceId, '')).resolves.toBeUndefined();
    const after = await withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select('id').execute());
    expect(after).toHaveLength(before.length);
  });

  it('stops at five codes an hour for one report, silently', async () => {
    const report = await newReport();
    for (let i = 0; i < 7; i += 1) await requestAccessCode(deps, app.demoForceId, report.reference);
    expect(await codeRows(report.contactId)).toHaveLength(5);
    clock.advance(61 * 60 * 1000);
    await requestAccessCode(deps, app.demoForceId, report.reference);
    expect(await codeRows(report.contactId)).toHaveLength(6);
  });

  it('accepts the right code once, and records the access', async () => {
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const code = await latestCode(report.contactId);
    const wrong = code === '000000' ? '000001' : '000000';
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, wrong)).toBeNull();
    expect((await codeRows(report.contactId))[0]?.attempts).toBe(1);
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference.toLowerCase(), `${code.slice(0, 3)} ${code.slice(3)}`)).toEqual({
      contactId: report.contactId,
      signInId: expect.any(String),
    });
    expect((await codeRows(report.contactId))[0]?.used_at).not.toBeNull();
    expect((await eventsOf(report.contactId)).map((e) => e.type)).toContain('portal.access_granted');
    // Used codes do not open the report again.
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, code)).toBeNull();
  });

  it('refuses an expired code', async () => {
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const code = await latestCode(report.contactId);
    clock.advance(CODE_TTL_MS + 1000);
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, code)).toBeNull();
  });

  it('kills a code after five wrong guesses, even if the sixth is right', async () => {
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const code = await latestCode(report.contactId);
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i += 1) expect(await verifyAccessCode(deps, app.demoForceId, report.reference, wrong)).toBeNull();
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, code)).toBeNull();
    expect((await codeRows(report.contactId))[0]?.attempts).toBe(5);
  });

  it('only checks the newest code', async () => {
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const first = await latestCode(report.contactId);
    clock.advance(1000);
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const second = await latestCode(report.contactId);
    if (first !== second) expect(await verifyAccessCode(deps, app.demoForceId, report.reference, first)).toBeNull();
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, second)).toEqual({ contactId: report.contactId, signInId: expect.any(String) });
  });

  it('gives null for an unknown reference or a malformed code', async () => {
    expect(await verifyAccessCode(deps, app.demoForceId, 'DEMO-1999-999999', '123456')).toBeNull();
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, report.reference);
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, 'abcdef')).toBeNull();
    expect(await verifyAccessCode(deps, app.demoForceId, report.reference, '1234567')).toBeNull();
    // A malformed code is not a guess.
    expect((await codeRows(report.contactId))[0]?.attempts).toBe(0);
  });

  it('does not accept a code hashed under another secret', async () => {
    const report = await newReport();
    await requestAccessCode(deps, app.demoForceId, report.reference);
    const code = await latestCode(report.contactId);
    expect(await verifyAccessCode({ ...deps, codeSecret: 'some-other-secret' }, app.demoForceId, report.reference, code)).toBeNull();
  });

  it('builds the public timeline from the event log, oldest first, without internal steps', async () => {
    const report = await newReport();
    const staff = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('staff').select('id').where('email', '=', 'desk@demo.police.uk').executeTakeFirstOrThrow(),
    );
    const staffId = staff.id as StaffId;
    clock.advance(60_000);
    await replyToContact(app.deps, app.demoForceId, report.contactId, staffId, 'Thank you.\nAn officer will call <b>soon</b>.');
    clock.advance(60_000);
    const created = await createCaseFromContact(app.deps, app.demoForceId, report.contactId, staffId);
    clock.advance(60_000);
    await closeContact(app.deps, app.demoForceId, report.contactId, staffId, { outcome: 'advice_given', note: 'internal note' });

    const timeline = await getPublicTimeline(app.deps, app.demoForceId, report.contactId);
    expect(timeline?.reference).toBe(report.reference);
    expect(timeline?.status).toBe('closed');
    // The reporter's own words first, sent as the report was received (decision 0186).
    expect(timeline?.items.map((i) => i.kind)).toEqual(['sent', 'received', 'reply', 'case_created', 'closed']);
    expect(timeline?.items[0]).toMatchObject({ isReport: true, text: 'Someone damaged my fence' });
    expect(timeline?.items[2]?.text).toBe('Thank you.\nAn officer will call <b>soon</b>.');
    expect(timeline?.items[3]?.caseReference).toBe(created.reference);
    expect(timeline?.items[4]?.outcome).toBe('advice_given');
    expect(JSON.stringify(timeline)).not.toContain('internal note');
    const times = timeline?.items.map((i) => i.at.getTime()) ?? [];
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('finds nothing for a contact of another force or no contact at all', async () => {
    expect(await getPublicTimeline(app.deps, app.demoForceId, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
