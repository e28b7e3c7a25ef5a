// A victim's or a reporter's sign-out is recorded once (decision 0180); staff read it on the case's
// and the report's timelines. The case's timeline said only that the victim's sign-in "ended", so
// staff could not tell the victim signing out from a newer sign-in or a code asked for; it now says
// how (decision 0209). Another force's staff see neither the case nor the report. Both pages' "Sign
// out" forms are posted as the pages post them, with their CSRF token.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { Visitor, victimOnCasePage } from '../portal-visitor.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { timelineEntryLabel } from '../../web/console/src/screens/cases/case-text.ts';

const MINUTE = 60 * 1000;

type Session = Awaited<ReturnType<typeof signIn>>;
type CaseTimelineEntry = { type: string; actor: string; note: string | null; details: Record<string, string> };
type ContactTimelineEntry = { type: string; actor: string; summary: string };

describe(`a portal sign-out on staff's timelines (${ENGINE})`, () => {
  let app: TestApp;
  let handler: Session;
  let investigator: Session;
  let otherInvestigator: Session;
  let otherHandler: Session;
  let visitors = 0;
  const clock = fixedClock(new Date('2026-06-01T09:00:00Z'));
  const nextIp = () => `10.81.${Math.floor(visitors / 200)}.${(visitors += 1) % 200}`;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const other = await createOtherForce(app, ['investigator', 'call_handler']);
    otherInvestigator = await signIn(app, other.emails.investigator ?? '', 'other-password');
    otherHandler = await signIn(app, other.emails.call_handler ?? '', 'other-password');
  });
  afterAll(() => app.close());

  const get = (session: Session, url: string) => app.inject({ method: 'GET', url, headers: session.headers });

  async function caseTimeline(session: Session, caseId: string): Promise<CaseTimelineEntry[]> {
    const response = await get(session, `/api/cases/${caseId}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ case: { timeline: CaseTimelineEntry[] } }>().case.timeline;
  }

  it('shows-a-victim-signing-out-once-on-the-case-timeline-saying-so-and-to-no-other-force', async () => {
    const email = `signed.out.${randomUUID()}@example.org`;
    const { visitor, caseId } = await victimOnCasePage(app, handler, { ip: nextIp(), email });
    const copy = visitor.copyTo(nextIp());

    expect((await visitor.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case');
    // Again from the same browser (no sign-in left) and from a copy of its cookie (ended): nothing more.
    expect((await visitor.post('/check/case/sign-out', {})).headers.location).toBe('/check');
    expect((await copy.post('/check/case/sign-out', {})).headers.location).toBe('/check?signedOut=case-ended');

    const timeline = await caseTimeline(investigator, caseId);
    const ended = timeline.filter((entry) => entry.type === 'portal_sign_in.case_ended');
    expect(ended).toEqual([{ at: expect.any(String), type: 'portal_sign_in.case_ended', actor: 'public', note: null, details: { how: 'signed_out', victim: 'on_case', victimName: 'Vic Tim' } }]);
    expect(ended.map(timelineEntryLabel)).toEqual(['Victim signed out of the case page (Vic Tim)']);
    // After the sign-in it ends, naming the victim as the people panel does (decision 0209), and with no address.
    expect(timeline.findIndex((entry) => entry.type === 'portal.case_access_granted')).toBeLessThan(timeline.indexOf(ended[0] as CaseTimelineEntry));
    expect(JSON.stringify(ended)).not.toContain(email);

    expect((await get(otherInvestigator, `/api/cases/${caseId}`)).statusCode).toBe(404);
  });

  it('tells-a-newer-sign-in-and-a-code-asked-for-apart-from-signing-out', async () => {
    const { visitor, caseId } = await victimOnCasePage(app, handler, { ip: nextIp(), email: `again.${randomUUID()}@example.org` });
    const reference = (await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select('reference').where('id', '=', caseId).executeTakeFirstOrThrow())).reference;
    clock.advance(MINUTE);
    const again = new Visitor(app, nextIp());
    expect((await again.signInToCase({ id: caseId, reference })).headers.location).toBe('/check/case');
    await again.open('/check');
    await again.post('/check', { reference });
    // The first browser's sign-out finds its sign-in ended already: nothing more.
    await visitor.post('/check/case/sign-out', {});

    const ended = (await caseTimeline(investigator, caseId)).filter((entry) => entry.type === 'portal_sign_in.case_ended');
    expect(ended.map((entry) => entry.details)).toEqual([
      { how: 'signed_in_again', victim: 'on_case', victimName: 'Vic Tim' },
      { how: 'code_asked', victim: 'on_case', victimName: 'Vic Tim' },
    ]);
    expect(ended.map(timelineEntryLabel)).toEqual([
      'Victim’s sign-in to the case page ended: they signed in to it again (Vic Tim)',
      'Victim’s sign-in to the case page ended: a new code was asked for on that browser (Vic Tim)',
    ]);
  });

  it('shows-a-reporter-signing-out-once-on-the-report-timeline-and-to-no-other-force', async () => {
    const email = `reporter.${randomUUID()}@example.org`;
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: randomUUID(),
      whatHappened: 'My bike was taken from outside the library',
      where: 'Library, Demoton',
      when: 'This morning',
      name: 'Rep Orter',
      email,
    });
    const visitor = new Visitor(app, nextIp());
    await visitor.open('/check');
    await visitor.post('/check', { reference: report.reference });
    await visitor.open('/check/code');
    clock.advance(MINUTE);
    const mail = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('outbox').select('body').where('contact_id', '=', report.contactId).where('purpose', '=', 'portal.access_code').orderBy('created_at', 'desc').orderBy('seq', 'desc').executeTakeFirstOrThrow(),
    );
    expect((await visitor.post('/check/code', { code: /is (\d{6})/.exec(mail.body)?.[1] ?? '' })).headers.location).toBe('/check/report');
    expect((await visitor.open('/check/report')).statusCode).toBe(200);

    expect((await visitor.post('/check/report/sign-out', {})).headers.location).toBe('/check?signedOut=yes');
    expect((await visitor.post('/check/report/sign-out', {})).headers.location).toBe('/check');

    const response = await get(handler, `/api/contacts/${report.contactId}`);
    expect(response.statusCode, response.body).toBe(200);
    const timeline = response.json<{ timeline: ContactTimelineEntry[] }>().timeline;
    expect(timeline.filter((entry) => entry.type === 'portal_sign_in.report_ended')).toEqual([
      expect.objectContaining({ type: 'portal_sign_in.report_ended', actor: 'Member of the public', summary: 'Reporter signed out of the report online' }),
    ]);
    expect((await get(otherHandler, `/api/contacts/${report.contactId}`)).statusCode).toBe(404);
  });
});
