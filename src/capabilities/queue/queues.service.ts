import { afterCommit, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import { parseSlaPolicy, type SlaPolicy } from './sla.schema.ts';
import type { QueueRule } from './routing.engine.ts';
import { record } from '../../platform/events/recorder.ts';
import { queueRulesReplaced, queueUpdated } from './queue.events.ts';
import { invalid } from '../../platform/errors.ts';
import { findLastChange, requireOpenedVersion } from '../../platform/events/changed-since-opened.ts';
import { forgetCachedChannelTargets } from './channel-targets.service.ts';
import { countListChange, readListVersion } from '../../platform/events/list-versions.ts';
import { requireRoutingListVersion } from './routing-versions.service.ts';

export type Queue = {
  id: string;
  key: string;
  name: string;
  description: string;
  requiredSkills: string[];
  isControlRoom: boolean;
  isDefault: boolean;
  sla: SlaPolicy;
  warnAtPercent: number;
  position: number;
  /** Counts the queue's changes (decision 0084). */
  version: number;
};

type QueueSpec = Omit<Queue, 'id' | 'version'>;
type RuleSpec = { queueKey: string; channels?: string[]; categories?: string[]; priorities?: number[] };

/** The queues a new force starts with; the force can change them. */
export const DEFAULT_QUEUES: readonly QueueSpec[] = [
  {
    key: 'control_room',
    name: 'Control room',
    description: '999 and 101 calls, and contacts escalated from the digital desk.',
    requiredSkills: ['control_room'],
    isControlRoom: true,
    isDefault: false,
    sla: {
      '1': { firstResponseMinutes: 1, nextResponseMinutes: 2, resolutionMinutes: 30 },
      '2': { firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 120 },
      '3': { firstResponseMinutes: 20, nextResponseMinutes: 30, resolutionMinutes: 480 },
      '4': { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 1440 },
    },
    warnAtPercent: 75,
    position: 1,
  },
  {
    key: 'public_safety',
    name: 'Public safety',
    description: 'Risk to life or of serious harm on any digital channel.',
    requiredSkills: [],
    isControlRoom: false,
    isDefault: false,
    sla: {
      '1': { firstResponseMinutes: 2, nextResponseMinutes: 5, resolutionMinutes: 60 },
      '2': { firstResponseMinutes: 10, nextResponseMinutes: 20, resolutionMinutes: 240 },
      '3': { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 720 },
      '4': { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 2880 },
    },
    warnAtPercent: 75,
    position: 2,
  },
  {
    key: 'domestic',
    name: 'Domestic abuse',
    description: 'Domestic abuse reported online, answered by trained staff.',
    requiredSkills: ['domestic_abuse'],
    isControlRoom: false,
    isDefault: false,
    sla: {
      '1': { firstResponseMinutes: 2, nextResponseMinutes: 5, resolutionMinutes: 60 },
      '2': { firstResponseMinutes: 10, nextResponseMinutes: 20, resolutionMinutes: 240 },
      '3': { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 720 },
      '4': { firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 1440 },
    },
    warnAtPercent: 75,
    position: 3,
  },
  {
    key: 'online_report',
    name: 'Online reports',
    description: 'Reports made through the portal and partner systems.',
    requiredSkills: [],
    isControlRoom: false,
    isDefault: false,
    sla: {
      '1': { firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 120 },
      '2': { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 480 },
      '3': { firstResponseMinutes: 240, nextResponseMinutes: 480, resolutionMinutes: 2880 },
      '4': { firstResponseMinutes: 1440, nextResponseMinutes: 1440, resolutionMinutes: 7200 },
    },
    warnAtPercent: 75,
    position: 4,
  },
  {
    key: 'general',
    name: 'General enquiries',
    description: 'Everything else: social media, email, texts and chats without risk.',
    requiredSkills: [],
    isControlRoom: false,
    isDefault: true,
    sla: {
      '1': { firstResponseMinutes: 5, nextResponseMinutes: 10, resolutionMinutes: 120 },
      '2': { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 480 },
      '3': { firstResponseMinutes: 120, nextResponseMinutes: 240, resolutionMinutes: 1440 },
      '4': { firstResponseMinutes: 480, nextResponseMinutes: 960, resolutionMinutes: 4320 },
    },
    warnAtPercent: 75,
    position: 5,
  },
];

/** In order: calls to the control room; risk to life anywhere else to public safety; then by category and channel. */
export const DEFAULT_QUEUE_RULES: readonly RuleSpec[] = [
  { queueKey: 'control_room', channels: ['phone'] },
  { queueKey: 'public_safety', priorities: [1] },
  { queueKey: 'domestic', categories: ['domestic_abuse'] },
  { queueKey: 'public_safety', categories: ['weapons', 'violence', 'child_at_risk', 'missing_person', 'road_danger', 'fire', 'sexual_offence'] },
  { queueKey: 'online_report', channels: ['portal', 'api'] },
];

export type QueueRow = {
  id: string;
  key: string;
  name: string;
  description: string;
  required_skills: string[];
  is_control_room: boolean;
  is_default: boolean;
  sla: { [key: string]: JsonValue };
  warn_at_percent: number;
  position: number;
  version: number;
};

/** A queue row as the API gives it. */
export function toQueue(row: QueueRow): Queue {
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    description: row.description,
    requiredSkills: row.required_skills,
    isControlRoom: row.is_control_room,
    isDefault: row.is_default,
    sla: parseSlaPolicy(row.sla),
    warnAtPercent: Number(row.warn_at_percent),
    position: Number(row.position),
    version: Number(row.version),
  };
}

