import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';

/**
 * Every capability some unit of the force has (off duty or not), sorted: what an incident may
 * require, so that a misspelt one is refused rather than leaving no unit ever recommended.
 */
export async function findUnitCapabilities(tx: Tx, forceId: ForceId): Promise<string[]> {
  const rows = await tx
    .selectFrom('units')
    .select(sql<string>`unnest(capabilities)`.as('capability'))
    .distinct()
    .where('force_id', '=', forceId)
    .execute();
  return [...new Set(rows.map((row) => row.capability))].sort();
}
