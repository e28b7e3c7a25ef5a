import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { openCaseAlertAgain, putRightCaseAlerts, raiseCaseAlert } from '../queue/case-alerts.service.ts';
import { alertMoveEvent } from '../queue/alert.machine.ts';
import { VICTIM_UPDATES_ALERT_KIND, caseVictimUpdatesNotOpened, caseVictimUpdatesPutRight } from './victims-code.events.ts';
import { DUTY_EVENT_TYPES, INVESTIGATIVE_EVENT_TYPES, OUTCOME_CODES_TOLD_ELSEWHERE } from './victims-code.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// The sweep's check that every milestone's clocks were opened (decision 0118). A milestone's own
// job opens them; when that job is given up (or is still failing), its victims' duties would have
// no clock, no warning and no breach. The sweep finds such a milestone and opens what it lacks,
// through the same `openVictimUpdates` as the job, so the clocks are timed from the milestone.
// A case it cannot open is recorded on the case, with one supervisors' alert, and waits (0123)
// until its time or a change that may mend it (0128).

/** How long a milestone's own job has to open its clocks before the sweep opens them instead. */
export const UNOPENED_GRACE_MS = 15 * 60_000;
/** Cases one sweep opens clocks for; the next sweep takes the rest. */
const REPAIR_BATCH = 50;
/** How long the sweep leaves a case it could not open before it tries again, unless the case changes: doubled each time, to a day (decision 0123). */
export const UNOPENED_RETRY_FIRST_MS = 60 * 60_000;
export const UNOPENED_RETRY_MAX_MS = 24 * 60 * 60_000;
const NOT_OPENED = 'case.victim_updates_not_opened';
/**
 * The events of a case that may put right what made its clocks fail to open, and so end its wait:
 * those that change what `openVictimUpdates` opens them from. That is the case's victims (one
 * added, changed or removed: their rows are what the clocks' rows are made of) and its milestones
 * that start a duty or mark it investigated (the clocks' duties and times). Nothing else of the
 * case can mend it: not journey messages, the victim's use of the portal, appointments, other
 * people, nor the clocks' own events; those leave the case to its wait (decision 0128).
 */
const MENDING_MILESTONES: readonly string[] = [...new Set([...DUTY_EVENT_TYPES, ...INVESTIGATIVE_EVENT_TYPES])];
const VICTIM_CHANGES: readonly string[] = ['case.person_added', 'case.person_changed', 'case.person_removed'];

/** Whether the event (of the case, under `alias`) may have put right what its clocks are opened from. */
function isMending(alias: 'g') {
  const type = sql.ref(`${alias}.type`);
  return sql<boolean>`(${type} in (${sql.join(MENDING_MILESTONES)}) or (${type} in (${sql.join(VICTIM_CHANGES)}) and ${sql.ref(`${alias}.data`)}->>'role' = 'victim'))`;
}

/** What staff read of a case whose clocks could not be opened: never the fault, which is logged. */
export const NOT_OPENED_NOTE =
  "The Victims' Code clocks could not be opened from this case's records, so its victims' updates are not being watched. Check the case's victims and milestones; it is tried again when its victims or milestones change, and at longer waits until then.";

/**
 * The cases with a milestone (within the clocks' look-back, and older than the grace) that lacks a
 * clock the job would have opened: none at all (every case owes its victims, named or not, each
 * duty), or none for a victim on the case since before the grace. A close the victim hears of
 * elsewhere (a charge) owes nothing and is not counted. Oldest milestone first; then any case whose
 * alert says its clocks are not open, and that is not waiting.
 */
