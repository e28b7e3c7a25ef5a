import { sql, type Insertable } from 'kysely';
import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { payloadText, type BatchJobHandler, type JobHandler } from '../../platform/jobs/jobs.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { record } from '../../platform/events/recorder.ts';
import { caseVictimInformed, caseVictimUpdateBreached, caseVictimUpdateDueSoon, caseVictimUpdateOpened, caseVictimUpdateReassigned } from './victims-code.events.ts';
import { victimOfKey } from './appointment-reminders.schema.ts';
import { listVictimsOfCases, type Victim } from './victims-of-cases.repository.ts';
import { casesWithUnopenedVictimUpdates, recordVictimUpdatesNotOpened, recordVictimUpdatesPutRight } from './victim-updates-repair.service.ts';
import { VictimUpdateMoveRefused, moveVictimUpdate, victimUpdateState } from './victim-update.machine.ts';
import { DUTY_EVENT_TYPES, INVESTIGATIVE_EVENT_TYPES, dutyBegins, dutyForEvent, englandAndWalesBankHolidays, isJourneyPurposeFor, isMessageToVictim, planDuty, retimedClock, type BankHolidays } from './victims-code.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// The Victims' Code clocks' jobs: opening a clock per victim when a milestone obliges the police
// to tell them, and the force's sweep, which counts journey messages as telling them and marks
// the clocks that reach their warning point or fall due.

/** Milestones older than this open no clock: a case's history from before the clocks, or a victim added long after. */
export const LOOKBACK_MS = 30 * 86_400_000;
/** Rows one sweep handles per step; the next sweep takes the rest. */
const SWEEP_BATCH = 500;
const SYSTEM = { type: 'system', id: null } as const;
/** Outbox states that count as telling the victim: queued to go, sent, delivered (not held, failed or suppressed). */
const GIVEN_STATUSES = ['pending', 'sent', 'delivered'] as const;
const DUTY_TYPES: readonly string[] = DUTY_EVENT_TYPES;
/** England and Wales bank holidays, read once per year from the holidays library. */
const BANK_HOLIDAYS = englandAndWalesBankHolidays();

/**
 * Opens, in the caller's transaction, the clocks the cases' milestones call for and they lack: one
 * per victim per milestone (within the look-back), each with its due and warning times, with one
 * statement each for the cases, their milestones, their clocks, their victims and the new clocks.
 * Safe to repeat: a clock exists once per milestone event and victim. The supervisors' alert that
 * a case's clocks could not be opened is put right (decision 0128).
 */
