import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createOtherForce, createTestApp, ENGINE, signIn, submitPublicReport, type TestApp } from '../../../test/helpers.ts';
import { fixedClock } from '../../platform/clock.ts';
import { withSystem } from '../../platform/db/database.ts';
import { closeContact } from '../contacts/contacts.service.ts';
import type { StaffId } from '../../platform/ids.ts';
import type { ThriveView } from './thrive.schema.ts';
import type { GradeDefinition, GradeView } from '../grading/grading.schema.ts';

const START = new Date('2026-03-02T09:00:00Z');
const MINUTE = 60_000;

const fullAssessment = (overrides: Record<string, unknown> = {}) => ({
  threat: { rating: 'high', rationale: 'Caller says her partner threatened to kill her tonight.' },
  harm: { rating: 'high', rationale: 'Previous injuries reported.' },
  risk: { rating: 'medium', rationale: 'Partner not at the address now.' },
  investigation: { rating: 'urgent', rationale: 'Threats to kill: evidence on her phone.' },
  vulnerability: { rating: 'possible', rationale: 'Lives alone with a young child.' },
  engagement: { rating: 'engaged', rationale: 'Answering questions, wants police help.' },
  ...overrides,
});

type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

describe(`THRIVE and grading (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let inject: TestApp['inject'];
  let handler: Awaited<ReturnType<typeof signIn>>['headers'];
  let dispatcher: Awaited<ReturnType<typeof signIn>>['headers'];
  let reportNumber = 0;

  const signInHere = async (email: string, password = 'demo-password') => {
    const response = await inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    expect(response.statusCode, response.body).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'bl_session');
    return { cookie: `bl_session=${cookie?.value ?? ''}`, 'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken };
  };

  const newContact = async (whatHappened: string) => {
    reportNumber += 1;
    const result = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: `thrive-${reportNumber}`,
      whatHappened,
      where: 'High Street',
      when: 'tonight',
      name: 'Sam',
      email: `sam${reportNumber}@example.org`,
    });
    return result.contactId;
  };

  const eventsOf = (contactId: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'data', 'actor_type']).where('subject_id', '=', contactId).orderBy('seq').execute(),
    );

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    inject = app.inject;
    handler = await signInHere('handler@demo.police.uk');
    dispatcher = await signInHere('dispatch@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
  });

  it('pre-fills a draft from the triage of a threatening report', async () => {
    const contactId = await newContact('My partner said he is going to kill me and he has a knife');
    const response = await inject({ method: 'GET', url: `/api/contacts/${contactId}/thrive`, headers: handler });
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json<ThriveView>();
    expect(view.latest).toBeNull();
    expect(view.history).toEqual([]);
    expect(view.reassessmentDueAt).toBeNull();
    expect(view.isOverdue).toBe(false);
    expect(view.reassessAfterMinutes).toBe(210);
    expect(view.draft.threat.rating).toBe('high');
    expect(view.draft.threat.suggestedBy).toContain('"going to kill me" (threat to life)');
    expect(view.draft.risk).toEqual({ rating: 'medium', suggestedBy: ['"my partner" (domestic abuse)'] });
    expect(view.draft.vulnerability.rating).toBe('possible');
    expect(view.draft.investigation).toEqual({ rating: 'urgent', suggestedBy: ['triage priority 1'] });
    expect(view.draft.engagement.rating).toBeNull();
  });

  it('rejects an assessment with a missing element, naming it', async () => {
    const contactId = await newContact('Someone keeps ringing my doorbell');
    const { vulnerability: _omitted, ...partial } = fullAssessment();
    const response = await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: handler, payload: partial });
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.map((f) => f.path)).toContain('body.vulnerability');

    const badRating = await inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/thrive`,
      headers: handler,
      payload: fullAssessment({ investigation: { rating: 'high', rationale: 'x' } }),
    });
    expect(badRating.statusCode).toBe(400);
    expect(badRating.json<ErrorBody>().error.fields?.map((f) => f.path)).toContain('body.investigation.rating');

    const emptyRationale = await inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/thrive`,
      headers: handler,
      payload: fullAssessment({ harm: { rating: 'low', rationale: '   ' } }),
    });
    expect(emptyRationale.statusCode).toBe(400);
    expect(emptyRationale.json<ErrorBody>().error.fields?.map((f) => f.path)).toContain('body.harm.rationale');
    expect((await eventsOf(contactId)).filter((e) => e.type === 'thrive.assessed')).toHaveLength(0);
  });

  it('keeps every assessment, appends events, and runs the re-assessment clock from the latest', async () => {
    clock.set(START);
    const contactId = await newContact('My ex punched me and said he is going to kill me');
    const first = await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: handler, payload: fullAssessment() });
    expect(first.statusCode, first.body).toBe(201);
    const afterFirst = first.json<ThriveView>();
    expect(afterFirst.latest?.assessor.name).toBeTruthy();
    expect(afterFirst.reassessmentDueAt).toBe(new Date(START.getTime() + 210 * MINUTE).toISOString());
    expect(afterFirst.isOverdue).toBe(false);

    clock.advance(60 * MINUTE);
    const second = await inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/thrive`,
      headers: handler,
      payload: fullAssessment({ risk: { rating: 'high', rationale: 'He is back outside the house.' } }),
    });
    expect(second.statusCode).toBe(201);
    const view = second.json<ThriveView>();
    expect(view.history).toHaveLength(2);
    expect(view.latest?.elements.risk).toEqual({ rating: 'high', rationale: 'He is back outside the house.' });
    expect(view.history[1]?.elements.risk.rating).toBe('medium');
    const secondDue = new Date(START.getTime() + 270 * MINUTE);
    expect(view.reassessmentDueAt).toBe(secondDue.toISOString());

    const assessed = (await eventsOf(contactId)).filter((e) => e.type === 'thrive.assessed');
    expect(assessed).toHaveLength(2);
    expect(assessed[1]?.actor_type).toBe('staff');
    expect(assessed[1]?.data).toMatchObject({ ratings: { threat: 'high', risk: 'high', engagement: 'engaged' } });
    expect(JSON.stringify(assessed[1]?.data)).not.toContain('back outside');

    // The first timer falls due: the contact was re-assessed since, so nothing happens.
    clock.set(new Date(START.getTime() + 215 * MINUTE));
    await app.runner?.runDue();
    expect((await eventsOf(contactId)).filter((e) => e.type === 'thrive.reassessment_due')).toHaveLength(0);
    const notYet = (await inject({ method: 'GET', url: `/api/contacts/${contactId}/thrive`, headers: handler })).json<ThriveView>();
    expect(notYet.isOverdue).toBe(false);
    expect(notYet.isReassessmentFlagged).toBe(false);

    // The second timer falls due unanswered: flagged, one event, overdue.
    clock.set(new Date(secondDue.getTime() + MINUTE));
    await app.runner?.runDue();
    await app.runner?.runDue();
    const due = (await eventsOf(contactId)).filter((e) => e.type === 'thrive.reassessment_due');
    expect(due).toHaveLength(1);
    expect(due[0]?.actor_type).toBe('system');
    const overdue = (await inject({ method: 'GET', url: `/api/contacts/${contactId}/thrive`, headers: handler })).json<ThriveView>();
    expect(overdue.isOverdue).toBe(true);
    expect(overdue.isReassessmentFlagged).toBe(true);
    clock.set(START);
  });

  it('does not flag a contact that was closed before its re-assessment fell due', async () => {
    clock.set(START);
    const contactId = await newContact('Threatened to kill my neighbour');
    expect((await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: handler, payload: fullAssessment() })).statusCode).toBe(201);
    const staff = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('staff').select('id').where('email', '=', 'handler@demo.police.uk').executeTakeFirstOrThrow(),
    );
    await closeContact(app.deps, app.demoForceId, contactId, staff.id as StaffId, { outcome: 'advice_given' });
    clock.advance(300 * MINUTE);
    await app.runner?.runDue();
    expect((await eventsOf(contactId)).filter((e) => e.type === 'thrive.reassessment_due')).toHaveLength(0);
    const view = (await inject({ method: 'GET', url: `/api/contacts/${contactId}/thrive`, headers: handler })).json<ThriveView>();
    expect(view.isOverdue).toBe(false);
    const refused = await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: handler, payload: fullAssessment() });
    expect(refused.statusCode).toBe(409);
    clock.set(START);
  });

  it('uses the force interval from settings', async () => {
    clock.set(START);
    await withSystem(app.database.db, (tx) =>
      sql`update forces set settings = settings || '{"thriveReassessAfterMinutes": 30}'::jsonb where id = ${app.demoForceId}`.execute(tx),
    );
    try {
      const contactId = await newContact('Loud party next door');
      const view = (
        await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: handler, payload: fullAssessment() })
      ).json<ThriveView>();
      expect(view.reassessAfterMinutes).toBe(30);
      expect(view.reassessmentDueAt).toBe(new Date(START.getTime() + 30 * MINUTE).toISOString());
    } finally {
      await withSystem(app.database.db, (tx) =>
        sql`update forces set settings = settings - 'thriveReassessAfterMinutes' where id = ${app.demoForceId}`.execute(tx),
      );
    }
  });

  it('lists the grade definitions with default targets', async () => {
    const response = await inject({ method: 'GET', url: '/api/grades', headers: dispatcher });
    expect(response.statusCode).toBe(200);
    const grades = response.json<{ grades: GradeDefinition[] }>().grades;
    expect(grades.map((g) => [g.grade, g.targetMinutes])).toEqual([
      ['immediate', 15],
      ['priority', 60],
      ['scheduled', 2880],
      ['resolution_without_deployment', null],
    ]);
  });

  it('grades, requires a reason to regrade, and keeps the original', async () => {
    clock.set(START);
    const contactId = await newContact('Man with a knife outside the shop');
    const first = await inject({ method: 'POST', url: `/api/contacts/${contactId}/grade`, headers: handler, payload: { grade: 'immediate' } });
    expect(first.statusCode, first.body).toBe(201);
    const graded = first.json<GradeView>();
    expect(graded.current?.grade).toBe('immediate');
    expect(graded.current?.targetAt).toBe(new Date(START.getTime() + 15 * MINUTE).toISOString());
    expect(graded.isTargetBreached).toBe(false);

    clock.advance(20 * MINUTE);
    const noReason = await inject({ method: 'POST', url: `/api/contacts/${contactId}/grade`, headers: handler, payload: { grade: 'priority' } });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json<ErrorBody>().error.fields?.map((f) => f.path)).toContain('body.reason');
    const same = await inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/grade`,
      headers: handler,
      payload: { grade: 'immediate', reason: 'again' },
    });
    expect(same.statusCode).toBe(409);
    const breached = (await inject({ method: 'GET', url: `/api/contacts/${contactId}/grade`, headers: dispatcher })).json<GradeView>();
    expect(breached.isTargetBreached).toBe(true);

    const regrade = await inject({
      method: 'POST',
      url: `/api/contacts/${contactId}/grade`,
      headers: handler,
      payload: { grade: 'priority', reason: 'Suspect has left; caller safe inside.' },
    });
    expect(regrade.statusCode, regrade.body).toBe(201);
    const view = regrade.json<GradeView>();
    expect(view.current).toMatchObject({ grade: 'priority', previousGrade: 'immediate', reason: 'Suspect has left; caller safe inside.' });
    expect(view.current?.targetAt).toBe(new Date(START.getTime() + 80 * MINUTE).toISOString());
    expect(view.history.map((h) => h.grade)).toEqual(['priority', 'immediate']);

    const events = (await eventsOf(contactId)).filter((e) => e.type.startsWith('contact.') && e.type.endsWith('graded'));
    expect(events.map((e) => e.type)).toEqual(['contact.graded', 'contact.regraded']);
    expect(events[1]?.data).toMatchObject({ from: 'immediate', to: 'priority', reason: 'Suspect has left; caller safe inside.' });
    clock.set(START);
  });

  it('denies-dispatcher assessing and grading (403) and anonymous callers (401)', async () => {
    const contactId = await newContact('Bike stolen');
    const assess = await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: dispatcher, payload: fullAssessment() });
    expect(assess.statusCode).toBe(403);
    const grade = await inject({ method: 'POST', url: `/api/contacts/${contactId}/grade`, headers: dispatcher, payload: { grade: 'scheduled' } });
    expect(grade.statusCode).toBe(403);
    expect((await inject({ method: 'GET', url: `/api/contacts/${contactId}/thrive` })).statusCode).toBe(401);
    expect((await inject({ method: 'GET', url: '/api/grades' })).statusCode).toBe(401);
  });

  it('hides-other-force-contacts with 404', async () => {
    const contactId = await newContact('Car broken into');
    const other = await createOtherForce(app, ['call_handler']);
    const otherHandler = await signInHere(other.emails.call_handler ?? '', 'other-password');
    for (const url of [`/api/contacts/${contactId}/thrive`, `/api/contacts/${contactId}/grade`]) {
      expect((await inject({ method: 'GET', url, headers: otherHandler })).statusCode).toBe(404);
    }
    expect(
      (await inject({ method: 'POST', url: `/api/contacts/${contactId}/thrive`, headers: otherHandler, payload: fullAssessment() })).statusCode,
    ).toBe(404);
    expect(
      (await inject({ method: 'POST', url: `/api/contacts/${contactId}/grade`, headers: otherHandler, payload: { grade: 'scheduled' } })).statusCode,
    ).toBe(404);
  });
});
