import { sql, type RawBuilder } from 'kysely';
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
  const [reference] = await nextReferences(tx, forceId, clock, scope, 1);
  if (!reference) throw new Error('no reference was allocated');
  return reference;
}

/**
 * The next `count` references of a force in order, with one statement: a batch of reports takes
 * its numbers together. Same guarantees as `nextReference`.
 */
export async function nextReferences(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  scope: 'contact' | 'case',
  count: number,
): Promise<string[]> {
  if (count <= 0) return [];
  const year = clock.now().getUTCFullYear();
  const row = await sql<{ last_value: number; code: string }>`
    with counter as (
      insert into reference_counters (force_id, scope, year, last_value) values (${forceId}, ${scope}, ${year}, ${count})
      on conflict (force_id, scope, year) do update set last_value = reference_counters.last_value + ${count}
      returning last_value)
    select counter.last_value, forces.code from counter, forces where forces.id = ${forceId}`.execute(tx);
  const first = row.rows[0];
  if (!first) throw new Error('the force has no code');
  const last = Number(first.last_value);
  return Array.from({ length: count }, (_, i) => formatReference(first.code, scope, year, last - count + 1 + i));
}

/**
 * A force's reference in the form it gives its records: its code, `-C` for a case, the year and a
 * six-digit number (DEMO-2026-000123, DEMO-C-2026-000045). Previews use it for made-up ones.
 */
export function formatReference(forceCode: string, scope: 'contact' | 'case', year: number, number: number): string {
  return `${scope === 'case' ? `${forceCode}-C` : forceCode}-${year}-${String(number).padStart(6, '0')}`;
}

/**
 * The order in which references were given, for a list read by time whose rows can share their
 * time (decision 0157): by length, then text, so a seventh digit (after 999999) sorts after six.
 * Meant to follow the time in an `orderBy`; compares references of one force and year.
 */
export function inReferenceOrder(column: string, direction: 'asc' | 'desc' = 'asc'): RawBuilder<unknown> {
  return sql`length(${sql.ref(column)}) ${sql.raw(direction)}, ${sql.ref(column)} ${sql.raw(direction)}`;
}
