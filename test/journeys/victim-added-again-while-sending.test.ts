import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { toJob } from '../../src/platform/jobs/job-types.ts';
import { createMilestoneHandler, milestoneOfJob, sendJourneyMessages } from '../../src/capabilities/journeys/journey-send.service.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';
import { createNotToldAfterAllHandler } from '../../src/capabilities/journeys/not-told-after-all.jobs.ts';
import { MESSAGE_NOT_SENT_JOB } from '../../src/capabilities/outbox/outbox.events.ts';
import { markOutboxSent } from '../../src/capabilities/outbox/outbox-delivery.repository.ts';
import { notifyFixture, postNotifyReceipt } from '../outbox/outbox-kit.ts';
import { listedHearing, setPreferences } from './journey-kit.ts';
import { useNotifyJourneyApp } from './notify-journey-kit.ts';

// A victim removed from a case and added again is told each thing once (decisions 0137, 0143,
// 0150, 0152). The message waiting for the row they were on goes, or it does not: while its
// delivery is with the provider nobody knows yet which, so the journey of the row they are on now
// neither queues the same message beside it (told twice) nor counts it as told for good (and loses
// it, when the provider turns it down): it is decided again when that message does not reach them
// after all, as when one recorded sent bounces hours later.

const REMINDER = 'journey:case.court_date.reminder';
const REMOVED = 'the victim was removed from the case';
const TOLD_BEFORE = 'told to them before they were removed from the case';
const NOT_KNOWN_YET =
  'a message of this to the row this victim was on before they were removed was being sent: whether it told them was not known yet; should it not reach them, they are told it then';
const CALLBACK_TOKEN = 'added-again-notify-callback-token';

