import { describe, expect, it } from 'vitest';
import { ENGINE, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { JobHandler } from '../../src/platform/jobs/jobs.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';
import { createNotToldAfterAllHandler, notDecidedAgainReason } from '../../src/capabilities/journeys/not-told-after-all.jobs.ts';
import { MESSAGE_NOT_SENT_JOB } from '../../src/capabilities/outbox/outbox.events.ts';
import { notifyFixture, postNotifyReceipt } from '../outbox/outbox-kit.ts';
import { journeyEventsOf, listedHearing } from './journey-kit.ts';
import { useNotifyJourneyApp } from './notify-journey-kit.ts';

// The job that decides again a victim added again whom a message to the row they were on did not
// reach after all (decision 0152) is given up: nobody else would decide them again, so staff read
// it on the case, in their words, and an admin's retry decides it, once (decisions 0116, 0160).

const REMINDER = 'journey:case.court_date.reminder';
const CALLBACK_TOKEN = 'not-told-given-up-callback-token';

describe(`a victim added again whose deciding again is given up (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the hearing is on Tuesday 12 May at 10:00, its reminder on Sunday 10 May.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  /** Every attempt fails before it decides (the database refusing it, say) until this is mended. */
  let isBroken = true;
  const handler: JobHandler = (context) => {
    if (isBroken) throw new Error('could not serialise access due to concurrent update');
    return createNotToldAfterAllHandler({ clock })(context);
  };
  const kit = useNotifyJourneyApp({ clock, callbackToken: CALLBACK_TOKEN, idStem: '7e0a1c2e', jobHandlers: new Map([[MESSAGE_NOT_SENT_JOB, handler]]) });
  const { inForce, runAll, call } = kit;

  const addVictim = async (caseId: string, name: string, phone: string) => (await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name, phone })).json<{ casePersonId: string }>().casePersonId;
  const remindersOf = (caseId: string, victimId: string) =>
    inForce((tx) =>
      tx.selectFrom('outbox').select(['id', 'status', 'provider_message_id']).where('case_id', '=', caseId).where('purpose', '=', REMINDER).where('idempotency_key', 'like', `%:${victimId}`).execute(),
    );
  const jobsOf = () => inForce((tx) => tx.selectFrom('jobs').select(['id', 'state', 'attempts', 'last_error']).where('type', '=', MESSAGE_NOT_SENT_JOB).execute());

  it('names-on-the-case-a-victim-added-again-left-undecided-when-the-job-is-given-up-and-decides-them-once-on-a-retry', async () => {
    const phone = '+447700900822';
    const { caseId } = await listedHearing(kit.app, clock);
    await runAll();
    const first = await addVictim(caseId, 'Bo Given', phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    // Sunday: Notify takes the first row's reminder; the victim is removed and added again, refused it as told.
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    const [sent] = await remindersOf(caseId, first);
    expect(sent?.status).toBe('sent');
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, 'Bo Given', phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();

    // The text bounces; the job that would decide them again fails every attempt.
    const failure = { ...notifyFixture('delivery-receipt-permanent-failure.json'), id: sent?.provider_message_id, reference: sent?.id };
    expect((await postNotifyReceipt(kit.app, CALLBACK_TOKEN, failure)).statusCode).toBe(200);
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await runAll();
      clock.advance(15 * 60_000);
    }
    const [job] = await jobsOf();
    expect(job).toMatchObject({ state: 'dead', attempts: 8 });
    expect(await remindersOf(caseId, again)).toEqual([]);
    const given = (await journeyEventsOf(kit.app, caseId)).filter((e) => e.type === 'journey.message_suppressed' && e.data.victimId === again && e.data.reason === notDecidedAgainReason(8));
    expect(given).toHaveLength(1);
    expect(given[0]?.data).toMatchObject({ step: 'case.court_date.reminder', channel: null });
    // The job's own error stays with the job, for an admin.
    expect(JSON.stringify(given)).not.toContain('serialise');

    // Mended, and retried by an admin: reminded, once.
    isBroken = false;
    const admin = await signIn(kit.app, 'admin@demo.police.uk');
    expect((await kit.app.inject({ method: 'POST', url: `/api/jobs/${job?.id ?? ''}/retry`, headers: admin.headers })).statusCode).toBe(200);
    await runAll();
    const reminded = await remindersOf(caseId, again);
    expect(reminded.map((r) => r.status)).toEqual(['sent']);
    expect((await jobsOf()).map((j) => j.state)).toEqual(['done']);
  });
});
