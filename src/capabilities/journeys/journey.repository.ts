import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// The journeys' SQL. Each read takes many cases at once, so a batch of milestones costs a handful
// of statements whatever its size.

/** The cases of a batch, with what their messages need: references, crime type, the reporter's language. */
export function findJourneyCases(tx: Tx, forceId: ForceId, caseIds: readonly string[]) {
  return tx
    .selectFrom('cases as c')
    .leftJoin('contacts as ct', 'ct.id', 'c.contact_id')
    .select(['c.id', 'c.reference', 'c.crime_type', 'c.person_id', 'c.contact_id', 'ct.reference as contact_reference', 'ct.meta as contact_meta'])
    .where('c.force_id', '=', forceId)
    .where('c.id', 'in', [...new Set(caseIds)])
    .execute();
}

/** The victims on the cases (not removed), oldest first, with their person's name where known. */
export function findCaseVictims(tx: Tx, forceId: ForceId, caseIds: readonly string[]) {
  return tx
    .selectFrom('case_people')
    // The records system gives a victim's email, phone and language on the row itself.
    .select(['id', 'case_id', 'person_id', 'name', 'enhanced_rights', 'email', 'phone', 'language', 'postal_lines', 'postal_town', 'postal_postcode', 'added_at'])
    .where('force_id', '=', forceId)
    .where('case_id', 'in', [...new Set(caseIds)])
    .where('role', '=', 'victim')
    .where('removed_at', 'is', null)
    .orderBy('added_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .execute();
}

/** People's display names. */
export function findPeopleNames(tx: Tx, forceId: ForceId, personIds: readonly string[]) {
  if (personIds.length === 0) return Promise.resolve([]);
  return tx.selectFrom('people').select(['id', 'display_name']).where('force_id', '=', forceId).where('id', 'in', [...new Set(personIds)]).execute();
}

/** The contact preferences set on the cases. */
export function findPreferencesOfCases(tx: Tx, forceId: ForceId, caseIds: readonly string[]) {
  return tx
    .selectFrom('victim_contact_preferences')
    .selectAll()
    .where('force_id', '=', forceId)
    .where('case_id', 'in', [...new Set(caseIds)])
    .execute();
}

/** The force's active journey rules, in its order. */
export function findActiveJourneyRules(tx: Tx, forceId: ForceId) {
  return tx.selectFrom('journey_rules').selectAll().where('force_id', '=', forceId).where('active', '=', true).orderBy('position').execute();
}

/** The force's templates for some keys, every channel and language. */
export function findTemplatesByKeys(tx: Tx, forceId: ForceId, keys: readonly string[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return tx
    .selectFrom('message_templates')
    .select(['key', 'channel', 'locale', 'subject', 'body'])
    .where('force_id', '=', forceId)
    .where('key', 'in', [...new Set(keys)])
    .execute();
}

/** The force's force name, crime type and outcome labels, for placeholders. */
export async function findForceLabels(tx: Tx, forceId: ForceId) {
  const force = await tx.selectFrom('forces').select('name').where('id', '=', forceId).executeTakeFirstOrThrow();
  const crimeTypes = await tx.selectFrom('crime_types').select(['code', 'label', 'label_cy']).where('force_id', '=', forceId).execute();
  const outcomes = await tx.selectFrom('case_outcome_types').select(['code', 'label', 'label_cy']).where('force_id', '=', forceId).execute();
  return { forceName: force.name, crimeTypes, outcomes };
}

export type JourneySendRow = {
  idempotencyKey: string;
  caseId: string;
  victimId: string;
  ruleId: string;
  templateKey: string;
  outcome: 'queued' | 'suppressed';
  reason: string | null;
  /** The rule as it is when the decision is taken: kept, since the rule may be changed later. */
  rule: { milestone: string; delayFrom: 'milestone' | 'at'; delayMinutes: number };
};

/**
 * Records each decision once: returns the keys of those not recorded before (a milestone's job run
 * again after a crash finds its decisions taken and sends nothing twice).
 */
export async function insertJourneySends(tx: Tx, forceId: ForceId, at: Date, rows: readonly JourneySendRow[]): Promise<Set<string>> {
  const fresh = new Set<string>();
  // A thousand rows a statement keeps each insert well inside the parameter limit.
  for (let i = 0; i < rows.length; i += 1000) {
    const inserted = await tx
      .insertInto('journey_sends')
      .values(
        rows.slice(i, i + 1000).map((row) => ({
          force_id: forceId,
          idempotency_key: row.idempotencyKey,
          case_id: row.caseId,
          victim_id: row.victimId,
          rule_id: row.ruleId,
          template_key: row.templateKey,
          outcome: row.outcome,
          reason: row.reason,
          created_at: at,
          rule_milestone: row.rule.milestone,
          rule_delay_from: row.rule.delayFrom,
          rule_delay_minutes: row.rule.delayMinutes,
        })),
      )
      .onConflict((oc) => oc.columns(['force_id', 'idempotency_key']).doNothing())
      .returning('idempotency_key')
      .execute();
    for (const row of inserted) fresh.add(row.idempotency_key);
  }
  return fresh;
}

/** The decision recorded for one journey message, by its idempotency key (the outbox row's too). */
export function findJourneySend(tx: Tx, forceId: ForceId, idempotencyKey: string) {
  return tx
    .selectFrom('journey_sends')
    .select(['case_id', 'victim_id', 'rule_id', 'template_key'])
    .where('force_id', '=', forceId)
    .where('idempotency_key', '=', idempotencyKey)
    .executeTakeFirst();
}

/** The decisions recorded for these journey messages (their idempotency keys): queued, or suppressed and why. */
export function findJourneyDecisions(tx: Tx, forceId: ForceId, keys: readonly string[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return tx.selectFrom('journey_sends').select(['idempotency_key', 'outcome', 'reason']).where('force_id', '=', forceId).where('idempotency_key', 'in', [...keys]).execute();
}

/** One of the force's journey rules, active or not (a message outlives its rule). */
export function findJourneyRule(tx: Tx, forceId: ForceId, ruleId: string) {
  return tx.selectFrom('journey_rules').select(['id', 'statutory']).where('force_id', '=', forceId).where('id', '=', ruleId).executeTakeFirst();
}

/**
 * The idempotency keys of the cases' messages taken back (never sent) for one of these reasons, and
 * of those still waiting to go in one of the `unsent` states (to be taken back, by what overtook them).
 */
export async function findTakenBackKeys(tx: Tx, forceId: ForceId, caseIds: readonly string[], reasons: readonly string[], unsent: readonly Tables['outbox']['status'][]): Promise<Set<string>> {
  if (caseIds.length === 0 || reasons.length === 0) return new Set();
  const rows = await tx
    .selectFrom('outbox')
    .select('idempotency_key')
    .where('force_id', '=', forceId)
    .where('case_id', 'in', [...new Set(caseIds)])
    .where('delivered_at', 'is', null)
    .where((eb) => eb.or([eb.and([eb('status', '=', 'suppressed'), eb('last_error', 'in', [...reasons])]), ...(unsent.length > 0 ? [eb('status', 'in', [...unsent])] : [])]))
    .execute();
  return new Set(rows.map((row) => row.idempotency_key));
}

/**
 * A victim's journey decisions on a case suppressed for this reason (their idempotency keys and
 * rules), first decisions only: a decision taken again is recorded only when it queues.
 */
export function findSuppressedDecisions(tx: Tx, forceId: ForceId, caseId: string, victimId: string, reason: string, againPart: string) {
  return tx
    .selectFrom('journey_sends')
    .select(['idempotency_key', 'rule_id'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('victim_id', '=', victimId)
    .where('outcome', '=', 'suppressed')
    .where('reason', '=', reason)
    .where('idempotency_key', 'not like', `%${againPart}:%`)
    .execute();
}

/**
 * The victims on a case (not removed) with a first decision suppressed for `reason` taken since
 * `since`, of any case of the force: those an opt-out lifted may now reach (decision 0143).
 */
export function findVictimsSuppressedSince(tx: Tx, forceId: ForceId, reason: string, againPart: string, since: Date) {
  return victimsSuppressedSince(tx, forceId, reason, againPart, since).execute();
}

/**
 * The read behind `findVictimsSuppressedSince`, over every decision of the force: it reads the
 * suppressed ones by reason and time through `journey_sends_suppressed` (migration 0071; its plan
 * is tested), not the force's whole history of decisions.
 */
export function victimsSuppressedSince(tx: Tx, forceId: ForceId, reason: string, againPart: string, since: Date) {
  return tx
    .selectFrom('journey_sends as s')
    .innerJoin('case_people as cp', (join) => join.onRef('cp.force_id', '=', 's.force_id').onRef('cp.id', '=', 's.victim_id'))
    .select(['s.case_id', 's.victim_id'])
    .distinct()
    .where('s.force_id', '=', forceId)
    .where('s.outcome', '=', 'suppressed')
    .where('s.reason', '=', reason)
    .where('s.created_at', '>=', since)
    .where('s.idempotency_key', 'not like', `%${againPart}:%`)
    .where('cp.removed_at', 'is', null);
}

/** Of a case's milestone events, those of these milestone ids (`created`: the case's making), with what the journey reads of them. */
export async function findMilestoneEvents(tx: Tx, forceId: ForceId, caseId: string, milestoneIds: readonly string[]) {
  if (milestoneIds.length === 0) return [];
  const rows = await tx
    .selectFrom('events')
    .select(['type', 'data', 'occurred_at'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where((eb) => eb.or([eb(sql<string>`data->>'milestoneId'`, 'in', [...milestoneIds]), ...(milestoneIds.includes('created') ? [eb('type', '=', 'case.created')] : [])]))
    .orderBy('seq')
    .execute();
  return rows.map((row) => {
    const details = row.data.details;
    const milestoneId = typeof row.data.milestoneId === 'string' ? row.data.milestoneId : row.type === 'case.created' ? 'created' : null;
    const textDetails = details && typeof details === 'object' && !Array.isArray(details) ? Object.fromEntries(Object.entries(details).filter((entry): entry is [string, string] => typeof entry[1] === 'string')) : {};
    return { type: row.type, milestoneId, details: textDetails, note: typeof row.data.note === 'string' ? row.data.note : null, at: row.occurred_at };
  });
}

/** The case's latest event of these types, with its milestone id, or null when it has none. */
export async function findLatestCaseEvent(tx: Tx, forceId: ForceId, caseId: string, types: readonly string[]): Promise<{ type: string; milestoneId: string | null } | null> {
  const row = await tx
    .selectFrom('events')
    .select(['type', 'data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', 'in', [...types])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { type: row.type, milestoneId: typeof row.data.milestoneId === 'string' ? row.data.milestoneId : null } : null;
}

/** What went, or may be going, to earlier rows of a victim added again (`findToldBeforeRemoval`). */
export type ToldBeforeRemoval = {
  /** The milestones and rules (`milestoneId\u0000ruleId`) of messages sent or delivered to them. */
  told: Set<string>;
  /** Their messages not gone yet (pending, held), locked until the caller commits: outbox id to `milestoneId\u0000ruleId`. */
  waiting: Map<string, string>;
};

/**
 * Which journey messages went to earlier rows of the same victims on their cases, removed since: a
 * victim added again is not told twice (decisions 0137, 0143). Withdrawn (suppressed) or failed
 * ones never told them; those still waiting (pending, held) are given apart, locked, so that the
 * caller can ask which of them a delivery is sending at this moment: one read by its delivery
 * before the removal may be with the provider (decision 0150). The lock comes first, so a delivery
 * recording its send either committed before it (and the message is read sent) or waits for the
 * caller; it is taken for every victim at once, in id order as a delivery reads them, so a batch
 * of several victims (an opt-out lifted) and a delivery reading their messages never wait on each
 * other. The same person is the same known person, or for one named only, the same name. By
 * victim id; a victim with no earlier row is not in it.
 */
export async function findToldBeforeRemoval(
  tx: Tx,
  forceId: ForceId,
  victims: readonly { id: string; caseId: string; personId: string | null; name: string | null }[],
  againPart: string,
): Promise<Map<string, ToldBeforeRemoval>> {
  const found = new Map<string, ToldBeforeRemoval>();
  // Each earlier row, with the victims added again in its place.
  const victimsOf = new Map<string, string[]>();
  for (const victim of victims) {
    if (!victim.personId && !victim.name) continue;
    const earlier = await tx
      .selectFrom('case_people')
      .select('id')
      .where('force_id', '=', forceId)
      .where('case_id', '=', victim.caseId)
      .where('role', '=', 'victim')
      .where('removed_at', 'is not', null)
      .where('id', '!=', victim.id)
      .where(sameVictimAs('case_people', victim))
      .execute();
    for (const row of earlier) victimsOf.set(row.id, [...(victimsOf.get(row.id) ?? []), victim.id]);
    if (earlier.length > 0) found.set(victim.id, { told: new Set(), waiting: new Map() });
  }
  if (victimsOf.size === 0) return found;
  const messagesOf = (statuses: readonly Tables['outbox']['status'][]) =>
    tx
      .selectFrom('journey_sends as s')
      .innerJoin('outbox as o', (join) => join.onRef('o.force_id', '=', 's.force_id').onRef('o.idempotency_key', '=', 's.idempotency_key'))
      .select(['o.id', 'o.status', 's.case_id', 's.idempotency_key', 's.rule_id', 's.victim_id'])
      .where('s.force_id', '=', forceId)
      .where('s.case_id', 'in', [...new Set(victims.map((victim) => victim.caseId))])
      .where('s.victim_id', 'in', [...victimsOf.keys()])
      .where('o.status', 'in', [...statuses]);
  // A journey message's key is journey:<case>:<milestone>:<rule>[<again>]:<victim> (journey-send.service.ts).
  const toldOf = (row: { case_id: string; idempotency_key: string; rule_id: string; victim_id: string }) => {
    const rest = row.idempotency_key.slice(`journey:${row.case_id}:`.length, row.idempotency_key.length - `:${row.victim_id}`.length);
    const rule = rest.endsWith(againPart) ? rest.slice(0, -againPart.length) : rest;
    return `${rule.slice(0, rule.length - `:${row.rule_id}`.length)}\u0000${row.rule_id}`;
  };
  const eachVictimOf = (row: { victim_id: string }) => (victimsOf.get(row.victim_id) ?? []).flatMap((id) => found.get(id) ?? []);
  // Waiting messages and those that went, locked together in one id order (decision 0151): a
  // receipt failing one that went (decision 0152) either committed first (it reads not told) or
  // waits until the decision has committed, and is then decided again.
  for (const row of await messagesOf(['pending', 'held', 'sent', 'delivered']).orderBy('o.id').forUpdate('o').execute()) {
    const isWaiting = row.status === 'pending' || row.status === 'held';
    for (const of of eachVictimOf(row)) {
      if (isWaiting) of.waiting.set(row.id, toldOf(row));
      else of.told.add(toldOf(row));
    }
  }
  return found;
}

/**
 * The journey decision behind an outbox message, when the victim it was for has since been removed
 * from the case: the row, with who they are (person, or name), and the message's key. Undefined
 * for any other message.
 */
export function findRemovedVictimsMessage(tx: Tx, forceId: ForceId, outboxId: string) {
  return tx
    .selectFrom('outbox as o')
    .innerJoin('journey_sends as s', (join) => join.onRef('s.force_id', '=', 'o.force_id').onRef('s.idempotency_key', '=', 'o.idempotency_key'))
    .innerJoin('case_people as cp', (join) => join.onRef('cp.force_id', '=', 's.force_id').onRef('cp.id', '=', 's.victim_id'))
    .select(['s.case_id', 's.victim_id', 's.rule_id', 's.idempotency_key', 's.template_key', 'cp.person_id', 'cp.name'])
    .where('o.force_id', '=', forceId)
    .where('o.id', '=', outboxId)
    .where('cp.removed_at', 'is not', null)
    .executeTakeFirst();
}

/**
 * The victims on the case now (not removed) who are the same victim as a removed row (the same
 * known person, or for one named only, the same name, as `findToldBeforeRemoval` reads them) and
 * whose first decision of this milestone and rule was suppressed for one of these reasons, with it.
 */
export async function findAddedAgainSuppressed(
  tx: Tx,
  forceId: ForceId,
  removed: { caseId: string; victimId: string; personId: string | null; name: string | null },
  of: { milestoneId: string; ruleId: string },
  reasons: readonly string[],
): Promise<{ victimId: string; reason: string | null }[]> {
  if (!removed.personId && !removed.name) return [];
  const rows = await tx
    .selectFrom('case_people as cp')
    .innerJoin('journey_sends as s', (join) => join.onRef('s.force_id', '=', 'cp.force_id').onRef('s.victim_id', '=', 'cp.id'))
    .select(['cp.id', 's.reason'])
    .where('cp.force_id', '=', forceId)
    .where('cp.case_id', '=', removed.caseId)
    .where('cp.role', '=', 'victim')
    .where('cp.removed_at', 'is', null)
    .where('cp.id', '!=', removed.victimId)
    .where(sameVictimAs('cp', removed))
    .where('s.case_id', '=', removed.caseId)
    .where('s.rule_id', '=', of.ruleId)
    .where('s.outcome', '=', 'suppressed')
    .where('s.reason', 'in', [...reasons])
    .where('s.idempotency_key', '=', sql<string>`${`journey:${removed.caseId}:${of.milestoneId}:${of.ruleId}:`} || cp.id::text`)
    .execute();
  return rows.map((row) => ({ victimId: row.id, reason: row.reason }));
}

/**
 * Victim rows (of `table`, a name or alias of case_people) that are the same victim as `who`: the
 * same known person, or for one named only, no person and the same name, case aside.
 */
function sameVictimAs(table: 'case_people' | 'cp', who: { personId?: string | null; name?: string | null }) {
  const person = sql.ref(`${table}.person_id`);
  if (who.personId) return sql<boolean>`${person} = ${who.personId}`;
  return sql<boolean>`${person} is null and lower(${sql.ref(`${table}.name`)}) = ${(who.name ?? '').toLowerCase()}`;
}
