import { sql, type Insertable, type Updateable } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';

// The SQL of the force admin's journey rules: every rule, on or off, and what a rule may name.

/** Every rule of the force, on or off, in its order (ties by when they were made, then id). */
export function findAllJourneyRules(tx: Tx, forceId: ForceId, options: { isLocked?: boolean } = {}) {
  const query = tx.selectFrom('journey_rules').selectAll().where('force_id', '=', forceId).orderBy('position').orderBy('created_at').orderBy('id');
  return options.isLocked ? query.forUpdate().execute() : query.execute();
}

/** Every rule of the force, locked in one order (by id), so two admins' changes queue rather than deadlock. */
export function lockJourneyRules(tx: Tx, forceId: ForceId) {
  return tx.selectFrom('journey_rules').selectAll().where('force_id', '=', forceId).orderBy('id').forUpdate().execute();
}

/** Puts the force's rules in the order of `ruleIds` (each rule's position is its place in the list), in one statement. */
export async function setJourneyRuleOrder(tx: Tx, forceId: ForceId, ruleIds: readonly string[]): Promise<void> {
  const ids = sql.val([...ruleIds]);
  await sql`update journey_rules set position = array_position(${ids}::uuid[], id) - 1 where force_id = ${forceId} and id = any(${ids}::uuid[])`.execute(tx);
}

export function insertJourneyRule(tx: Tx, row: Insertable<Tables['journey_rules']>) {
  return tx.insertInto('journey_rules').values(row).returningAll().executeTakeFirstOrThrow();
}

/** Changes a rule and counts the change in its version (decision 0079). */
export function updateJourneyRule(tx: Tx, forceId: ForceId, ruleId: string, set: Omit<Updateable<Tables['journey_rules']>, 'version'>) {
  return tx
    .updateTable('journey_rules')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('force_id', '=', forceId)
    .where('id', '=', ruleId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The next position after every rule of the force. */
export async function nextJourneyRulePosition(tx: Tx, forceId: ForceId): Promise<number> {
  const row = await tx.selectFrom('journey_rules').select((eb) => eb.fn.max('position').as('last')).where('force_id', '=', forceId).executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/** The force's template keys (any channel or language). */
export async function findTemplateKeys(tx: Tx, forceId: ForceId): Promise<string[]> {
  const rows = await tx.selectFrom('message_templates').select('key').distinct().where('force_id', '=', forceId).orderBy('key').execute();
  return rows.map((row) => row.key);
}

/** The force's crime types and outcomes in use, in its order. */
export async function findCaseLists(tx: Tx, forceId: ForceId) {
  const crimeTypes = await tx.selectFrom('crime_types').select(['code', 'label']).where('force_id', '=', forceId).where('active', '=', true).orderBy('position').execute();
  const outcomes = await tx.selectFrom('case_outcome_types').select(['code', 'label']).where('force_id', '=', forceId).where('active', '=', true).orderBy('position').execute();
  return { crimeTypes, outcomes };
}

/** Of these idempotency keys, those of messages the rule queued. */
export async function findKeysQueuedByRule(tx: Tx, forceId: ForceId, ruleId: string, keys: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  // A thousand a statement keeps each well inside the parameter limit.
  for (let i = 0; i < keys.length; i += 1000) {
    const rows = await tx
      .selectFrom('journey_sends')
      .select('idempotency_key')
      .where('force_id', '=', forceId)
      .where('rule_id', '=', ruleId)
      .where('outcome', '=', 'queued')
      .where('idempotency_key', 'in', keys.slice(i, i + 1000))
      .execute();
    found.push(...rows.map((row) => row.idempotency_key));
  }
  return found;
}