/**
 * Gives a force the default queues and rules if it has none. Safe when two transactions race:
 * each queue is created once by key, and rules refer to whichever row won.
 */
export async function ensureDefaultQueues(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
  const any = await tx.selectFrom('queues').select('id').where('force_id', '=', forceId).limit(1).executeTakeFirst();
  if (any) return;
  const now = clock.now();
  await tx
    .insertInto('queues')
    .values(
      DEFAULT_QUEUES.map((q) => ({
        id: newId(),
        force_id: forceId,
        key: q.key,
        name: q.name,
        description: q.description,
        required_skills: q.requiredSkills,
        is_control_room: q.isControlRoom,
        is_default: q.isDefault,
        sla: JSON.stringify(q.sla),
        warn_at_percent: q.warnAtPercent,
        position: q.position,
        created_at: now,
      })),
    )
    .onConflict((oc) => oc.columns(['force_id', 'key']).doNothing())
    .execute();
  const ids = new Map(
    (await tx.selectFrom('queues').select(['id', 'key']).where('force_id', '=', forceId).execute()).map((row) => [row.key, row.id]),
  );
  await tx
    .insertInto('queue_rules')
    .values(
      DEFAULT_QUEUE_RULES.map((rule, index) => ({
        id: newId(),
        force_id: forceId,
        queue_id: ids.get(rule.queueKey) ?? '',
        position: index + 1,
        channels: rule.channels ?? null,
        categories: rule.categories ?? null,
        priorities: rule.priorities ?? null,
      })),
    )
    .onConflict((oc) => oc.columns(['force_id', 'position']).doNothing())
    .execute();
}

/**
 * Every new contact reads its force's queues and rules; they change rarely, so each process keeps
 * them for five seconds. A change made through this process is seen at once; one made on another
 * node is seen here within five seconds (it only affects the targets of clocks started meanwhile).
 */
const QUEUE_CACHE_MS = 5_000;
const queueCache = new Map<string, { until: number; value: { queues: Queue[]; rules: QueueRule[] } }>();

