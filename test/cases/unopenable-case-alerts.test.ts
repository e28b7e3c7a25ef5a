import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import type { JobHandler } from '../../src/platform/jobs/jobs.ts';
import { VICTIM_UPDATES_OPEN_JOB, VICTIM_UPDATES_SWEEP_JOB, VICTIM_UPDATES_SWEEP_MS } from '../../src/capabilities/cases/victims-code.events.ts';
import { Visitor } from '../portal-visitor.ts';
import { reportedCase } from '../journeys/journey-kit.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';

// The supervisors' alert about a case whose Victims' Code clocks the sweep cannot open (decisions
// 0123, 0128). The case waits before it is tried again, and only what may put it right ends that
// wait early: its victims changed, a milestone the clocks are opened from. The victim's journey
// messages and their use of the portal change nothing the clocks are opened from: they neither
// bring the case back to the sweep before its time nor, once its alert is acknowledged, alert
// supervisors about it again. Once the clocks are opened the alert says it was put right, and
// when, until a supervisor acknowledges it. Live news of it reaches only those who may list alerts.

type Session = Awaited<ReturnType<typeof signIn>>;
type Alert = { id: string; kind: string; caseId?: string; putRightAt: string | null };

const MINUTE = 60_000;

describe(`the alert about a case whose Victims' Code clocks cannot be opened (${ENGINE})`, () => {
  // Wednesday 2 December 2026, 10:00 in London (GMT).
  const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
  let app: TestApp;
  let handler: Session;
  let investigator: Session;
  let supervisor: Session;

  beforeAll(async () => {
    // The milestones' own jobs are given up: only the sweep opens clocks here.
    const given: JobHandler = async () => {};
    app = await createTestApp({ overrides: { clock, jobHandlers: new Map([[VICTIM_UPDATES_OPEN_JOB, given]]) } });
    // The clocks' table refuses every row of a case listed here, and of a victim named "Unwritable …",
    // as a constraint would.
    await sql`create table test_unwritable_cases (case_id uuid primary key)`.execute(app.database.db);
    await sql`create function test_refuse_unwritable_case() returns trigger language plpgsql security definer as $$
      begin
        if exists (select 1 from test_unwritable_cases where case_id = new.case_id)
          or exists (select 1 from case_people where id = new.case_person_id and name like 'Unwritable %') then
          raise exception 'new row for relation "victim_updates" violates check constraint "victim_updates_victim_check"';
        end if;
        return new;
      end $$`.execute(app.database.db);
    await sql`create trigger test_refuse_unwritable_case before insert on victim_updates for each row execute function test_refuse_unwritable_case()`.execute(app.database.db);
    await signInAll();
  });
  afterAll(() => app.close());

  /** Sessions last a while; the test moves the clock by hours. */
  async function signInAll() {
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
  }
  const api = async <T>(session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const response = await app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const inDemo = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(app.database.db, app.demoForceId, work);
  const sweep = async () => {
    await enqueueRecurringJobs(app.database.db, clock, { type: VICTIM_UPDATES_SWEEP_JOB, intervalMs: VICTIM_UPDATES_SWEEP_MS });
    await app.runner?.runDue();
  };
  const attempts = async (caseId: string) =>
    (
      await inDemo((tx) => tx.selectFrom('events').select('data').where('subject_type', '=', 'case').where('subject_id', '=', caseId).where('type', '=', 'case.victim_updates_not_opened').orderBy('seq').execute())
    ).map((row) => row.data.attempt);
  const caseAlerts = async (caseId: string) => {
    const response = await api<{ alerts: Alert[] }>(supervisor, 'GET', '/api/alerts');
    expect(response.status, response.raw).toBe(200);
    return response.body.alerts.filter((a) => a.caseId === caseId);
  };
  const eventTypesAfter = async (caseId: string, after: Date) =>
    (await inDemo((tx) => tx.selectFrom('events').select('type').where('subject_id', '=', caseId).where('occurred_at', '>=', after).orderBy('seq').execute())).map((row) => row.type);

  /** The victim asks for a code, opens their case on the portal and sends the officer a message. */
  /** The clocks' table refuses this case's rows from now on (the test's trigger). */
  const refuseClocksOf = (caseId: string) => withSystem(app.database.db, (tx) => sql`insert into test_unwritable_cases (case_id) values (${caseId})`.execute(tx));
  /** A case reported online whose clocks the table refuses, after its first sweep has failed to open them. */
  const failedAtTheSweep = async () => {
    const theCase = await reportedCase(app, handler);
    await refuseClocksOf(theCase.caseId);
    await app.runner?.runDue();
    clock.advance(20 * MINUTE);
    await sweep();
    return theCase;
  };

  async function victimWritesOnThePortal(theCase: { caseId: string; reference: string }, message: string) {
    const visitor = new Visitor(app, '10.7.0.1');
    const signedIn = await visitor.signInToCase({ id: theCase.caseId, reference: theCase.reference });
    expect(signedIn.headers.location).toBe('/check/case');
    const page = await visitor.open('/check/case');
    const submissionId = /name="submissionId" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect((await visitor.post('/check/case/message', { message, submissionId })).statusCode).toBe(303);
    await app.runner?.runDue();
  }

  it('leaves a failing case to its wait through journey messages and the portal, and alerts nobody again; a change to its victim ends the wait', async () => {
    const theCase = await failedAtTheSweep();
    const { caseId } = theCase;
    expect(await attempts(caseId)).toEqual([1]);
    const [alert, ...others] = await caseAlerts(caseId);
    expect(others).toEqual([]);
    const failedAt = clock.now();

    // Within the hour's wait: the victim opens the portal and writes; the officer answers, and
    // the journey tells the victim a reply is waiting. None of it is tried as a mend.
    await victimWritesOnThePortal(theCase, 'Is there any news?');
    const threads = await api<{ threads: { contactId: string }[] }>(investigator, 'GET', `/api/cases/${caseId}/conversation`);
    const reply = await api(investigator, 'POST', `/api/cases/${caseId}/conversation/replies`, { contactId: threads.body.threads[0]?.contactId, body: 'We are looking at it.' });
    expect(reply.status, reply.raw).toBe(201);
    await app.runner?.runDue();
    const since = await eventTypesAfter(caseId, failedAt);
    expect(since).toEqual(expect.arrayContaining(['portal.case_code_sent', 'portal.case_access_granted', 'portal.case_message_sent', 'portal.case_reply_sent', 'journey.message_queued']));
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    expect(await attempts(caseId)).toEqual([1]);

    // The supervisor acknowledges the alert; the victim writes again, and the wait runs out: the
    // case is tried again as its second attempt, and no new alert is raised about it.
    expect((await api(supervisor, 'POST', `/api/alerts/${alert?.id ?? ''}/acknowledge`, { note: 'Asked DC Smith to check the victim' })).status).toBe(200);
    await victimWritesOnThePortal(theCase, 'Anything yet?');
    clock.advance(60 * MINUTE);
    await signInAll();
    await sweep();
    expect(await attempts(caseId)).toEqual([1, 2]);
    expect(await caseAlerts(caseId)).toEqual([]);
    // Within the next wait (two hours) more of the portal changes nothing.
    await victimWritesOnThePortal(theCase, 'Hello?');
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    expect(await attempts(caseId)).toEqual([1, 2]);

    // A witness added changes nothing the clocks are opened from either.
    const witness = await api(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'witness', name: 'Wyn Witness' });
    expect(witness.status, witness.raw).toBe(201);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    expect(await attempts(caseId)).toEqual([1, 2]);

    // The investigator changes the victim: that may be the mend, so the next sweep tries at once.
    // It still fails: a first failure since the change, told to supervisors again.
    const people = await api<{ case: { people: { id: string; role: string }[] } }>(investigator, 'GET', `/api/cases/${caseId}`);
    const victim = people.body.case.people.find((p) => p.role === 'victim');
    const changed = await api(investigator, 'PATCH', `/api/cases/${caseId}/people/${victim?.id ?? ''}`, { name: 'Rhian Changed' });
    expect(changed.status, changed.raw).toBe(200);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    expect(await attempts(caseId)).toEqual([1, 2, 1]);
    expect(await caseAlerts(caseId)).toHaveLength(1);

    // Put right (the refusal lifted) and changed again: opened at the next sweep.
    await withSystem(app.database.db, (tx) => sql`delete from test_unwritable_cases where case_id = ${caseId}`.execute(tx));
    expect((await api(investigator, 'PATCH', `/api/cases/${caseId}/people/${victim?.id ?? ''}`, { name: 'Rhian Example' })).status).toBe(200);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    const opened = await inDemo((tx) => tx.selectFrom('victim_updates').select('duty').where('case_id', '=', caseId).execute());
    expect(opened.map((row) => row.duty)).toEqual(['referral']);
    expect(await attempts(caseId)).toEqual([1, 2, 1]);
    // Its alert is put right, and waits for a supervisor (decision 0128).
    const [putRight] = await caseAlerts(caseId);
    expect(putRight?.putRightAt).toBe(clock.now().toISOString());

    // Before a supervisor acknowledges it, a victim added whom the clocks' table refuses: the
    // alert must not go on saying the updates are watched. It is the same alert, open again.
    await refuseClocksOf(caseId);
    const added = await api(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Dai Victim' });
    expect(added.status, added.raw).toBe(201);
    await app.runner?.runDue();
    clock.advance(20 * MINUTE);
    await sweep();
    expect(await attempts(caseId)).toEqual([1, 2, 1, 1]);
    expect(await caseAlerts(caseId)).toEqual([expect.objectContaining({ id: putRight?.id, putRightAt: null })]);
  });

  it('puts-right-the-alert-of-a-case-that-lacks-nothing-once-the-victim-whose-clocks-failed-is-removed', async () => {
    await signInAll();
    const theCase = await reportedCase(app, handler);
    const { caseId } = theCase;
    await app.runner?.runDue();
    clock.advance(20 * MINUTE);
    await sweep();
    // A victim added later whose clocks cannot be opened; the case's first victim has theirs.
    const added = await api<{ casePersonId: string }>(investigator, 'POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Unwritable Bob' });
    expect(added.status, added.raw).toBe(201);
    await app.runner?.runDue();
    clock.advance(20 * MINUTE);
    await sweep();
    expect(await attempts(caseId)).toEqual([1]);
    const [alert] = await caseAlerts(caseId);
    expect(alert?.putRightAt).toBeNull();

    // Added by mistake, the victim is removed: the case owes nothing it has not opened, so no clock
    // is opened, but its victims' updates are watched again, and the alert says so.
    await signInAll();
    const removed = await app.inject({ method: 'DELETE', url: `/api/cases/${caseId}/people/${added.body.casePersonId}`, headers: investigator.headers });
    expect(removed.statusCode, removed.body).toBe(200);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    expect(await caseAlerts(caseId)).toEqual([expect.objectContaining({ id: alert?.id, putRightAt: clock.now().toISOString() })]);
    expect(await attempts(caseId)).toEqual([1]);
  });

  it('tells-only-those-who-may-list-alerts-live-of-a-case-alert-raised-put-right-and-acknowledged', async () => {
    await signInAll();
    const base = await listenForSockets(app);
    const theirs = await openLiveSocket<{ type: string; caseId?: string; alertId?: string }>(base, supervisor);
    const investigators = await openLiveSocket<{ type: string; caseId?: string; alertId?: string }>(base, investigator);
    const theCase = await failedAtTheSweep();
    const { caseId } = theCase;
    const [alert] = await caseAlerts(caseId);

    // Put right (the refusal lifted, the victim's name corrected) and acknowledged.
    await withSystem(app.database.db, (tx) => sql`delete from test_unwritable_cases where case_id = ${caseId}`.execute(tx));
    const people = await api<{ case: { people: { id: string; role: string }[] } }>(investigator, 'GET', `/api/cases/${caseId}`);
    const victim = people.body.case.people.find((p) => p.role === 'victim');
    expect((await api(investigator, 'PATCH', `/api/cases/${caseId}/people/${victim?.id ?? ''}`, { name: 'Rhian Corrected' })).status).toBe(200);
    clock.advance(VICTIM_UPDATES_SWEEP_MS);
    await sweep();
    expect((await caseAlerts(caseId))[0]?.putRightAt).toBe(clock.now().toISOString());
    expect((await api(supervisor, 'POST', `/api/alerts/${alert?.id ?? ''}/acknowledge`, {})).status).toBe(200);
    // Last, a change everyone on the case hears: once the investigator has it, they have had
    // everything sent before it.
    expect((await api(investigator, 'PATCH', `/api/cases/${caseId}/people/${victim?.id ?? ''}`, { name: 'Rhian Example' })).status).toBe(200);

    const about = (m: { caseId?: string }) => m.caseId === caseId;
    await expect
      .poll(() => theirs.messages.filter((m) => m.type.startsWith('alert.') && about(m)).map((m) => m.type), { timeout: 20_000 })
      .toEqual(['alert.raised', 'alert.put_right', 'alert.acknowledged']);
    expect(theirs.messages.filter((m) => m.type.startsWith('alert.') && about(m)).every((m) => m.alertId === alert?.id)).toBe(true);
    await expect.poll(() => investigators.messages.filter((m) => m.type === 'case.victim_updates_changed' && about(m)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => theirs.messages.filter((m) => m.type === 'case.victim_updates_changed' && about(m)).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
    // The investigator reads the case, but cannot list alerts: told of none, nor that one exists.
    expect(investigators.messages.filter((m) => m.type.startsWith('alert.'))).toEqual([]);
    theirs.close();
    investigators.close();
  });
});
