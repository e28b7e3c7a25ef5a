// The THRIVE re-assessment check (`thrive.reassessment_check`), the durable job that follows every
// `thrive.assessed` event, run by the real job runner on an injected clock: when it fires, what it
// records, and what it leaves alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { enqueueJobs } from '../../src/platform/jobs/enqueue.ts';
import { THRIVE_REVIEW_JOB } from '../../src/capabilities/thrive/thrive.events.ts';
import type { ThriveView } from '../../src/capabilities/thrive/thrive.schema.ts';
import { CALM, MINUTE, START, createRoutingWorld, openRoutingApp, type RoutingApp, type RoutingWorld } from '../routing/routing-kit.ts';

/** The demo forces' interval: an assessment is due again 210 minutes after it was made. */
const INTERVAL = 210 * MINUTE;

const assessment = {
  threat: { rating: 'medium', rationale: 'Shed broken into; nobody hurt.' },
  harm: { rating: 'low', rationale: 'Property only.' },
  risk: { rating: 'low', rationale: 'Offender long gone.' },
  investigation: { rating: 'required', rationale: 'Possible footage next door.' },
  vulnerability: { rating: 'none', rationale: 'None known.' },
  engagement: { rating: 'engaged', rationale: 'Keen to help.' },
};

let shared: RoutingApp;
let w: RoutingWorld;
let other: RoutingWorld;
beforeAll(async () => {
  shared = await openRoutingApp();
  w = await createRoutingWorld(shared);
  other = await createRoutingWorld(shared);
});
afterAll(() => shared.close());

const runDue = async () => {
  const runner = shared.app.runner;
  if (!runner) throw new Error('the test app has no job runner');
  return runner.runDue();
};

/** A new contact of the world, assessed now by its call handler; the assessment's id. */
async function assessedContact(world: RoutingWorld): Promise<{ contactId: string; assessmentId: string; dueAt: Date }> {
  const contactId = await world.report(CALM);
  const response = await world.post(world.handler, `/api/contacts/${contactId}/thrive`, assessment);
  expect(response.statusCode, response.body).toBe(201);
  const view = response.json<ThriveView>();
  if (!view.latest || !view.reassessmentDueAt) throw new Error('no assessment stored');
  return { contactId, assessmentId: view.latest.id, dueAt: new Date(view.reassessmentDueAt) };
}

const dueEvents = (world: RoutingWorld, contactId: string) => world.events(contactId, 'thrive.reassessment_due');
const flaggedAt = async (assessmentId: string) =>
  (await withSystem(shared.app.database.db, (tx) => tx.selectFrom('thrive_assessments').select('reassessment_flagged_at').where('id', '=', assessmentId).executeTakeFirstOrThrow()))
    .reassessment_flagged_at;
const jobOf = (assessmentId: string) =>
  withSystem(shared.app.database.db, (tx) =>
    tx.selectFrom('jobs').select(['id', 'state', 'run_at', 'force_id', 'attempts']).where('type', '=', THRIVE_REVIEW_JOB).where('idempotency_key', '=', assessmentId).execute(),
  );

