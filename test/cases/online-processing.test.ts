// Every online report becomes, within minutes, a draft case with a suggested crime type and its
// reasons, in a queue with two clocks (processed, classified); a dashboard accounts for each one.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { verifyChain } from '../../src/platform/events/event-log.ts';
import { enqueueJob } from '../../src/platform/jobs/enqueue.ts';
import { ONLINE_REPORT_DRAFT_JOB } from '../../src/capabilities/cases/online-report.events.ts';
import { fixedClock } from '../../src/platform/clock.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type Clock = { dueAt: string; doneAt: string | null; isPastDue: boolean; breachedAt: string | null };
type Report = {
  contactId: string;
  contactReference: string;
  caseId: string;
  caseReference: string;
  stage: string;
  suggestedCrimeType: string | null;
  reasons: { crimeType: string; cue: string }[];
  crimeType: string | null;
  processed: Clock;
  classified: Clock;
};
type Dashboard = {
  received: number;
  drafted: number;
  processed: number;
  classified: number;
  awaitingDraft: number;
  pastProcessedClock: { overdue: number; late: number };
  pastClassifiedClock: { overdue: number; late: number };
  isEveryReportAccountedFor: boolean;
  unaccounted: { contactId: string; reference: string }[];
};

const START = new Date('2027-06-01T09:00:00Z');
const MINUTE = 60_000;