export async function casesWithUnopenedVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock, lookbackMs: number): Promise<string[]> {
  const rows = await unopenedMilestones(tx, forceId, clock, lookbackMs).execute();
  // Then the cases whose alert still says their clocks are not open, not waiting: one that now
  // lacks nothing (its failing victim removed) opens nothing, and its alert is put right (0128).
  const alerted = await tx
    .selectFrom('alerts')
    .select(sql<string>`case_id::text`.as('case_id'))
    .where('force_id', '=', forceId)
    .where('kind', '=', VICTIM_UPDATES_ALERT_KIND)
    .where('acknowledged_at', 'is', null)
    .where('put_right_at', 'is', null)
    .where(sql<boolean>`case_id::text not in (${casesWaiting(forceId, clock.now())})`)
    .orderBy('raised_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .limit(REPAIR_BATCH)
    .execute();
  return [...new Set([...rows.map((row) => row.subject_id), ...alerted.map((row) => row.case_id)])].slice(0, REPAIR_BATCH);
}

/** The read behind `casesWithUnopenedVictimUpdates`, run every sweep (its plan is tested). */
export function unopenedMilestones(tx: Tx, forceId: ForceId, clock: Clock, lookbackMs: number) {
  const now = clock.now().getTime();
  const settled = new Date(now - UNOPENED_GRACE_MS);
  return tx
    .selectFrom('events as e')
    // Its case, read once for the sweep; a milestone of a case no longer there has nothing to open.
    .innerJoin('cases as c', (join) => join.onRef('c.force_id', '=', 'e.force_id').on(sql<boolean>`c.id::text = e.subject_id`))
    .select('e.subject_id')
    .where('e.force_id', '=', forceId)
    .where('c.force_id', '=', forceId)
    .where(sql<boolean>`e.subject_type = 'case'`)
    .where('e.type', 'in', DUTY_EVENT_TYPES)
    .where('e.occurred_at', '>=', new Date(now - lookbackMs))
    .where('e.occurred_at', '<=', settled)
    .where(sql<boolean>`not (e.type = 'case.closed' and coalesce(e.data->'details'->>'outcomeCode', '') in (${sql.join(OUTCOME_CODES_TOLD_ELSEWHERE)}))`)
    .where((eb) =>
      eb.or([
        eb.not(eb.exists(eb.selectFrom('victim_updates as vu').select('vu.id').where('vu.force_id', '=', forceId).whereRef('vu.milestone_event_id', '=', sql`e.id`))),
        eb.exists(
          eb
            .selectFrom('case_people as cp')
            .select('cp.id')
            .where('cp.force_id', '=', forceId)
            // By the case's own id: a cast in this condition (either side) leaves the force's row
            // security unable to use the index, and each milestone would read all the force's case people.
            .whereRef('cp.case_id', '=', 'c.id')
            .where('cp.role', '=', 'victim')
            .where('cp.removed_at', 'is', null)
            .where('cp.added_at', '<=', settled)
            .where((inner) =>
              inner.not(
                inner.exists(
                  inner
                    .selectFrom('victim_updates as mine')
                    .select('mine.id')
                    .where('mine.force_id', '=', forceId)
                    .whereRef('mine.milestone_event_id', '=', sql`e.id`)
                    .where(sql<boolean>`mine.victim_key = cp.id::text`),
                ),
              ),
            ),
        ),
      ]),
    )
    // A case the sweep could not open waits (decision 0123): until its retry time, unless something
    // that may put it right has happened since (0128). Its places go to cases that can be opened.
    .where(sql<boolean>`e.subject_id not in (${casesWaiting(forceId, new Date(now))})`)
    .orderBy('e.occurred_at')
    .limit(REPAIR_BATCH * 4);
}

/** Whether the case has an event after `seq` that may have put right what its clocks are opened from. */
function changedSince(forceId: ForceId, caseId: RawBuilder<unknown> | string, seq: RawBuilder<unknown> | number) {
  return sql<boolean>`exists (select 1 from events g where g.force_id = ${forceId} and g.subject_type = 'case' and g.subject_id = ${caseId} and g.seq > ${seq} and ${isMending('g')})`;
}

/**
 * The cases the sweep leaves for now: a failure not yet due again (only one of the last day can
 * be), with nothing since that may have put the case right. Read once a sweep (a hashed list): the failures by the
 * index of case events by type and time, and each one's later events by its case alone; as a join,
 * a planner may read the force's whole event log to find changes to a handful of cases.
 */
function casesWaiting(forceId: ForceId, now: Date) {
  return sql`select w.subject_id from events w
    left join lateral (
      select g.seq from events g
      where g.force_id = ${forceId} and g.subject_type = 'case' and g.subject_id = w.subject_id and g.seq > w.seq and ${isMending('g')}
      limit 1
    ) as changed on true
    where w.force_id = ${forceId} and w.subject_type = 'case' and w.type = ${NOT_OPENED}
      and w.occurred_at > ${new Date(now.getTime() - UNOPENED_RETRY_MAX_MS)}
      and (w.data->>'retryAt')::timestamptz > ${now}
      and changed.seq is null`;
}

/**
 * Remembers, on the case and in the caller's transaction, that the sweep could not open its clocks
 * (decision 0123): `case.victim_updates_not_opened` with the time it is tried again, one hour after
 * the first failure since something that may put the case right, doubling to a day. The first failure also raises
 * the supervisors' alert, unless one about the case waits for them already; any failure opens
 * again an alert put right that waits for them. Returns the attempt.
 */
export async function recordVictimUpdatesNotOpened(tx: Tx, forceId: ForceId, clock: Clock, caseId: string): Promise<number> {
  const found = await tx.selectFrom('cases').select('reference').where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
  if (!found) return 0;
  const last = await tx
    .selectFrom('events')
    .select(['seq', sql<number | null>`(data->>'attempt')::int`.as('attempt')])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', '=', NOT_OPENED)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const hasChanged = !last || (await sql<{ changed: boolean }>`select ${changedSince(forceId, caseId, Number(last.seq))} as changed`.execute(tx)).rows[0]?.changed === true;
  const attempt = hasChanged ? 1 : (last.attempt ?? 0) + 1;
  const wait = Math.min(UNOPENED_RETRY_FIRST_MS * 2 ** Math.min(attempt - 1, 16), UNOPENED_RETRY_MAX_MS);
  // An alert put right and not yet acknowledged says the clocks are open: it is open again, whatever
  // the attempt, so it never says so of a case whose clocks are not (decision 0128).
  const raised =
    (await openCaseAlertAgain(tx, forceId, caseId)) ??
    (attempt === 1
      ? await raiseCaseAlert(tx, forceId, clock, { caseId, message: `${found.reference}: the Victims' Code clocks could not be opened from this case's records, so its victims' updates are not being watched. Check its victims and milestones.` })
      : null);
  const notOpened = caseVictimUpdatesNotOpened.of({
    actor: { type: 'system', id: null },
    subjectId: caseId,
    data: { note: NOT_OPENED_NOTE, attempt, retryAt: new Date(clock.now().getTime() + wait).toISOString(), alertId: raised?.alertId ?? null },
  });
  record(tx, forceId, clock, raised ? alertMoveEvent(raised, notOpened) : notOpened);
  return attempt;
}

/** What staff read on the case once its clocks are opened after the sweep could not open them. */
export const PUT_RIGHT_NOTE =
  "The Victims' Code clocks were opened: this case's victims' updates are being watched again. The supervisors' alert that they were not stays until a supervisor acknowledges it.";

/**
 * The cases' clocks were opened (nothing they call for is missing now), in the caller's transaction:
 * the supervisors' alert still open about any of them is put right, saying when, and stays for a
 * supervisor to acknowledge (decision 0128), each with `case.victim_updates_put_right`.
 */
export async function recordVictimUpdatesPutRight(tx: Tx, forceId: ForceId, clock: Clock, caseIds: readonly string[]): Promise<void> {
  for (const moved of await putRightCaseAlerts(tx, forceId, clock, caseIds)) {
    const putRight = caseVictimUpdatesPutRight.of({ actor: { type: 'system', id: null }, subjectId: moved.caseId, data: { alertId: moved.alertId, note: PUT_RIGHT_NOTE } });
    record(tx, forceId, clock, alertMoveEvent(moved, putRight));
  }
}
