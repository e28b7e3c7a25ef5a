import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// Who a case's Victims' Code clocks are owed to, as the clocks' jobs read them.

/** A victim as their clocks read them; `knownSince`: when the force first had them as a victim on the case (null for the unnamed one). */
export type Victim = { casePersonId: string | null; victimKey: string; personId: string | null; hasEnhancedRights: boolean; knownSince: Date | null };

/**
 * Each case's victims, one statement. A case with none (recorded with no victim named, its reporter
 * said not to be one, or every victim removed) still owes its victim the duties: one clock, keyed
 * 'case', to nobody named. Its reporter, once implied here, is a victim row of their own (decision 0056).
 */
export async function listVictimsOfCases(tx: Tx, forceId: ForceId, cases: readonly { id: string; person_id: string | null }[]): Promise<Map<string, Victim[]>> {
  const rows = await tx
    .selectFrom('case_people')
    .select(['case_id', 'id', 'person_id', 'enhanced_rights', 'added_at', 'removed_at'])
    .where('force_id', '=', forceId)
    .where('case_id', 'in', cases.map((found) => found.id))
    .where('role', '=', 'victim')
    .orderBy('added_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
  // A person removed and added again was known as a victim from their first addition (decision 0137): rows come oldest first.
  const firstAdded = new Map<string, Date>();
  const victims = new Map<string, Victim[]>();
  for (const row of rows) {
    const knownSince = firstAdded.get(`${row.case_id}:${row.person_id ?? row.id}`) ?? row.added_at;
    firstAdded.set(`${row.case_id}:${row.person_id ?? row.id}`, knownSince);
    if (row.removed_at !== null) continue;
    victims.set(row.case_id, [...(victims.get(row.case_id) ?? []), { casePersonId: row.id, victimKey: row.id, personId: row.person_id, hasEnhancedRights: row.enhanced_rights, knownSince }]);
  }
  for (const found of cases) {
    if (!victims.has(found.id)) victims.set(found.id, [{ casePersonId: null, victimKey: 'case', personId: null, hasEnhancedRights: false, knownSince: null }]);
  }
  return victims;
}
