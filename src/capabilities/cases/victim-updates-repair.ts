import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { DUTY_EVENT_TYPES, OUTCOME_CODES_TOLD_ELSEWHERE } from './victims-code.ts';

// The sweep's check that every milestone's clocks were opened (decision 0118). A milestone's own
// job opens them; when that job is given up (or is still failing), its victims' duties would have
// no clock, no warning and no breach. The sweep finds such a milestone and opens what it lacks,
// through the same `openVictimUpdates` as the job, so the clocks are timed from the milestone.

/** How long a milestone's own job has to open its clocks before the sweep opens them instead. */
export const UNOPENED_GRACE_MS = 15 * 60_000;
/** Cases one sweep opens clocks for; the next sweep takes the rest. */
const REPAIR_BATCH = 50;

/**
 * The cases with a milestone (within the clocks' look-back, and older than the grace) that lacks a
 * clock the job would have opened: none at all (every case owes its victims, named or not, each
 * duty), or none for a victim on the case since before the grace. A close the victim hears of
 * elsewhere (a charge) owes nothing and is not counted. Oldest milestone first.
 */
export async function casesWithUnopenedVictimUpdates(tx: Tx, forceId: ForceId, clock: Clock, lookbackMs: number): Promise<string[]> {
  const rows = await unopenedMilestones(tx, forceId, clock, lookbackMs).execute();
  return [...new Set(rows.map((row) => row.subject_id))].slice(0, REPAIR_BATCH);
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
    .orderBy('e.occurred_at')
    .limit(REPAIR_BATCH * 4);
}
