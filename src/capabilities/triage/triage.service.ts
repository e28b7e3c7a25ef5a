import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { triageRulePackAdded, triageRuleSetActivated, triageRuleSetPublished } from './triage.events.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { TriageEngine } from './triage.engine.ts';
import { prepareStaticWords } from './triage.lexicon-index.ts';
import type { ExplanationLanguage, TriageContext, TriageResult, TriageRule } from './triage.schema.ts';
import { DEFAULT_RULES, RULE_PACKS } from './triage.default-rules.ts';

// Compiled engines by force and version. A version never changes once written, so a cached
// engine is never stale; a new version is simply a new key.
const engines = new Map<string, TriageEngine>();

/**
 * Variants are stored as rows of their own in `triage_rules`, whose category is
 * `variant:<id of the main row>` and whose weight is the main row's, so a rule with variants
 * needs no new column. Only this file knows the encoding.
 */
const VARIANT_PREFIX = 'variant:';

export type NewTriageRule = Omit<TriageRule, 'id'>;

export type RuleSetSummary = { version: number; isActive: boolean; createdAt: string; ruleCount: number; variantCount: number };

async function loadRules(tx: Tx, forceId: ForceId, version: number): Promise<TriageRule[]> {
  const rows = await tx
    .selectFrom('triage_rules')
    .select(['id', 'phrase', 'category', 'weight'])
    .where('force_id', '=', forceId)
    .where('version', '=', version)
    .orderBy('phrase')
    .execute();
  const rules = new Map<string, TriageRule & { variants: string[] }>();
  for (const row of rows) if (!row.category.startsWith(VARIANT_PREFIX)) rules.set(row.id, { ...row, variants: [] });
  for (const row of rows) {
    if (row.category.startsWith(VARIANT_PREFIX)) rules.get(row.category.slice(VARIANT_PREFIX.length))?.variants.push(row.phrase);
  }
  return [...rules.values()];
}

/**
 * Forgets every compiled engine, for a process that opens another database holding the same force
 * ids and versions with other rules (test apps copied from one template database).
 */
export function forgetCompiledEngines(): void {
  engines.clear();
}

/** Builds what every triage engine shares, so the first report a serving process takes does not. */
export function prepareTriage(): void {
  prepareStaticWords();
}

/** The compiled engine for one version of the force's rules (version 0 matches nothing). */
export async function loadEngine(tx: Tx, forceId: ForceId, version: number): Promise<TriageEngine> {
  const key = `${forceId}:${version}`;
  const cached = engines.get(key);
  if (cached) return cached;
  const engine = new TriageEngine(version, version === 0 ? [] : await loadRules(tx, forceId, version));
  engines.set(key, engine);
  return engine;
}

/** The engine for the force's active rule set (version 0, matching nothing, if it has none). */
export async function loadActiveEngine(tx: Tx, forceId: ForceId): Promise<TriageEngine> {
  const active = await tx
    .selectFrom('triage_rule_sets')
    .select('version')
    .where('force_id', '=', forceId)
    .where('is_active', '=', true)
    .orderBy('version', 'desc')
    .executeTakeFirst();
  return loadEngine(tx, forceId, active?.version ?? 0);
}

/**
 * Scores a text with the force's active rules. `context` (time, channel, line, person flags) is
 * optional so existing callers keep working.
 */
export async function triageText(tx: Tx, forceId: ForceId, text: string, context: TriageContext = {}): Promise<TriageResult> {
  const engine = await loadActiveEngine(tx, forceId);
  return engine.score(text, context);
}

/** Every version of the force's rules, newest first, with its active flag and counts. */
export async function listRuleSets(tx: Tx, forceId: ForceId): Promise<RuleSetSummary[]> {
  const sets = await tx
    .selectFrom('triage_rule_sets')
    .select(['version', 'is_active', 'created_at'])
    .where('force_id', '=', forceId)
    .orderBy('version', 'desc')
    .execute();
  const rows = await tx.selectFrom('triage_rules').select(['version', 'category']).where('force_id', '=', forceId).execute();
  return sets.map((set) => {
    const mine = rows.filter((row) => row.version === set.version);
    const variantCount = mine.filter((row) => row.category.startsWith(VARIANT_PREFIX)).length;
    return {
      version: set.version,
      isActive: set.is_active,
      createdAt: set.created_at.toISOString(),
      ruleCount: mine.length - variantCount,
      variantCount,
    };
  });
}