describe(`online-report processing (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let supervisor: Session;
  let admin: Session;
  let dispatcher: Session;
  let submitted = 0;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
  });
  afterAll(() => app.close());

  const runJobs = async () => {
    if (!app.runner) throw new Error('no job runner');
    await app.runner.runDue();
  };
  const report = async (whatHappened: string) => {
    submitted += 1;
    const stored = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `online-processing-${submitted}`,
      whatHappened,
      where: '12 High Street, Demoton',
      when: 'Last night',
      name: 'Pat Reporter',
      email: `reporter${submitted}@example.org`,
    });
    return stored.contactId;
  };
  const queue = async (which = 'open') => {
    const response = await app.inject({ method: 'GET', url: `/api/online-reports/queue?which=${which}`, headers: supervisor.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ reports: Report[] }>().reports;
  };
  const inQueue = async (contactId: string, which = 'open') => (await queue(which)).find((r) => r.contactId === contactId);
  const post = (url: string, payload: object, session = supervisor) => app.inject({ method: 'POST', url, headers: session.headers, payload });
  const dashboard = async () => {
    const response = await app.inject({ method: 'GET', url: `/api/online-reports/dashboard?since=${encodeURIComponent(START.toISOString())}`, headers: supervisor.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Dashboard>();
  };
  const eventsOf = (subjectId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', subjectId).orderBy('seq').execute());

  it('drafts a case for a portal report, with a suggested crime type and the words that led to it', async () => {
    const contactId = await report('Someone broke into our house overnight through the back door and stole a laptop');
    expect(await inQueue(contactId)).toBeUndefined();
    await runJobs();
    const drafted = await inQueue(contactId);
    expect(drafted).toMatchObject({ stage: 'drafted', suggestedCrimeType: 'THF-BRE', crimeType: null });
    expect(drafted?.reasons.map((r) => r.cue)).toContain('“broke into our house”');
    expect(drafted?.processed).toEqual({ dueAt: new Date(START.getTime() + 60 * MINUTE).toISOString(), doneAt: null, isPastDue: false, breachedAt: null });
    expect(drafted?.classified.dueAt).toBe(new Date(START.getTime() + 24 * 60 * MINUTE).toISOString());
    // The draft is a recorded case linked to the contact; the victim is not told of it until it is processed.
    const caseRow = await withSystem(app.database.db, (tx) => tx.selectFrom('cases').select(['contact_id', 'status', 'crime_type']).where('id', '=', drafted?.caseId ?? '').executeTakeFirstOrThrow());
    expect(caseRow).toEqual({ contact_id: contactId, status: 'recorded', crime_type: null });
    const journeyJobs = await withSystem(app.database.db, (tx) => tx.selectFrom('jobs').select('id').where('idempotency_key', '=', `${drafted?.caseId ?? ''}:case.report_received`).execute());
    expect(journeyJobs).toHaveLength(0);
    expect((await eventsOf(contactId)).map((e) => e.type)).toContain('online_report.drafted');
    // Running the jobs again drafts nothing more.
    await runJobs();
    expect((await queue()).filter((r) => r.contactId === contactId)).toHaveLength(1);
  });

  it('processes and classifies a report: each step an event, the crime type on the case, the victim told', async () => {
    const contactId = await report('My bike was stolen from outside the station');
    await runJobs();
    expect((await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'THF-BIC' })).statusCode).toBe(409);
    const processed = await post(`/api/online-reports/${contactId}/process`, { summary: 'Bicycle stolen from the station racks', note: 'Checked CCTV request' });
    expect(processed.statusCode, processed.body).toBe(200);
    const afterProcess = processed.json<{ report: Report }>().report;
    expect(afterProcess).toMatchObject({ stage: 'processed', processed: { doneAt: START.toISOString(), isPastDue: false } });
    expect((await post(`/api/online-reports/${contactId}/process`, {})).statusCode).toBe(409);
    // The draft's "case created" milestone runs its journey now, once ("report received").
    const journeyJobs = await withSystem(app.database.db, (tx) => tx.selectFrom('jobs').select('type').where('idempotency_key', '=', `${afterProcess.caseId}:created`).execute());
    expect(journeyJobs.map((j) => j.type)).toEqual(['journey.milestone']);

    expect((await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'NOT-A-TYPE' })).statusCode).toBe(400);
    expect((await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'THF-BIC' }, dispatcher)).statusCode).toBe(403);
    const classified = await post(`/api/online-reports/${contactId}/classify`, { crimeType: 'THF-BIC' });
    expect(classified.statusCode, classified.body).toBe(200);
    expect(classified.json<{ report: Report }>().report).toMatchObject({ stage: 'classified', crimeType: 'THF-BIC' });
    expect(await inQueue(contactId)).toBeUndefined();
    expect(await inQueue(contactId, 'all')).toMatchObject({ stage: 'classified' });
    const caseView = await app.inject({ method: 'GET', url: `/api/cases/${afterProcess.caseId}`, headers: supervisor.headers });
    expect(caseView.json<{ case: { crimeType: string; summary: string } }>().case).toMatchObject({ crimeType: 'THF-BIC', summary: 'Bicycle stolen from the station racks' });
    expect((await eventsOf(contactId)).map((e) => e.type).filter((t) => t.startsWith('online_report.'))).toEqual(['online_report.drafted', 'online_report.processed', 'online_report.classified']);
    expect((await post('/api/online-reports/00000000-0000-4000-8000-000000000000/process', {})).statusCode).toBe(404);
    expect((await post('/api/online-reports/not-an-id/process', {})).statusCode).toBe(400);
  });

  it('flags a report past its processed clock, and the breach is an event; the force sets the clocks', async () => {
    const late = await report('Someone keyed my car and smashed the wing mirror');
    await runJobs();
    clock.advance(61 * MINUTE);
    await runJobs();
    const overdue = await inQueue(late);
    // Found by its check a minute late, missed at its due time.
    expect(overdue?.processed).toMatchObject({ isPastDue: true, doneAt: null, breachedAt: new Date(clock.now().getTime() - MINUTE).toISOString() });
    expect(overdue?.classified.isPastDue).toBe(false);
    expect((await eventsOf(late)).filter((e) => e.type === 'online_report.clock_breached').map((e) => e.data)).toEqual([expect.objectContaining({ clock: 'processed' })]);
    // The report's history (its contact's timeline) shows the breach its check found, as a contact's does.
    const detail = await app.inject({ method: 'GET', url: `/api/contacts/${late}`, headers: supervisor.headers });
    expect(detail.statusCode, detail.body).toBe(200);
    const lines = detail.json<{ timeline: { type: string; summary: string }[] }>().timeline.filter((entry) => entry.type === 'online_report.clock_breached');
    expect(lines.map((entry) => entry.summary)).toEqual([expect.stringMatching(/^Online report processing target missed \(due \d\d \w{3} 2027, \d\d:\d\d\)$/)]);

    const settings = await post('/api/force/settings', { onlineReportProcessedWithinMinutes: 15, onlineReportClassifiedWithinHours: 2 }, admin);
    expect(settings.statusCode, settings.body).toBe(200);
    const quick = await report('I was scammed by a caller who took my card details');
    await runJobs();
    const drafted = await inQueue(quick);
    expect(drafted?.suggestedCrimeType).toBe('FRD');
    expect(drafted?.processed.dueAt).toBe(new Date(clock.now().getTime() + 15 * MINUTE).toISOString());
    expect(drafted?.classified.dueAt).toBe(new Date(clock.now().getTime() + 2 * 60 * MINUTE).toISOString());
    await post('/api/force/settings', { onlineReportProcessedWithinMinutes: 60, onlineReportClassifiedWithinHours: 24 }, admin);
  });

  it('accounts for every report on the dashboard, naming any without a draft', async () => {
    // Jobs not yet run: a report just in waits for its draft; after the grace period it is unaccounted.
    const waiting = await report('Graffiti sprayed on the garden wall');
    let board = await dashboard();
    expect(board.awaitingDraft).toBe(1);
    expect(board.isEveryReportAccountedFor).toBe(true);
    clock.advance(6 * MINUTE);
    board = await dashboard();
    expect(board.isEveryReportAccountedFor).toBe(false);
    expect(board.unaccounted.map((u) => u.contactId)).toEqual([waiting]);

    await runJobs();
    board = await dashboard();
    expect(board).toMatchObject({ received: 5, drafted: 5, processed: 1, classified: 1, awaitingDraft: 0, isEveryReportAccountedFor: true, unaccounted: [] });
    // The burglary and the keyed car are past the hour; nothing is past a day yet.
    expect(board.pastProcessedClock).toEqual({ overdue: 2, late: 0 });
    expect(board.pastClassifiedClock).toEqual({ overdue: 0, late: 0 });
    clock.advance(25 * 60 * MINUTE);
    await runJobs();
    // Sessions end after a day: sign in again.
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    board = await dashboard();
    expect(board.pastClassifiedClock.overdue).toBe(4);
    expect((await app.inject({ method: 'GET', url: '/api/online-reports/dashboard', headers: dispatcher.headers })).statusCode).toBe(403);
  });

  it('checks report clocks many to a transaction; a check that runs before its clock is due fails by itself and waits', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) ids.push(await report(`Someone stole the catalytic converter from my car (${i})`));
    await runJobs();
    const [lengthened, ...others] = ids as [string, ...string[]];
    // Its processed target lengthened after its check was scheduled: the check, when it comes, is early.
    await withSystem(app.database.db, (tx) =>
      tx.updateTable('online_report_processing').set({ processed_due_at: new Date(clock.now().getTime() + 600 * MINUTE) }).where('contact_id', '=', lengthened).execute(),
    );
    clock.advance(61 * MINUTE);
    await runJobs();
    for (const id of others) {
      expect((await eventsOf(id)).filter((e) => e.type === 'online_report.clock_breached').map((e) => e.data)).toEqual([expect.objectContaining({ clock: 'processed' })]);
    }
    expect((await eventsOf(lengthened)).filter((e) => e.type === 'online_report.clock_breached')).toEqual([]);
    const early = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('jobs')
        .select(['state', 'attempts', 'last_error'])
        .where('type', '=', 'online_report.clock_check')
        .where(sql<boolean>`payload->>'contactId' = ${lengthened} and payload->>'clock' = 'processed'`)
        .executeTakeFirstOrThrow(),
    );
    expect({ ...early, attempts: Number(early.attempts) }).toEqual({ state: 'pending', attempts: 1, last_error: 'online report clock processed checked before it is due' });
    expect((await inQueue(lengthened))?.processed).toMatchObject({ isPastDue: false, breachedAt: null });
  });

  it('drafts reports many to a transaction, each as it would be drafted alone, and a bad job fails by itself', async () => {
    const reports: { contactId: string; receivedAt: Date }[] = [];
    for (let i = 0; i < 5; i += 1) {
      const receivedAt = clock.now();
      reports.push({ contactId: await report(`Someone broke into our house overnight and stole a laptop (${i})`), receivedAt });
      clock.advance(MINUTE);
    }
    // A draft job no handler can run, claimed with the others: the batch falls back to one job at a time.
    await withForce(app.database.db, app.demoForceId, (tx) =>
      enqueueJob(tx, app.demoForceId, clock, { type: ONLINE_REPORT_DRAFT_JOB, payload: { contactId: 42 }, idempotencyKey: 'online-report:broken' }),
    );
    await runJobs();
    for (const { contactId, receivedAt } of reports) {
      const drafted = await inQueue(contactId);
      expect(drafted).toMatchObject({ stage: 'drafted', suggestedCrimeType: 'THF-BRE' });
      // Each clock runs from that report's own received time, not from when the batch ran.
      expect(drafted?.processed.dueAt).toBe(new Date(receivedAt.getTime() + 60 * MINUTE).toISOString());
      expect((await eventsOf(contactId)).filter((e) => e.type === 'online_report.drafted')).toHaveLength(1);
      expect((await eventsOf(drafted?.caseId ?? '')).map((e) => e.type)).toContain('case.created');
    }
    const cases = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('cases').select('contact_id').where('contact_id', 'in', reports.map((r) => r.contactId)).execute(),
    );
    expect(cases).toHaveLength(reports.length);
    const broken = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('idempotency_key', '=', 'online-report:broken').executeTakeFirstOrThrow(),
    );
    expect({ ...broken, attempts: Number(broken.attempts) }).toEqual({ state: 'pending', attempts: 1, last_error: 'online report job without a contact' });
    const chain = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(chain.ok).toBe(true);
  });
});