/** The force's queues in display order, and its routing rules; the defaults are created on first use. */
export async function loadQueues(tx: Tx, forceId: ForceId, clock: Clock): Promise<{ queues: Queue[]; rules: QueueRule[] }> {
  const cached = queueCache.get(forceId);
  if (cached && cached.until > Date.now()) return cached.value;
  let rows = await tx.selectFrom('queues').selectAll().where('force_id', '=', forceId).orderBy('position').execute();
  // Queues created by this transaction might yet roll back: only what was already there is kept.
  const isCacheable = rows.length > 0;
  if (rows.length === 0) {
    await ensureDefaultQueues(tx, forceId, clock);
    rows = await tx.selectFrom('queues').selectAll().where('force_id', '=', forceId).orderBy('position').execute();
  }
  const value = { queues: rows.map(toQueue), rules: await readQueueRules(tx, forceId) };
  // Wall time, not the injected clock: this is how long a copy is trusted, not a business rule.
  if (isCacheable) queueCache.set(forceId, { until: Date.now() + QUEUE_CACHE_MS, value });
  return value;
}

/**
 * The force's queues and rules as they are now, not as this process last kept them, with the
 * version of the rules: what an admin's change is made from (decision 0084).
 */
export async function listQueues(tx: Tx, forceId: ForceId, clock: Clock): Promise<{ queues: Queue[]; rules: QueueRule[]; rulesVersion: number }> {
  queueCache.delete(forceId);
  const { queues, rules } = await loadQueues(tx, forceId, clock);
  return { queues, rules, rulesVersion: await readListVersion(tx, forceId, 'queue_rules') };
}

/** The force's routing rules in order, as `tx` sees them (never kept: they may be this transaction's own). */
async function readQueueRules(tx: Tx, forceId: ForceId): Promise<QueueRule[]> {
  const rules = await tx.selectFrom('queue_rules').selectAll().where('force_id', '=', forceId).orderBy('position').execute();
  return rules.map((rule) => ({
    queueId: rule.queue_id,
    position: Number(rule.position),
    channels: rule.channels,
    categories: rule.categories,
    priorities: rule.priorities?.map(Number) ?? null,
  }));
}

/**
 * Forgets one force's cached queues and rules, changed by `tx` in this process: now, and again once
 * it commits, so a copy another request read meanwhile, without the change, is not kept.
 */
export function forgetForceQueues(forceId: ForceId, tx: Tx): void {
  queueCache.delete(forceId);
  afterCommit(tx, () => queueCache.delete(forceId));
}

/**
 * Forgets every force's cached queues, for a process that opens another database holding the same
 * force ids (test apps copied from one template database).
 */
export function forgetCachedQueues(): void {
  queueCache.clear();
  forgetCachedChannelTargets();
}

/** What a change to a queue may give; `version` is the queue's version the change was made from. */
export type QueueChange = {
  sla?: SlaPolicy | undefined;
  warnAtPercent?: number | undefined;
  requiredSkills?: string[] | undefined;
  name?: string | undefined;
  version?: number | undefined;
};

/**
 * Changes a queue's SLA targets, warning point, required skills or name, as an event, and counts
 * the change in its version. A change made from a version the queue no longer has is refused
 * before anything else is checked (decision 0084). Clocks already running keep their targets.
 * Null: the force has no such queue.
 */
export async function updateQueue(tx: Tx, forceId: ForceId, clock: Clock, queueId: string, change: QueueChange, actorStaffId: string): Promise<Queue | null> {
  const found = await tx.selectFrom('queues').selectAll().where('force_id', '=', forceId).where('id', '=', queueId).forUpdate().executeTakeFirst();
  if (!found) return null;
  await requireOpenedVersion({
    opened: change.version,
    current: Number(found.version),
    what: `The queue “${found.name}”`,
    since: 'after you opened it',
    nothingDone: 'Nothing was saved.',
    checkWhat: 'the queue',
    actorStaffId,
    readLastChange: () => findLastChange(tx, forceId, { type: 'queue', id: queueId, eventTypes: [queueUpdated.type] }),
  });
  const { version: _opened, ...fields } = change;
  // A save that changes nothing (the form sends every field) records nothing and keeps the
  // version, so it cannot make another admin's open form out of date.
  if (!changesQueue(toQueue(found), fields)) return toQueue(found);
  const row = await tx
    .updateTable('queues')
    .set((eb) => ({
      ...(fields.sla ? { sla: JSON.stringify(fields.sla) } : {}),
      ...(fields.warnAtPercent !== undefined ? { warn_at_percent: fields.warnAtPercent } : {}),
      ...(fields.requiredSkills ? { required_skills: fields.requiredSkills } : {}),
      ...(fields.name ? { name: fields.name } : {}),
      version: eb('version', '+', 1),
    }))
    .where('force_id', '=', forceId)
    .where('id', '=', queueId)
    .returningAll()
    .executeTakeFirstOrThrow();
  forgetForceQueues(forceId, tx);
  record(
    tx,
    forceId,
    clock,
    queueUpdated.of({
      actor: { type: 'staff', id: actorStaffId },
      subjectId: queueId,
      // Only the fields that were given: the chain stores JSON, which drops the others.
      data: fields,
    }),
  );
  return toQueue(row);
}