/** One version's rules; not found if the force has no such version. */
export async function getRuleSet(tx: Tx, forceId: ForceId, version: number): Promise<RuleSetSummary & { rules: TriageRule[] }> {
  const summary = (await listRuleSets(tx, forceId)).find((set) => set.version === version);
  if (!summary) throw notFound('triage rule set');
  return { ...summary, rules: await loadRules(tx, forceId, version) };
}

/**
 * Makes a force's rule set changes take turns until the transaction ends: two saves at once would
 * otherwise both take the same next version number, and a version made active while another is
 * saved active would leave two active.
 */
async function lockRuleSets(tx: Tx, forceId: ForceId): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`triage-rule-sets:${forceId}`}, 0))`.execute(tx);
}

/** Writes a new rule set version; it becomes active only when `activate` is set. */
export async function createRuleSet(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  rules: NewTriageRule[],
  actor: Actor,
  options: { activate: boolean },
): Promise<number> {
  for (const rule of rules) {
    if (rule.category.startsWith(VARIANT_PREFIX)) throw new AppError('validation_failed', `reserved category ${rule.category}`);
  }
  await lockRuleSets(tx, forceId);
  const latest = await tx
    .selectFrom('triage_rule_sets')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('force_id', '=', forceId)
    .executeTakeFirst();
  const version = Number(latest?.version ?? 0) + 1;
  if (options.activate) {
    await tx.updateTable('triage_rule_sets').set({ is_active: false }).where('force_id', '=', forceId).execute();
  }
  await tx
    .insertInto('triage_rule_sets')
    .values({ force_id: forceId, version, is_active: options.activate, created_at: clock.now() })
    .execute();
  const rows = rules.flatMap((rule) => {
    const id = newId();
    const main = { id, force_id: forceId, version, phrase: rule.phrase, category: rule.category, weight: rule.weight };
    const variants = [...new Set(rule.variants ?? [])].map((phrase) => ({
      id: newId(),
      force_id: forceId,
      version,
      phrase,
      category: `${VARIANT_PREFIX}${id}`,
      weight: rule.weight,
    }));
    return [main, ...variants];
  });
  if (rows.length > 0) await tx.insertInto('triage_rules').values(rows).execute();
  record(tx, forceId, clock, triageRuleSetPublished.of({ actor, subjectId: String(version), data: { version, ruleCount: rules.length, isActive: options.activate } }));
  return version;
}

/** Writes a new rule set version and makes it the active one at once. */
export function publishRuleSet(tx: Tx, forceId: ForceId, clock: Clock, rules: NewTriageRule[], actor: Actor): Promise<number> {
  return createRuleSet(tx, forceId, clock, rules, actor, { activate: true });
}

/** Makes one existing version the force's active rule set; new contacts are scored with it from now on. */
export async function activateRuleSet(tx: Tx, forceId: ForceId, clock: Clock, version: number, actor: Actor): Promise<void> {
  await lockRuleSets(tx, forceId);
  const sets = await tx
    .selectFrom('triage_rule_sets')
    .select(['version', 'is_active'])
    .where('force_id', '=', forceId)
    .forUpdate()
    .execute();
  const target = sets.find((set) => set.version === version);
  if (!target) throw notFound('triage rule set');
  const previous = sets.find((set) => set.is_active)?.version ?? null;
  if (previous === version) return;
  // An empty version would leave every new contact to the built-in floor alone: a stabbing in
  // progress scored as nothing in particular. Saved as a draft it may be; active it may not.
  const rules = await tx.selectFrom('triage_rules').select('id').where('force_id', '=', forceId).where('version', '=', version).limit(1).executeTakeFirst();
  if (!rules) throw conflict(`version ${version} has no rules: a rule set with none cannot be made active`);
  await tx.updateTable('triage_rule_sets').set({ is_active: false }).where('force_id', '=', forceId).execute();
  await tx
    .updateTable('triage_rule_sets')
    .set({ is_active: true })
    .where('force_id', '=', forceId)
    .where('version', '=', version)
    .execute();
  record(tx, forceId, clock, triageRuleSetActivated.of({ actor, subjectId: String(version), data: { version, previousVersion: previous } }));
}

/** Scores a text as a new contact would be scored (active rules, or the version given); stores nothing. */
export async function tryTriage(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { text: string; version?: number; context?: TriageContext },
): Promise<TriageResult> {
  let engine: TriageEngine;
  if (input.version === undefined) {
    engine = await loadActiveEngine(tx, forceId);
  } else {
    const exists = await tx
      .selectFrom('triage_rule_sets')
      .select('version')
      .where('force_id', '=', forceId)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (!exists) throw notFound('triage rule set');
    engine = await loadEngine(tx, forceId, input.version);
  }
  return engine.score(input.text, { at: clock.now(), ...input.context });
}

/** The event that records a rule pack given to a force, so it is given once and never again. */
export const RULE_PACK_EVENT = triageRulePackAdded.type;

function recordRulePacks(tx: Tx, forceId: ForceId, clock: Clock, packs: readonly { id: string; rules: readonly NewTriageRule[] }[], version: number): void {
  for (const pack of packs) {
    record(tx, forceId, clock, triageRulePackAdded.of({ actor: { type: 'system', id: null }, subjectId: String(version), data: { pack: pack.id, version, ruleCount: pack.rules.length } }));
  }
}

/** Gives a new force the default rule set (English and Welsh), with every rule pack recorded as given. */
export async function publishDefaultRuleSet(tx: Tx, forceId: ForceId, clock: Clock): Promise<number> {
  const version = await publishRuleSet(tx, forceId, clock, DEFAULT_RULES, { type: 'system', id: null });
  recordRulePacks(tx, forceId, clock, RULE_PACKS, version);
  return version;
}

/**
 * Gives a force created before a rule pack existed (the Welsh pack, the 2026 English additions)
 * the pack's rules: a new active version with the force's active rules plus every pack rule
 * whose phrase it does not already have. Each pack is given once; a force that later deletes
 * its rules keeps them deleted. Returns the new version, or null when nothing was missing.
 */
export async function addMissingRulePacks(tx: Tx, forceId: ForceId, clock: Clock): Promise<number | null> {
  // Taken before the active rules are read, so a version saved meanwhile is not built over.
  await lockRuleSets(tx, forceId);
  const given = await tx
    .selectFrom('events')
    .select('data')
    .where('force_id', '=', forceId)
    .where('type', '=', RULE_PACK_EVENT)
    .execute();
  const have = new Set(given.map((row) => row.data.pack));
  const missing = RULE_PACKS.filter((pack) => !have.has(pack.id));
  if (missing.length === 0) return null;
  const active = await loadActiveEngine(tx, forceId);
  const current: NewTriageRule[] = active.rules.map(({ phrase, variants, category, weight }) => ({ phrase, variants: variants ?? [], category, weight }));
  const phrases = new Set(current.map((rule) => rule.phrase.toLowerCase()));
  const added = missing.flatMap((pack) => pack.rules).filter((rule) => !phrases.has(rule.phrase.toLowerCase()));
  const version = await publishRuleSet(tx, forceId, clock, [...current, ...added], { type: 'system', id: null });
  recordRulePacks(tx, forceId, clock, missing, version);
  return version;
}

/**
 * A stored triage result as an operator reading `language` should see it: the explanation in
 * their language where the result holds one (results stored before both were kept have English only).
 */
function inLanguage<T extends { explanation?: unknown; explanations?: unknown }>(stored: T, language: ExplanationLanguage): T {
  const explanations = stored.explanations;
  if (typeof explanations !== 'object' || explanations === null || !(language in explanations)) return stored;
  const lines = (explanations as Record<string, unknown>)[language];
  return Array.isArray(lines) ? { ...stored, explanation: lines } : stored;
}

/** The explanation language an operator asked for in `Accept-Language`: Welsh when Welsh comes first, else English. */
function operatorLanguage(acceptLanguage: string | undefined): ExplanationLanguage {
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first === 'cy' || first.startsWith('cy-') ? 'cy' : 'en';
}

/** A stored triage result with its explanation in the language the operator's `Accept-Language` asks for. */
export function triageForOperator<T extends { explanation?: unknown; explanations?: unknown }>(stored: T, acceptLanguage: string | undefined): T {
  const language = operatorLanguage(acceptLanguage);
  return language === 'en' ? stored : inLanguage(stored, language);
}

/** How many rule packs the product ships: a force with fewer recorded is given the rest at start-up. */
export const RULE_PACK_COUNT = RULE_PACKS.length;
