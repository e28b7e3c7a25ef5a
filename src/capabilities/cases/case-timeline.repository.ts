import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

/** How many of a case's events its timeline shows: the newest, so a busy case's latest milestones are there. */
export const TIMELINE_LIMIT = 500;

/**
 * A case's timeline: its newest `TIMELINE_LIMIT` entries, oldest first, and how many older ones
 * were left out. The entries are the case's own events, and what staff did to its messages (sent
 * a failed one again, marked a letter printed), so the case says who did it. The machinery's own
 * sends and receipts are on the case's messages, not its timeline.
 */
export async function findCaseTimelineEvents(tx: Tx, forceId: ForceId, caseId: string) {
  const messageIds = (await tx.selectFrom('outbox').select('id').where('force_id', '=', forceId).where('case_id', '=', caseId).execute()).map((m) => m.id);
  const ofTheCase = tx
    .selectFrom('events')
    .where('force_id', '=', forceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('subject_type', '=', 'case'), eb('subject_id', '=', caseId)]),
        ...(messageIds.length > 0 ? [eb.and([eb('subject_type', '=', 'outbox'), eb('subject_id', 'in', messageIds), eb('actor_type', '=', 'staff')])] : []),
      ]),
    );
  const events = await ofTheCase.select(['occurred_at', 'type', 'actor_type', 'data']).orderBy('seq', 'desc').limit(TIMELINE_LIMIT).execute();
  events.reverse();
  if (events.length < TIMELINE_LIMIT) return { events, olderEventsLeftOut: 0 };
  const { count } = await ofTheCase.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return { events, olderEventsLeftOut: Number(count) - events.length };
}

/** Of `personIds`, those who have been a victim on this case (a row of its own, removed or not). */
export async function findPeopleEverVictimsOf(tx: Tx, forceId: ForceId, caseId: string, personIds: readonly string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await tx
    .selectFrom('case_people')
    .select('person_id')
    .distinct()
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('role', '=', 'victim')
    .where('person_id', 'in', [...personIds])
    .execute();
  return new Set(rows.flatMap((row) => (row.person_id ? [row.person_id] : [])));
}