/** A policy's targets in one order, whatever order its keys came in. */
const slaInOrder = (sla: SlaPolicy) =>
  (['1', '2', '3', '4'] as const).map((p) => [sla[p].firstResponseMinutes, sla[p].nextResponseMinutes, sla[p].resolutionMinutes]);

/** Whether any field given differs from the queue as it is (required skills in any order). */
function changesQueue(queue: Queue, fields: Omit<QueueChange, 'version'>): boolean {
  const sorted = (skills: readonly string[]) => [...skills].sort().join('\n');
  return (
    (fields.sla !== undefined && JSON.stringify(slaInOrder(fields.sla)) !== JSON.stringify(slaInOrder(queue.sla))) ||
    (fields.warnAtPercent !== undefined && fields.warnAtPercent !== queue.warnAtPercent) ||
    (fields.requiredSkills !== undefined && sorted(fields.requiredSkills) !== sorted(queue.requiredSkills)) ||
    (fields.name !== undefined && fields.name !== queue.name)
  );
}

export type QueueRuleInput = { queueId: string; channels?: string[] | undefined; categories?: string[] | undefined; priorities?: number[] | undefined };

/**
 * Replaces the force's routing rules with a new ordered list, as one event, counted in the list's
 * version. A list made from a version the force's list no longer has is refused before anything
 * else is checked (decision 0084). Every rule must name one of the force's queues; contacts
 * already queued stay where they are.
 */
export async function replaceQueueRules(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  replacement: { rules: readonly QueueRuleInput[]; version?: number | undefined },
  actorStaffId: string,
): Promise<{ rules: QueueRule[]; rulesVersion: number }> {
  const { rules } = replacement;
  await requireRoutingListVersion(tx, forceId, 'queue_rules', replacement.version, actorStaffId);
  const { queues } = await loadQueues(tx, forceId, clock);
  rules.forEach((rule, index) => {
    if (!queues.some((q) => q.id === rule.queueId)) throw invalid(`body.rules.${index}.queueId`, 'must be one of this force\'s queues');
  });
  await tx.deleteFrom('queue_rules').where('force_id', '=', forceId).execute();
  if (rules.length > 0) {
    await tx
      .insertInto('queue_rules')
      .values(
        rules.map((rule, index) => ({
          id: newId(),
          force_id: forceId,
          queue_id: rule.queueId,
          position: index + 1,
          channels: rule.channels && rule.channels.length > 0 ? rule.channels : null,
          categories: rule.categories && rule.categories.length > 0 ? rule.categories : null,
          priorities: rule.priorities && rule.priorities.length > 0 ? rule.priorities : null,
        })),
      )
      .execute();
  }
  record(
    tx,
    forceId,
    clock,
    queueRulesReplaced.of({ actor: { type: 'staff', id: actorStaffId }, subjectId: forceId, data: { rules: JSON.parse(JSON.stringify(rules)) as JsonValue } }),
  );
  const rulesVersion = await countListChange(tx, forceId, 'queue_rules');
  forgetForceQueues(forceId, tx);
  return { rules: await readQueueRules(tx, forceId), rulesVersion };
}