export async function openVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock, caseIds: readonly string[], holidays: BankHolidays = BANK_HOLIDAYS): Promise<number> {
  const ids = [...new Set(caseIds)];
  if (ids.length === 0) return 0;
  const cases = await tx.selectFrom('cases').select(['id', 'person_id']).where('force_id', '=', forceId).where('id', 'in', ids).execute();
  const missing = ids.find((id) => !cases.some((found) => found.id === id));
  if (missing) throw new Error(`case ${missing} not found`);
  const events = await tx
    .selectFrom('events')
    .select(['id', 'subject_id', 'type', 'occurred_at', 'data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', 'in', ids)
    .where('type', 'like', 'case.%')
    .orderBy('seq')
    .execute();
  const existing = await tx.selectFrom('victim_updates').select(['milestone_event_id', 'victim_key']).where('force_id', '=', forceId).where('case_id', 'in', ids).execute();
  const has = new Set(existing.map((row) => `${row.milestone_event_id}:${row.victim_key}`));
  const victimsOf = await listVictimsOfCases(tx, forceId, cases);
  const now = clock.now();
  for (const key of await moveUnnamedVictimUpdates(tx, forceId, clock, victimsOf, has, holidays)) has.add(key);
  const planned: { row: Insertable<Tables['victim_updates']>; opened: ReturnType<typeof caseVictimUpdateOpened.of> }[] = [];
  for (const caseId of ids) {
    let wasInvestigated = false;
    for (const event of events) {
      if (event.subject_id !== caseId) continue;
      const details = event.data.details;
      const outcomeCode = details && typeof details === 'object' && !Array.isArray(details) && typeof details.outcomeCode === 'string' ? details.outcomeCode : null;
      const duty = DUTY_TYPES.includes(event.type) ? dutyForEvent({ type: event.type, outcomeCode, wasInvestigated }) : null;
      if (INVESTIGATIVE_EVENT_TYPES.has(event.type)) wasInvestigated = true;
      if (!duty || now.getTime() - event.occurred_at.getTime() > LOOKBACK_MS) continue;
      for (const victim of victimsOf.get(caseId) ?? []) {
        if (has.has(`${event.id}:${victim.victimKey}`)) continue;
        const countedFrom = dutyBegins(event.occurred_at, victim.knownSince);
        const plan = planDuty({ duty, from: countedFrom, hasEnhancedRights: victim.hasEnhancedRights, holidays });
        const id = newId();
        planned.push({
          row: {
            id,
            force_id: forceId,
            case_id: caseId,
            case_person_id: victim.casePersonId,
            victim_key: victim.victimKey,
            person_id: victim.personId,
            duty,
            milestone_event_id: event.id,
            milestone_type: event.type,
            milestone_at: event.occurred_at,
            counted_from: countedFrom,
            enhanced_rights: victim.hasEnhancedRights,
            working_days: plan.workingDays,
            due_at: plan.dueAt,
            warn_at: plan.warnAt,
            warned_at: null,
            satisfied_at: null,
            how: null,
            outbox_id: null,
            informed_by: null,
            note: null,
            breached_at: null,
            created_at: now,
          },
          opened: caseVictimUpdateOpened.of({
            actor: SYSTEM,
            subjectId: caseId,
            data: { updateId: id, duty, casePersonId: victim.casePersonId, dueAt: plan.dueAt.toISOString(), milestoneEventId: event.id, workingDays: plan.workingDays, warnAt: plan.warnAt.toISOString(), countedFrom: countedFrom.toISOString() },
          }),
        });
      }
    }
  }
  if (planned.length === 0) {
    await recordVictimUpdatesPutRight(tx, forceId, clock, ids);
    return 0;
  }
  const inserted = await tx
    .insertInto('victim_updates')
    .values(planned.map((plan) => plan.row))
    .onConflict((oc) => oc.columns(['force_id', 'milestone_event_id', 'victim_key']).doNothing())
    .returning('id')
    .execute();
  const opened = new Set(inserted.map((row) => row.id));
  const openedEvents = planned.filter((plan) => opened.has(String(plan.row.id))).map((plan) => plan.opened);
  if (openedEvents.length > 0) record(tx, forceId, clock, ...openedEvents);
  // Nothing the cases call for is missing now: an alert that it was is put right (decision 0128).
  await recordVictimUpdatesPutRight(tx, forceId, clock, ids);
  return openedEvents.length;
}

/**
 * Moves the clocks not met a case owed its unnamed victim (key 'case') to its first victim, once it
 * has one, each with `case.victim_update_reassigned`: a duty owed to nobody would breach in the
 * reports while its victim is on the case. By the clock's machine an open clock is re-timed to the
 * victim's rights; a missed one keeps its times and breach, theirs to be told of at once (decision
 * 0133). One the victim has a clock of their own for stays. Returns the keys now held.
 */
async function moveUnnamedVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock, victimsOf: Map<string, Victim[]>, has: ReadonlySet<string>, holidays: BankHolidays): Promise<string[]> {
  const firstVictims = new Map([...victimsOf].flatMap(([caseId, victims]) => (victims[0]?.casePersonId ? [[caseId, victims[0]] as const] : [])));
  if (firstVictims.size === 0) return [];
  // Locked, so the state the machine reads is the one the update writes over (the sweep may be marking it).
  const unnamed = await tx
    .selectFrom('victim_updates')
    .select(['id', 'case_id', 'duty', 'milestone_event_id', 'counted_from', 'working_days', 'due_at', 'warn_at', 'satisfied_at', 'how', 'breached_at'])
    .where('force_id', '=', forceId)
    .where('case_id', 'in', [...firstVictims.keys()])
    .where('victim_key', '=', 'case')
    .where('satisfied_at', 'is', null)
    .forUpdate()
    .execute();
  const now = clock.now();
  const moved: string[] = [];
  for (const row of unnamed) {
    const victim = firstVictims.get(row.case_id);
    if (!victim?.casePersonId || has.has(`${row.milestone_event_id}:${victim.victimKey}`)) continue;
    const move = moveVictimUpdate(victimUpdateState(row, now), 'reassign');
    if (move instanceof VictimUpdateMoveRefused) continue;
    const plan = move.isRetimed ? planDuty({ duty: row.duty, from: row.counted_from, hasEnhancedRights: victim.hasEnhancedRights, holidays }) : null;
    const reassigned = await tx
      .updateTable('victim_updates')
      .set({
        case_person_id: victim.casePersonId,
        victim_key: victim.victimKey,
        person_id: victim.personId,
        ...(plan ? { enhanced_rights: victim.hasEnhancedRights, ...retimedClock(plan, now) } : {}),
      })
      .where('force_id', '=', forceId)
      .where('id', '=', row.id)
      // Still unnamed: the sweep and a late opening job may both have read it; one moves it, once.
      .where('victim_key', '=', 'case')
      .executeTakeFirst();
    if (reassigned.numUpdatedRows === 0n) continue;
    const times = plan ?? { dueAt: row.due_at, workingDays: row.working_days, warnAt: row.warn_at };
    record(
      tx,
      forceId,
      clock,
      caseVictimUpdateReassigned.of({
        actor: SYSTEM,
        subjectId: row.case_id,
        data: { updateId: row.id, duty: row.duty, casePersonId: victim.casePersonId, dueAt: times.dueAt.toISOString(), workingDays: times.workingDays, warnAt: times.warnAt.toISOString() },
      }),
    );
    moved.push(`${row.milestone_event_id}:${victim.victimKey}`);
  }
  return moved;
}

