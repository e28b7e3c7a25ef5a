import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTestStaff, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { StaffId } from '../../src/platform/ids.ts';
import { deactivateStaff } from '../../src/capabilities/staff/staff.service.ts';
import { applyCaseMilestone } from '../../src/capabilities/cases/case-milestones.service.ts';
import { TIMELINE_LIMIT } from '../../src/capabilities/cases/case-timeline.repository.ts';
import { milestone as recordMilestone, outboxOf, reportedCase, type Session } from '../journeys/journey-kit.ts';

// Milestones that would tell a victim something false or empty are refused before they are
// recorded: an outcome the case contradicts, an appointment with no time or place, a change to an
// appointment that is not there, an officer in case who has left or does not work cases. A request
// sent twice with one submission id is recorded once; the timeline shows a busy case's newest events.

type Timeline = { type: string; details: Record<string, string> }[];
type CaseBody = { id: string; status: string; officerInCase: string | null; timeline: Timeline; olderEventsLeftOut: number };
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe('milestones checked against the case and the message the victim is sent', () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let otherInvestigator: Session;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator ?? '', 'other-password');
  });
  afterAll(() => app?.close());

  const post = (session: Session, caseId: string, payload: object) => app.inject({ method: 'POST', url: `/api/cases/${caseId}/milestones`, headers: session.headers, payload });
  const milestone = (caseId: string, payload: Record<string, unknown>, status = 200) => recordMilestone(app, investigator, caseId, payload, status);
  const readCase = async (caseId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ case: CaseBody }>().case;
  };
  const fieldsOf = (response: { json: <T>() => T }) => response.json<ErrorBody>().error.fields?.map((f) => f.path) ?? [];
  const inDays = (days: number) => new Date(app.deps.clock.now().getTime() + days * 86_400_000).toISOString();
  const journeyPurposes = async (caseId: string) => {
    await app.runner?.runDue();
    return (await outboxOf(app, caseId)).map((row) => row.purpose).filter((purpose) => purpose.startsWith('journey:case.') || purpose.startsWith('journey:appointment'));
  };

  it('refuses-a-closing-outcome-the-case-contradicts: no "someone has been charged" without a charge, no "nobody identified" after a charge', async () => {
    const theCase = await reportedCase(app, handler);
    const charge = await milestone(theCase.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed' }, 409);
    expect(charge.json<ErrorBody>().error.message).toContain('record the charge first');
    const caution = await milestone(theCase.caseId, { type: 'close', outcomeCode: '3', reason: 'Cautioned' }, 409);
    expect(caution.json<ErrorBody>().error.message).toContain('record the suspect as identified first');

    await milestone(theCase.caseId, { type: 'suspect_identified' });
    const nobody = await milestone(theCase.caseId, { type: 'close', outcomeCode: '18', reason: 'No suspect' }, 409);
    expect(nobody.json<ErrorBody>().error.message).toContain('nobody was identified');
    await milestone(theCase.caseId, { type: 'charged' });
    const afterCharge = await milestone(theCase.caseId, { type: 'close', outcomeCode: '18', reason: 'No suspect' }, 409);
    expect(afterCharge.json<ErrorBody>().error.message).toContain('close it with outcome 1');

    // Nothing refused was recorded, so nothing was said: the charge, then the close it agrees with.
    expect((await readCase(theCase.caseId)).timeline.some((event) => event.type === 'case.closed')).toBe(false);
    await milestone(theCase.caseId, { type: 'close', outcomeCode: '1', reason: 'Charged with theft' });
    const purposes = await journeyPurposes(theCase.caseId);
    expect(purposes.filter((p) => p.startsWith('journey:case.closed'))).toEqual(['journey:case.closed.charged']);
    expect(purposes.some((p) => p.includes('no_suspect'))).toBe(false);

    // With no suspect recorded, "no suspect identified" is what happened.
    const unsolved = await reportedCase(app, handler);
    await milestone(unsolved.caseId, { type: 'investigate' });
    await milestone(unsolved.caseId, { type: 'close', outcomeCode: '18', reason: 'No CCTV and no witnesses' });
    expect((await journeyPurposes(unsolved.caseId)).filter((p) => p.startsWith('journey:case.closed'))).toEqual(['journey:case.closed.no_suspect']);
  });

  it('refuses-appointments-and-court-dates-without-a-time-or-a-place-or-in-the-past, and a change or cancellation of none', async () => {
    const theCase = await reportedCase(app, handler);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'appointment_made', place: 'Bethel Street' }, 400))).toEqual(['at']);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'appointment_made', at: inDays(3) }, 400))).toEqual(['place']);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'appointment_made', at: '2022-01-01T10:00:00Z', place: 'Bethel Street' }, 400))).toEqual(['at']);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'appointment_made', at: inDays(-1 / 24), place: 'Bethel Street' }, 400))).toEqual(['at']);
    const cancelNone = await milestone(theCase.caseId, { type: 'appointment_cancelled' }, 409);
    expect(cancelNone.json<ErrorBody>().error.message).toContain('no appointment standing');
    await milestone(theCase.caseId, { type: 'appointment_changed', at: inDays(4) }, 409);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'appointment_changed' }, 400))).toEqual(['at']);

    await milestone(theCase.caseId, { type: 'appointment_made', at: inDays(3), place: 'Bethel Street police station' });
    // Its message goes before the change and the cancellation: one overtaken before it goes does not (decision 0126).
    await app.runner?.runDue();
    // A change that gives only a new time keeps the place, and the victim is told it.
    const newTime = inDays(5);
    const changed = (await milestone(theCase.caseId, { type: 'appointment_changed', at: newTime })).json<{ case: CaseBody }>().case;
    expect(changed.timeline.at(-1)).toMatchObject({ type: 'case.appointment_changed', details: { at: newTime, place: 'Bethel Street police station' } });
    await milestone(theCase.caseId, { type: 'appointment_cancelled' });
    await milestone(theCase.caseId, { type: 'appointment_cancelled' }, 409);

    await milestone(theCase.caseId, { type: 'suspect_identified' });
    await milestone(theCase.caseId, { type: 'charged' });
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'court_date_set', place: 'Norwich Crown Court' }, 400))).toEqual(['at']);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'court_date_set', at: inDays(30) }, 400))).toEqual(['place']);

    // Only what was recorded was told, each with its time and place; a court date never was.
    await app.runner?.runDue();
    const sent = (await outboxOf(app, theCase.caseId)).filter((row) => /appointment|court/.test(row.purpose));
    expect(sent.filter((row) => row.purpose === 'journey:case.appointment_made')).toHaveLength(1);
    expect(sent.filter((row) => row.purpose === 'journey:case.appointment_cancelled')).toHaveLength(1);
    expect(sent.some((row) => row.purpose.includes('court'))).toBe(false);
    for (const row of sent) expect(row.body).not.toMatch(/ on {1,2}at | at ,|, \.| at \./);

    // The wrong role and the wrong force are refused before anything is checked.
    expect((await post(handler, theCase.caseId, { type: 'appointment_made', at: inDays(3), place: 'x' })).statusCode).toBe(403);
    expect((await post(otherInvestigator, theCase.caseId, { type: 'appointment_made', at: inDays(3), place: 'x' })).statusCode).toBe(404);
  });

  it('allocates-only-to-active-staff-whose-role-works-cases', async () => {
    const theCase = await reportedCase(app, handler);
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const toDispatcher = await milestone(theCase.caseId, { type: 'allocate', officerInCase: dispatcher.user.id }, 400);
    expect(fieldsOf(toDispatcher)).toEqual(['officerInCase']);
    expect(toDispatcher.json<ErrorBody>().error.message).toContain('does not work cases');

    const leaverId = await addTestStaff(app, app.demoForceId, { email: `leaver-${Date.now()}@demo.police.uk`, name: 'Lee Leaver', role: 'investigator', password: 'demo-password' });
    const admin = await signIn(app, 'admin@demo.police.uk');
    await deactivateStaff(app.deps, app.demoForceId, { staffId: leaverId, actorStaffId: admin.user.id as StaffId });
    const toLeaver = await milestone(theCase.caseId, { type: 'allocate', officerInCase: leaverId }, 400);
    expect(toLeaver.json<ErrorBody>().error.message).toContain('deactivated');

    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    expect((await milestone(theCase.caseId, { type: 'allocate', officerInCase: supervisor.user.id })).json<{ case: CaseBody }>().case.officerInCase).toBe(supervisor.user.id);
    // Nobody was told of the refused allocations: one allocation, one message about it at most.
    expect((await readCase(theCase.caseId)).timeline.filter((event) => event.type === 'case.allocated')).toHaveLength(1);
  });

  it('records-a-double-submitted-milestone-once-with-one-arrest-duty, and one without a submission id each time', async () => {
    const theCase = await reportedCase(app, handler);
    await milestone(theCase.caseId, { type: 'suspect_identified' });
    const submissionId = crypto.randomUUID();
    const twice = await Promise.all([1, 2].map(() => post(investigator, theCase.caseId, { type: 'suspect_arrested', note: 'Arrested at home', submissionId })));
    expect(twice.map((r) => r.statusCode)).toEqual([200, 200]);
    // A retry later, after the first answered, is the same submission too.
    await milestone(theCase.caseId, { type: 'suspect_arrested', note: 'Arrested at home', submissionId });
    expect((await readCase(theCase.caseId)).timeline.filter((event) => event.type === 'case.suspect_arrested')).toHaveLength(1);
    await app.runner?.runDue();
    const duties = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('victim_updates').select('duty').where('case_id', '=', theCase.caseId).where('duty', '=', 'arrest').execute(),
    );
    expect(duties).toHaveLength(1);
    expect((await outboxOf(app, theCase.caseId)).filter((row) => row.purpose.startsWith('journey:case.suspect_arrested'))).toHaveLength(1);

    // An API client that sends none gets what it asked for each time: two interviews are two.
    await milestone(theCase.caseId, { type: 'suspect_interviewed' });
    await milestone(theCase.caseId, { type: 'suspect_interviewed' });
    expect((await readCase(theCase.caseId)).timeline.filter((event) => event.type === 'case.suspect_interviewed')).toHaveLength(2);
    // The same id on another force's case finds no case there.
    expect((await post(otherInvestigator, theCase.caseId, { type: 'investigate', submissionId })).statusCode).toBe(404);
    expect(fieldsOf(await milestone(theCase.caseId, { type: 'investigate', submissionId: 'twice' }, 400))).toEqual(['body.submissionId']);
  });

  it("shows-a-busy-case's-newest-events-and-says-how-many-older-ones-were-left-out", async () => {
    const created = await app.inject({ method: 'POST', url: '/api/cases', headers: investigator.headers, payload: { summary: 'A case with a long history', victims: [{ name: 'Val Victim' }] } });
    const caseId = created.json<{ case: CaseBody }>().case.id;
    expect((await readCase(caseId)).olderEventsLeftOut).toBe(0);
    await withForce(app.database.db, app.demoForceId, async (tx) => {
      for (let i = 0; i < TIMELINE_LIMIT + 10; i++) {
        await applyCaseMilestone(tx, app.deps, app.demoForceId, caseId, { type: 'system', id: null }, { type: 'property_returned', note: `item ${i}` }, 'records_system');
      }
    });
    await milestone(caseId, { type: 'investigate', note: 'the latest' });
    const view = await readCase(caseId);
    expect(view.timeline).toHaveLength(TIMELINE_LIMIT);
    expect(view.timeline.at(-1)).toMatchObject({ type: 'case.investigation_started' });
    expect(view.timeline.some((event) => event.type === 'case.created')).toBe(false);
    const total = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select('id').where('subject_type', '=', 'case').where('subject_id', '=', caseId).execute(),
    );
    expect(view.olderEventsLeftOut).toBe(total.length - TIMELINE_LIMIT);
  });
});