describe(`the THRIVE re-assessment check (${ENGINE})`, () => {
  it('waits for the interval, then records one reassessment_due through the recorder and flags the assessment', async () => {
    w.clock.set(START);
    const { contactId, assessmentId, dueAt } = await assessedContact(w);
    expect(dueAt.getTime()).toBe(w.clock.now().getTime() + INTERVAL);
    // The job follows from the assessment's event, in the assessment's force, due when it is.
    const [job] = await jobOf(assessmentId);
    expect(job).toMatchObject({ state: 'pending', force_id: w.forceId });
    expect(job?.run_at.getTime()).toBe(dueAt.getTime());

    // A minute early: the job is not run, nothing is recorded.
    w.clock.set(new Date(dueAt.getTime() - MINUTE));
    await runDue();
    expect(await dueEvents(w, contactId)).toEqual([]);
    expect(await flaggedAt(assessmentId)).toBeNull();

    w.clock.set(dueAt);
    await runDue();
    const due = await dueEvents(w, contactId);
    expect(due).toEqual([{ type: 'thrive.reassessment_due', actor_type: 'system', actor_id: null, data: { assessmentId, dueAt: dueAt.toISOString() } }]);
    expect((await flaggedAt(assessmentId))?.getTime()).toBe(dueAt.getTime());
    expect((await jobOf(assessmentId))[0]?.state).toBe('done');
    // Through the recorder: on the force's chain, hashed on to the event before it.
    const [stored] = await withForce(shared.app.database.db, w.forceId, (tx) =>
      tx.selectFrom('events').select(['force_id', 'hash', 'prev_hash']).where('subject_id', '=', contactId).where('type', '=', 'thrive.reassessment_due').execute(),
    );
    expect(stored?.force_id).toBe(w.forceId);
    expect(stored?.hash).toBeTruthy();
    expect(stored?.prev_hash).toBeTruthy();

    const view = (await w.get(w.handler, `/api/contacts/${contactId}/thrive`)).json<ThriveView>();
    expect(view).toMatchObject({ isOverdue: true, isReassessmentFlagged: true });
  });

  it('records-nothing-twice-when-the-job-is-run-again (a worker that committed and died before marking it done)', async () => {
    w.clock.set(START);
    const { contactId, assessmentId, dueAt } = await assessedContact(w);
    w.clock.set(dueAt);
    await runDue();
    expect(await dueEvents(w, contactId)).toHaveLength(1);
    const flagged = await flaggedAt(assessmentId);
    // The lease of the run that did the work runs out without the job marked done: another worker takes it over.
    const [job] = await jobOf(assessmentId);
    await withSystem(shared.app.database.db, (tx) =>
      tx.updateTable('jobs').set({ state: 'running', locked_until: new Date(dueAt.getTime() - 1) }).where('id', '=', job?.id ?? '').execute(),
    );
    w.clock.advance(MINUTE);
    expect(await runDue()).toBeGreaterThanOrEqual(1);
    expect((await jobOf(assessmentId))[0]).toMatchObject({ state: 'done', attempts: 2 });
    expect(await dueEvents(w, contactId)).toHaveLength(1);
    expect(await flaggedAt(assessmentId)).toEqual(flagged);
  });

  it('reads the contact as it is when due: closed since, nothing; closed and reopened since, flagged', async () => {
    w.clock.set(START);
    const closed = await assessedContact(w);
    const reopened = await assessedContact(w);
    for (const { contactId } of [closed, reopened]) {
      const response = await w.post(w.handler, `/api/contacts/${contactId}/close`, { outcome: 'advice_given' });
      expect(response.statusCode, response.body).toBe(200);
    }
    w.clock.advance(30 * MINUTE);
    expect((await w.post(w.handler, `/api/contacts/${reopened.contactId}/reopen`, { reason: 'They rang back' })).statusCode).toBe(200);

    w.clock.set(new Date(Math.max(closed.dueAt.getTime(), reopened.dueAt.getTime())));
    await runDue();
    expect(await dueEvents(w, closed.contactId)).toEqual([]);
    expect(await flaggedAt(closed.assessmentId)).toBeNull();
    expect((await jobOf(closed.assessmentId))[0]?.state).toBe('done');
    expect((await dueEvents(w, reopened.contactId)).map((e) => e.data)).toEqual([{ assessmentId: reopened.assessmentId, dueAt: reopened.dueAt.toISOString() }]);
  });

  it('does nothing for an assessment answered since: the newer one has its own check', async () => {
    w.clock.set(START);
    const first = await assessedContact(w);
    w.clock.advance(60 * MINUTE);
    const again = await w.post(w.handler, `/api/contacts/${first.contactId}/thrive`, assessment);
    expect(again.statusCode, again.body).toBe(201);
    const secondId = again.json<ThriveView>().latest?.id ?? '';
    w.clock.set(first.dueAt);
    await runDue();
    expect(await dueEvents(w, first.contactId)).toEqual([]);
    w.clock.set(new Date(first.dueAt.getTime() + 60 * MINUTE));
    await runDue();
    expect((await dueEvents(w, first.contactId)).map((e) => e.data.assessmentId)).toEqual([secondId]);
  });

  it("leaves-another-force's-contact-untouched", async () => {
    w.clock.set(START);
    const ours = await assessedContact(w);
    // Theirs is assessed an hour later, so its own check is not yet due when ours is.
    w.clock.advance(60 * MINUTE);
    const theirs = await assessedContact(other);
    // A check in our force that names their contact and assessment (a job no assessment of ours made).
    await withForce(shared.app.database.db, w.forceId, (tx) =>
      enqueueJobs(tx, w.forceId, w.clock, [
        { type: THRIVE_REVIEW_JOB, payload: { assessmentId: theirs.assessmentId, contactId: theirs.contactId }, idempotencyKey: `cross-${theirs.assessmentId}`, runAt: ours.dueAt },
      ]),
    );
    w.clock.set(ours.dueAt);
    await runDue();
    expect(await dueEvents(other, theirs.contactId)).toEqual([]);
    expect(await flaggedAt(theirs.assessmentId)).toBeNull();
    // Their check, when it falls due, is theirs alone.
    w.clock.set(theirs.dueAt);
    await runDue();
    expect((await dueEvents(other, theirs.contactId)).map((e) => e.data.assessmentId)).toEqual([theirs.assessmentId]);
    const ourDue = await withSystem(shared.app.database.db, (tx) =>
      tx.selectFrom('events').select(['force_id', 'subject_id']).where('type', '=', 'thrive.reassessment_due').where('subject_id', 'in', [ours.contactId, theirs.contactId]).execute(),
    );
    expect(ourDue).toHaveLength(2);
    expect(ourDue).toEqual(expect.arrayContaining([{ force_id: w.forceId, subject_id: ours.contactId }, { force_id: other.forceId, subject_id: theirs.contactId }]));
  });
});