/** The job a duty-starting milestone gives: opens its case's clocks, many jobs of a force to a transaction. */
export function createVictimUpdatesOpenHandler(options: { clock: Clock; holidays?: BankHolidays; maxBatch: number }): BatchJobHandler {
  return {
    maxBatch: options.maxBatch,
    run: async ({ forceId, jobs, tx }) => {
      await openVictimUpdates(
        tx,
        forceId,
        options.clock,
        jobs.map((job) => payloadText(job, 'caseId')),
        options.holidays ?? BANK_HOLIDAYS,
      );
    },
  };
}

/** When a journey message counts as given: when it went, or when it may go (queued, perhaps held to a safe time). */
function givenAt(row: { created_at: Date; not_before: Date | null; sent_at: Date | null }): Date {
  if (row.sent_at) return row.sent_at;
  return row.not_before && row.not_before.getTime() > row.created_at.getTime() ? row.not_before : row.created_at;
}

/**
 * Meets open clocks from the journey messages queued for their case: a message for the milestone
 * (`isJourneyPurposeFor`), to that victim when both are known, queued after the milestone and not
 * failed or suppressed, counts from the time it went or may go. Returns how many were met.
 */
export async function satisfyFromJourneys(tx: Tx, forceId: ForceId, clock: Clock): Promise<number> {
  const now = clock.now();
  // Only clocks with a candidate message are read, so clocks nobody will ever meet by a journey
  // (long overdue ones) never crowd out the rest. The prefix is what `isJourneyPurposeFor` needs
  // at the least (`_` in LIKE matches any character: still a superset).
  const open = await tx
    .selectFrom('victim_updates as vu')
    .select(['vu.id', 'vu.case_id', 'vu.case_person_id', 'vu.person_id', 'vu.duty', 'vu.milestone_type', 'vu.milestone_at', 'vu.due_at'])
    .where('vu.force_id', '=', forceId)
    .where('vu.satisfied_at', 'is', null)
    .where('vu.duty', '!=', 'referral')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('outbox as o')
          .select('o.id')
          .where('o.force_id', '=', forceId)
          .whereRef('o.case_id', '=', 'vu.case_id')
          .where('o.status', 'in', GIVEN_STATUSES)
          .where(sql<boolean>`o.channel <> 'portal' and (o.channel <> 'letter' or o.status = 'delivered')`)
          .whereRef('o.created_at', '>=', 'vu.milestone_at')
          .where(
            sql<boolean>`(o.purpose like 'journey:' || vu.milestone_type || '%' or (vu.milestone_type = 'case.closed' and o.purpose in ('journey:case.not_investigated', 'journey:case.suspect_no_further_action')))`,
          ),
      ),
    )
    .orderBy('vu.due_at')
    .limit(SWEEP_BATCH)
    .execute();
  if (open.length === 0) return 0;
  const messages = await tx
    .selectFrom('outbox')
    .select(['id', 'case_id', 'purpose', 'person_id', 'idempotency_key', 'created_at', 'not_before', 'sent_at'])
    .where('force_id', '=', forceId)
    .where('case_id', 'in', [...new Set(open.map((row) => row.case_id))])
    .where('purpose', 'like', 'journey:%')
    .where('status', 'in', GIVEN_STATUSES)
    // A portal inbox message is not known to have reached the victim (they may never sign in): it
    // does not meet a duty; email, a text or a letter once printed (delivered, not waiting) does.
    .where(sql<boolean>`channel <> 'portal' and (channel <> 'letter' or status = 'delivered')`)
    .orderBy('created_at').orderBy('seq', storedFirst).orderBy('id')
    .execute();
  let met = 0;
  for (const duty of open) {
    const message = messages.find(
      (m) =>
        m.case_id === duty.case_id &&
        isJourneyPurposeFor(m.purpose, duty.milestone_type) &&
        m.created_at.getTime() >= duty.milestone_at.getTime() &&
        isMessageToVictim({ victimId: victimOfKey(m.idempotency_key), personId: m.person_id }, { casePersonId: duty.case_person_id, personId: duty.person_id }) &&
        givenAt(m).getTime() <= now.getTime(),
    );
    if (!message) continue;
    const at = givenAt(message);
    const updated = await tx
      .updateTable('victim_updates')
      .set({ satisfied_at: at, how: 'journey', outbox_id: message.id })
      .where('force_id', '=', forceId)
      .where('id', '=', duty.id)
      .where('satisfied_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!updated) continue;
    met += 1;
    record(
      tx,
      forceId,
      clock,
      caseVictimInformed.of({
        actor: SYSTEM,
        subjectId: duty.case_id,
        data: { updateId: duty.id, duty: duty.duty, casePersonId: duty.case_person_id, dueAt: duty.due_at.toISOString(), how: 'journey', isLate: at.getTime() > duty.due_at.getTime(), outboxId: message.id },
      }),
    );
  }
  return met;
}

