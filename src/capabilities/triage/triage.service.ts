import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { appendEvent, type Actor } from '../../platform/events/event-log.ts';
import { DEFAULT_RULES, TriageEngine, type TriageResult, type TriageRule } from './triage.engine.ts';

// Compiled engines by force and version. A version never changes once written, so a cached
// engine is never stale; a new version is simply a new key.
const engines = new Map<string, TriageEngine>();

/** The engine for the force's active rule set (version 0, matching nothing, if it has none). */
export async function loadActiveEngine(tx: Tx, forceId: ForceId): Promise<TriageEngine> {
  const active = await tx
    .selectFrom('triage_rule_sets')
    .select('version')
    .where('force_id', '=', forceId)
    .where('is_active', '=', true)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  const version = active?.version ?? 0;
  const key = `${forceId}:${version}`;
  const cached = engines.get(key);
  if (cached) return cached;
  const rules: TriageRule[] =
    version === 0
      ? []
      : await tx
          .selectFrom('triage_rules')
          .select(['id', 'phrase', 'category', 'weight'])
          .where('force_id', '=', forceId)
          .where('version', '=', version)
          .orderBy('phrase')
          .execute();
  const engine = new TriageEngine(version, rules);
  engines.set(key, engine);
  return engine;
}

/** Scores a text with the force's active rules. */
export async function triageText(tx: Tx, forceId: ForceId, text: string): Promise<TriageResult> {
  const engine = await loadActiveEngine(tx, forceId);
  return engine.score(text);
}

/** Writes a new rule set version and makes it the active one. */
export async function publishRuleSet(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  rules: Omit<TriageRule, 'id'>[],
  actor: Actor,
): Promise<number> {
  const latest = await tx
    .selectFrom('triage_rule_sets')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('force_id', '=', forceId)
    .executeTakeFirst();
  const version = Number(latest?.version ?? 0) + 1;
  await tx.updateTable('triage_rule_sets').set({ is_active: false }).where('force_id', '=', forceId).execute();
  await tx
    .insertInto('triage_rule_sets')
    .values({ force_id: forceId, version, is_active: true, created_at: clock.now() })
    .execute();
  if (rules.length > 0) {
    await tx
      .insertInto('triage_rules')
      .values(rules.map((rule) => ({ id: newId(), force_id: forceId, version, ...rule })))
      .execute();
  }
  await appendEvent(tx, forceId, clock, {
    type: 'triage.rule_set_published',
    actor,
    subject: { type: 'triage_rule_set', id: String(version) },
    data: { version, ruleCount: rules.length },
  });
  return version;
}

/** Gives a new force the default rule set. */
export function publishDefaultRuleSet(tx: Tx, forceId: ForceId, clock: Clock): Promise<number> {
  return publishRuleSet(tx, forceId, clock, DEFAULT_RULES, { type: 'system', id: null });
}