describe(`a victim added again while the message to the row they were on is being sent (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the hearing is on Tuesday 12 May at 10:00, its reminder on Sunday 10 May.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const kit = useNotifyJourneyApp({ clock, callbackToken: CALLBACK_TOKEN, idStem: '8e0a1c2e' });
  const { inForce, runAll, call } = kit;
  let numbers = 0;

  const addVictim = async (caseId: string, name: string, phone: string) =>
    (await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name, phone })).json<{ casePersonId: string }>().casePersonId;
  const remindersOf = (caseId: string, victimId: string) =>
    inForce((tx) =>
      tx.selectFrom('outbox').select(['id', 'status', 'last_error']).where('case_id', '=', caseId).where('purpose', '=', REMINDER).where('idempotency_key', 'like', `%:${victimId}`).execute(),
    );
  const referenceOf = (body: string) => (JSON.parse(body || '{}') as { reference?: string }).reference ?? '';
  /** The outbox messages Notify turned down (a server error), by id. */
  const turnedDown = new Set<string>();
  /** The texts Notify took of these outbox messages. */
  const textsTaken = (ids: readonly string[]) => kit.notify.requests.filter((r) => r.url.includes('/sms') && ids.includes(referenceOf(r.body)) && !turnedDown.has(referenceOf(r.body)));
  /** The journey job of a victim's addition, as the runner would claim it once the grace has passed. */
  const additionJob = (victimId: string) => kit.pendingJourneyJob(`case.victim_added:${victimId}`);
  const runAddition = async (victimId: string) => createMilestoneHandler({ clock })({ job: await additionJob(victimId), inForce });

  /**
   * A hearing listed, a victim added by their number whose reminder is due on Sunday; on Sunday its
   * delivery has read it and Notify has not answered; meanwhile the officer removes the victim and
   * adds them again.
   */
  const addedAgainWhileSending = async (name: string, isTurnedDown = false) => {
    numbers += 1;
    const phone = `+4477009006${String(numbers).padStart(2, '0')}`;
    const { caseId } = await listedHearing(kit.app, clock);
    await runAll();
    const first = await addVictim(caseId, name, phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    const [waiting] = await remindersOf(caseId, first);
    expect(waiting?.status).toBe('pending');

    if (isTurnedDown && waiting) {
      turnedDown.add(waiting.id);
      kit.notify.answerSome((r) => (referenceOf(r.body) === waiting.id ? { status: 500, body: { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] } } : null));
    }
    clock.set(new Date('2026-05-10T09:00:00Z'));
    const provider = kit.notify.holdAnswers();
    const delivering = kit.app.runner?.runDue();
    await provider.arrived;
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, name, phone);
    return { caseId, first, again, provider, delivering, waitingId: waiting?.id ?? '' };
  };

  it('tells-a-victim-added-again-once-when-the-first-rows-reminder-was-with-the-provider', async () => {
    const { caseId, first, again, provider, delivering, waitingId } = await addedAgainWhileSending('Jo Race');
    // The grace passes while Notify takes the first row's reminder: the journey of the row the victim is on now cannot know yet whether it told them.
    await runAddition(again);
    expect(await remindersOf(caseId, again)).toEqual([]);
    provider.release();
    await delivering;
    expect((await remindersOf(caseId, first)).map((r) => r.status)).toEqual(['sent']);

    // The reminder went: it is not sent a second time.
    clock.advance(3_600_000);
    await runAll();
    expect(await remindersOf(caseId, again)).toEqual([]);
    expect(textsTaken([waitingId])).toHaveLength(1);
    const decided = await inForce((tx) => tx.selectFrom('journey_sends').select(['outcome', 'reason']).where('victim_id', '=', again).where('template_key', '=', 'case.court_date.reminder').execute());
    expect(decided).toEqual([{ outcome: 'suppressed', reason: NOT_KNOWN_YET }]);
  });

  it('reminds-a-victim-added-again-once-when-the-provider-turns-the-first-rows-reminder-down-without-retrying-their-journey', async () => {
    const { caseId, first, again, provider, delivering, waitingId } = await addedAgainWhileSending('Ali Race', true);
    // Decided at once, however long the send holds it: not known yet, and the job is done.
    await runAddition(again);
    const decided = await inForce((tx) => tx.selectFrom('journey_sends').select(['outcome', 'reason']).where('victim_id', '=', again).where('template_key', '=', 'case.court_date.reminder').execute());
    expect(decided).toEqual([{ outcome: 'suppressed', reason: NOT_KNOWN_YET }]);
    provider.release();
    await delivering;
    kit.notify.answerSome(null);
    expect((await remindersOf(caseId, first)).map((r) => r.status)).toEqual(['pending']);

    // The first row's reminder did not go: it is withdrawn when it would be tried again, and then
    // the row the victim is on now is reminded, once.
    clock.advance(3_600_000);
    await runAll();
    expect((await remindersOf(caseId, first)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', REMOVED]]);
    const reminded = await remindersOf(caseId, again);
    expect(reminded.map((r) => r.status)).toEqual(['sent']);
    expect(textsTaken([waitingId])).toHaveLength(0);
    expect(textsTaken(reminded.map((r) => r.id))).toHaveLength(1);
  });

  it('reminds-a-victim-added-again-once-when-the-first-rows-reminder-recorded-sent-bounces-hours-later', async () => {
    numbers += 1;
    const phone = `+4477009006${String(numbers).padStart(2, '0')}`;
    const { caseId } = await listedHearing(kit.app, clock);
    await runAll();
    const first = await addVictim(caseId, 'Bo Bounce', phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    // Sunday: Notify takes the first row's reminder.
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    const [sent] = await inForce((tx) => tx.selectFrom('outbox').select(['id', 'status', 'provider_message_id']).where('case_id', '=', caseId).where('purpose', '=', REMINDER).where('idempotency_key', 'like', `%:${first}`).execute());
    expect(sent?.status).toBe('sent');
    // The officer removes the victim and adds them again: the row they are on now is refused it, told.
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, 'Bo Bounce', phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    const decided = () => inForce((tx) => tx.selectFrom('journey_sends').select(['outcome', 'reason']).where('victim_id', '=', again).where('template_key', '=', 'case.court_date.reminder').orderBy('created_at').execute());
    expect(await decided()).toEqual([{ outcome: 'suppressed', reason: TOLD_BEFORE }]);
    expect(await remindersOf(caseId, again)).toEqual([]);

    // Two hours later Notify's receipt says the text was never delivered, and says it again.
    clock.advance(2 * 3_600_000);
    const failure = { ...notifyFixture('delivery-receipt-permanent-failure.json'), id: sent?.provider_message_id, reference: sent?.id };
    expect((await postNotifyReceipt(kit.app, CALLBACK_TOKEN, failure)).statusCode).toBe(200);
    await runAll();
    expect((await postNotifyReceipt(kit.app, CALLBACK_TOKEN, failure)).statusCode).toBe(200);
    await runAll();

    // The first row's falls back to its next channel, where it is withdrawn; the row the victim is on now is reminded, once.
    expect((await remindersOf(caseId, first)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', REMOVED]]);
    const reminded = await remindersOf(caseId, again);
    expect(reminded.map((r) => r.status)).toEqual(['sent']);
    expect(textsTaken(reminded.map((r) => r.id))).toHaveLength(1);
    expect(await decided()).toEqual([
      { outcome: 'suppressed', reason: TOLD_BEFORE },
      { outcome: 'queued', reason: null },
    ]);
  });

  it('decides-the-other-victims-of-a-batch-when-one-waits-on-a-send-to-the-row-they-were-on', async () => {
    const { caseId, again, provider, delivering } = await addedAgainWhileSending('Mo Batch');
    // Another victim on another case, added while the send is held: decided in the same batch (as an opt-out lifted decides many).
    numbers += 1;
    const other = await listedHearing(kit.app, clock);
    const otherVictim = await addVictim(other.caseId, 'Ny Batch', `+4477009006${String(numbers).padStart(2, '0')}`);
    clock.set(new Date('2026-05-10T09:00:00Z'));
    const milestones = [milestoneOfJob(await additionJob(again)), milestoneOfJob(await additionJob(otherVictim))];
    const outcome = await inForce((tx) => sendJourneyMessages(tx, kit.app.demoForceId, clock, milestones));
    // Its news and reminder for the other victim; for the victim waiting on the send, its news (told before) and its reminder (not known yet).
    expect(outcome).toEqual({ queued: 2, suppressed: 2 });
    expect((await remindersOf(other.caseId, otherVictim)).map((r) => r.status)).toEqual(['pending']);
    expect(await remindersOf(caseId, again)).toEqual([]);
    provider.release();
    await delivering;
  });

  // PGlite has one connection: two transactions cannot overlap there.
  it.skipIf(ENGINE !== 'postgres')('reminds-a-victim-added-again-whose-first-rows-reminder-bounces-while-their-journey-decides', async () => {
    numbers += 1;
    const phone = `+4477009006${String(numbers).padStart(2, '0')}`;
    const { caseId } = await listedHearing(kit.app, clock);
    await runAll();
    const first = await addVictim(caseId, 'Cy Bounce', phone);
    // By text alone: turned down, the reminder has no channel to fall back to, and fails.
    await setPreferences(kit.app, await signIn(kit.app, 'investigator@demo.police.uk'), caseId, first, { channels: ['sms'] });
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    const [sent] = await inForce((tx) => tx.selectFrom('outbox').select(['id', 'status', 'provider_message_id']).where('purpose', '=', REMINDER).where('idempotency_key', 'like', `%:${first}`).execute());
    expect(sent?.status).toBe('sent');
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, 'Cy Bounce', phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    const milestone = milestoneOfJob(await additionJob(again));

    // The journey of the row the victim is on now has read the reminder sent, not committed yet,
    // when Notify's receipt says it was never delivered.
    let commit = () => {};
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let deciding: Promise<void> | undefined;
    await new Promise<void>((decided) => {
      deciding = inForce(async (tx) => {
        await sendJourneyMessages(tx, kit.app.demoForceId, clock, [milestone]);
        decided();
        await committing;
      });
    });
    const failure = { ...notifyFixture('delivery-receipt-permanent-failure.json'), id: sent?.provider_message_id, reference: sent?.id };
    let isAnswered = false;
    const receipt = postNotifyReceipt(kit.app, CALLBACK_TOKEN, failure).then((response) => {
      isAnswered = true;
      return response;
    });
    for (let look = 0; look < 10_000 && !isAnswered; look += 1) {
      const waits = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(kit.app.database.db);
      if (waits.rows[0]?.n) break;
    }
    // Had the receipt not waited for the decision, its job would run before the decision committed.
    if (isAnswered) {
      const jobs = await inForce((tx) => tx.selectFrom('jobs').select(['id', 'force_id', 'type', 'payload', 'state', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at']).where('type', '=', MESSAGE_NOT_SENT_JOB).where('state', '=', 'pending').execute());
      for (const job of jobs) await createNotToldAfterAllHandler({ clock })({ job: toJob(job), inForce });
      // Done, as the runner would record them.
      await inForce((tx) => tx.updateTable('jobs').set({ state: 'done' }).where('id', 'in', jobs.map((job) => job.id)).execute());
    }
    commit();
    await deciding;
    expect((await receipt).statusCode).toBe(200);
    await runAll();

    expect((await remindersOf(caseId, first)).map((r) => r.status)).toEqual(['failed']);
    const reminded = await remindersOf(caseId, again);
    expect(reminded.map((r) => r.status)).toEqual(['sent']);
    expect(textsTaken(reminded.map((r) => r.id))).toHaveLength(1);
  });

  // PGlite has one connection: two transactions cannot overlap there.
  it.skipIf(ENGINE !== 'postgres')('reads-the-first-rows-reminder-as-sent-when-its-send-is-recorded-while-the-victim-added-again-is-decided', async () => {
    numbers += 1;
    const phone = `+4477009006${String(numbers).padStart(2, '0')}`;
    const { caseId } = await listedHearing(kit.app, clock);
    await runAll();
    const first = await addVictim(caseId, 'Sol Race', phone);
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    const [waiting] = await remindersOf(caseId, first);
    if (!waiting) throw new Error('no reminder');
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const again = await addVictim(caseId, 'Sol Race', phone);
    clock.set(new Date('2026-05-10T09:00:00Z'));

    // A delivery records the first row's reminder sent (the provider took it, its lease has run
    // out), not committed yet, while the journey of the row the victim is on now decides.
    let commit = () => {};
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let recorded: Promise<boolean> | undefined;
    const isRecording = new Promise<void>((started) => {
      recorded = inForce(async (tx) => {
        const isSent = await markOutboxSent(tx, kit.app.demoForceId, waiting.id, { at: clock.now(), providerMessageId: null, fallbacks: 0, token: 0 /* no run took it: still its first send token */ });
        started();
        await committing;
        return isSent;
      });
    });
    await isRecording;
    const deciding = runAddition(again);
    for (let look = 0; look < 10_000; look += 1) {
      const waits = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(kit.app.database.db);
      if (waits.rows[0]?.n) break;
    }
    commit();
    expect(await recorded).toBe(true);
    await deciding;

    // It waited for the record and read the reminder as sent: nothing is queued beside it.
    expect(await remindersOf(caseId, again)).toEqual([]);
    const decided = await inForce((tx) => tx.selectFrom('journey_sends').select(['outcome', 'reason']).where('victim_id', '=', again).where('template_key', '=', 'case.court_date.reminder').execute());
    expect(decided).toEqual([{ outcome: 'suppressed', reason: 'told to them before they were removed from the case' }]);
  });

  // PGlite has one connection: two transactions cannot overlap there.
  it.skipIf(ENGINE !== 'postgres')('decides-several-victims-added-again-while-a-delivery-reads-their-first-rows-reminders-without-a-deadlock', async () => {
    // Two victims, each removed and added again, each with a reminder waiting for the row they were on.
    const cases = [await listedHearing(kit.app, clock), await listedHearing(kit.app, clock)];
    await runAll();
    const firsts: string[] = [];
    for (const [i, { caseId }] of cases.entries()) {
      numbers += 1;
      firsts.push(await addVictim(caseId, `Kit Race ${i}`, `+4477009006${String(numbers).padStart(2, '0')}`));
    }
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    const victims = [];
    for (const [i, { caseId }] of cases.entries()) {
      const first = firsts[i] ?? '';
      const [waiting] = await remindersOf(caseId, first);
      if (!waiting) throw new Error('no reminder');
      const phone = (await inForce((tx) => tx.selectFrom('case_people').select('phone').where('id', '=', first).executeTakeFirstOrThrow())).phone ?? '';
      await call('DELETE', `/api/cases/${caseId}/people/${first}`);
      victims.push({ waitingId: waiting.id, again: await addVictim(caseId, `Kit Race ${i}`, phone) });
    }
    // One batch decides both (as an opt-out lifted does), the victim whose first row's reminder
    // sorts last first; a delivery run reads both reminders, locking them in id order as it does.
    victims.sort((a, b) => (a.waitingId < b.waitingId ? 1 : -1));
    const [later, earlier] = victims.map((v) => v.waitingId);
    const milestones = await Promise.all(victims.map(async (v) => milestoneOfJob(await additionJob(v.again))));
    let finish = () => {};
    const finishing = new Promise<void>((resolve) => (finish = resolve));
    let isHeld = () => {};
    const held = new Promise<void>((resolve) => (isHeld = resolve));
    const reading = inForce(async (tx) => {
      const lock = (id: string) => tx.selectFrom('outbox').select('id').where('id', '=', id).forShare().execute();
      await lock(earlier ?? '');
      isHeld();
      await finishing;
      await lock(later ?? '');
    });
    await held;
    const deciding = inForce((tx) => sendJourneyMessages(tx, kit.app.demoForceId, clock, milestones));
    for (let look = 0; look < 10_000; look += 1) {
      const waits = await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(kit.app.database.db);
      if (waits.rows[0]?.n) break;
    }
    finish();
    // Neither is chosen as a deadlock's victim: the batch waits for the read, then decides.
    const [read, decided] = await Promise.allSettled([reading, deciding]);
    expect(read).toEqual({ status: 'fulfilled', value: undefined });
    expect(decided.status, String(decided.status === 'rejected' ? decided.reason : '')).toBe('fulfilled');
  });
});