/**
 * Marks a batch of open clocks, soonest due first, and returns them: `warned` once the warning
 * time has come (and before the due time), `breached` once the due time has passed. The mark is
 * repeated outside the subquery so that a concurrent sweep's mark is seen when the row is rechecked.
 */
async function markClocks(tx: Tx, forceId: ForceId, now: Date, mark: 'warned' | 'breached') {
  const column = mark === 'warned' ? 'warned_at' : 'breached_at';
  // The batch to mark is chosen once (a materialised CTE), then joined: as `id in (subquery …
  // limit)`, a planner that believed the table small (PGlite's statistics lag its growth) ran the
  // subquery again for every open clock, 22,000 × 22,000 rows, and held PGlite for 75 s.
  return tx
    .with(
      (cte) => cte('due').materialized(),
      (db) => {
        const open = db.selectFrom('victim_updates').select('id').where('force_id', '=', forceId).where('satisfied_at', 'is', null).where('breached_at', 'is', null);
        const due = mark === 'warned' ? open.where('warned_at', 'is', null).where('warn_at', '<=', now).where('due_at', '>', now) : open.where('due_at', '<=', now);
        return due.orderBy('due_at').limit(SWEEP_BATCH);
      },
    )
    .updateTable('victim_updates')
    .from('due')
    .set(mark === 'warned' ? { warned_at: now } : { breached_at: now })
    .whereRef('victim_updates.id', '=', 'due.id')
    .where('victim_updates.force_id', '=', forceId)
    .where(`victim_updates.${column}`, 'is', null)
    .where('victim_updates.satisfied_at', 'is', null)
    .returning(['victim_updates.id', 'victim_updates.case_id', 'victim_updates.case_person_id', 'victim_updates.duty', 'victim_updates.due_at'])
    .execute();
}

