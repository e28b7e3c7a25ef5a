import { sql } from 'kysely';
import type { Tx } from './db/database.ts';
import type { ForceId } from './ids.ts';
import type { Clock } from './clock.ts';

/**
 * The next human-readable reference of a force for a year, e.g. DEMO-2026-000123. The counter row
 * is locked until commit, so references are unique and gap-free among committed records.
 */
export async function nextReference(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  scope: 'contact' | 'case',
): Promise<string> {
  const year = clock.now().getUTCFullYear();
  const force = await tx.selectFrom('forces').select('code').where('id', '=', forceId).executeTakeFirstOrThrow();
  const row = await sql<{ last_value: number }>`
    insert into reference_counters (force_id, scope, year, last_value) values (${forceId}, ${scope}, ${year}, 1)
    on conflict (force_id, scope, year) do update set last_value = reference_counters.last_value + 1
    returning last_value`.execute(tx);
  const value = Number(row.rows[0]?.last_value);
  const prefix = scope === 'case' ? `${force.code}-C` : force.code;
  return `${prefix}-${year}-${String(value).padStart(6, '0')}`;
}