/**
 * One sweep of a force's clocks, in the caller's transaction: journey messages meet what they
 * can, then clocks past their warning point are marked due soon and clocks past their due time
 * are marked breached, each mark set once (a rerun changes nothing).
 */
export async function sweepVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock): Promise<{ met: number; warned: number; breached: number }> {
  const met = await satisfyFromJourneys(tx, forceId, clock);
  const now = clock.now();
  const warned = await markClocks(tx, forceId, now, 'warned');
  for (const row of warned) {
    const data = { updateId: row.id, duty: row.duty, casePersonId: row.case_person_id, dueAt: row.due_at.toISOString() };
    record(tx, forceId, clock, caseVictimUpdateDueSoon.of({ actor: SYSTEM, subjectId: row.case_id, data }));
  }
  const breached = await markClocks(tx, forceId, now, 'breached');
  for (const row of breached) {
    const data = { updateId: row.id, duty: row.duty, casePersonId: row.case_person_id, dueAt: row.due_at.toISOString() };
    record(tx, forceId, clock, caseVictimUpdateBreached.of({ actor: SYSTEM, subjectId: row.case_id, data }));
  }
  return { met, warned: warned.length, breached: breached.length };
}

/**
 * The recurring sweep of one force's clocks (enqueued for every force by the worker's timer). It
 * first opens the clocks of milestones whose own job has not (given up, or still failing: decision
 * 0118), each case in a transaction of its own so one that cannot be opened holds up no other and
 * not the sweep; then marks. A case that still cannot be opened is logged, recorded on the case
 * with the supervisors' alert, and left until its retry time or a change to it (decision 0123).
 */
export function createVictimUpdatesSweepHandler(options: { clock: Clock; logger: Logger }): JobHandler {
  return async ({ job, inForce }) => {
    // The look failing (a timeout, a failover) must not stop the marking either: logged, tried next sweep.
    const unopened = await inForce((tx) => casesWithUnopenedVictimUpdates(tx, job.forceId, options.clock, LOOKBACK_MS)).catch((error: unknown) => {
      options.logger.error({ forceId: job.forceId, err: error }, "the Victims' Code sweep could not look for unopened clocks");
      return [] as string[];
    });
    for (const caseId of unopened) {
      try {
        await inForce((tx) => openVictimUpdates(tx, job.forceId, options.clock, [caseId]));
      } catch (error) {
        // The fault is for the logs; the case, and supervisors, are told in staff's words, and the
        // case waits before it is tried again (decision 0123).
        options.logger.error({ forceId: job.forceId, caseId, err: error }, "a case's Victims' Code clocks could not be opened by the sweep");
        await inForce((tx) => recordVictimUpdatesNotOpened(tx, job.forceId, options.clock, caseId)).catch((failure: unknown) => {
          options.logger.error({ forceId: job.forceId, caseId, err: failure }, "the sweep could not record that a case's Victims' Code clocks were not opened");
        });
      }
    }
    await inForce((tx) => sweepVictimUpdates(tx, job.forceId, options.clock));
  };
}
