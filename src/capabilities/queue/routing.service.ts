import { sql } from 'kysely';
import { notifyOnCommit, withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { appendEvents, type Actor, type EventInput } from '../../platform/events/event-log.ts';
import { publishLive } from '../../platform/realtime/live.ts';
import { AppError, conflict, notFound } from '../../platform/errors.ts';
import { roleHasPermission, type StaffRole } from '../../platform/auth/permissions.ts';
import {
  CAPACITY_CLASSES,
  capacityClassOf,
  isThreatToLife,
  loadByClass,
  readCapacity,
  triageCategories,
  matchQueueRule,
  planAssignments,
  skillNeeds,
  type CapacityClass,
  type Candidate,
  type Decision,
  type Presence,
  type WaitingContact,
} from './routing.engine.ts';
import { loadQueues, type Queue } from './queues.service.ts';
import { hasFirstResponse, isClockRunning, startClocks, startClocksForMany, stopClocks } from './sla.service.ts';
import { raiseAlert, raiseAlerts, type AlertInput } from './alerts.service.ts';

/** NOTIFY channel that asks workers to run distribution for a force (the payload is the force id). */
export const ROUTING_CHANNEL = 'bluelamp_routing';

/** An available person whose console has not been heard from for this long is not given work. */
export const PRESENCE_STALE_AFTER_MS = 2 * 60_000;

/** Contacts considered per distribution round. */
const ROUND_SIZE = 1000;

/** Asks, on commit, for the force's waiting contacts to be given out. */
export async function requestDistribution(tx: Tx, forceId: ForceId): Promise<void> {
  await notifyOnCommit(tx, ROUTING_CHANNEL, forceId);
}

/** Serialises everything that assigns contacts in one force, across every node. */
async function lockForceRouting(tx: Tx, forceId: ForceId): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`routing:${forceId}`}, 0))`.execute(tx);
}

/** The capacity a member of staff starts with, by role, until a supervisor sets theirs. */
export function defaultCapacity(role: StaffRole): Record<CapacityClass, number> {
  switch (role) {
    case 'call_handler':
      return { call: 1, chat: 2, social: 0, sms: 3, email: 3, online: 3 };
    case 'digital_desk_operator':
      return { call: 0, chat: 3, social: 5, sms: 5, email: 5, online: 5 };
    default:
      return { call: 1, chat: 2, social: 3, sms: 3, email: 3, online: 3 };
  }
}

/** Whether a role works contacts and so can be given them. */
export function isRoutableRole(role: StaffRole): boolean {
  return roleHasPermission(role, 'contacts:reply');
}

// ---------------------------------------------------------------------------------------------
// Hooks used by intake and contact work, inside their transactions. Each returns the events to
// append with the caller's own, last.
// ---------------------------------------------------------------------------------------------

type ContactFacts = { contactId: string; channel: string; categories: readonly string[]; priority: number; language?: string | null };

type QueueEntry = { facts: ContactFacts; queue: Queue; isTtl: boolean };

async function enterQueue(tx: Tx, forceId: ForceId, clock: Clock, facts: ContactFacts, queue: Queue, isTtl: boolean): Promise<{ dueAts: { kind: string; dueAt: string }[] }> {
  const [entered] = await enterQueues(tx, forceId, clock, [{ facts, queue, isTtl }]);
  return entered ?? { dueAts: [] };
}

/**
 * Puts contacts into their queues (one guarded UPDATE for all) and starts their first-response
 * and resolution clocks (one insert of clocks, one of jobs); results in input order.
 */
async function enterQueues(tx: Tx, forceId: ForceId, clock: Clock, entries: readonly QueueEntry[]): Promise<{ dueAts: { kind: string; dueAt: string }[] }[]> {
  if (entries.length === 0) return [];
  const rows = entries.map(({ facts, queue, isTtl }) => {
    const needs = skillNeeds({ channel: facts.channel, categories: facts.categories, queueSkills: queue.requiredSkills, language: facts.language ?? null });
    return sql`(${facts.contactId}::uuid, ${queue.id}::uuid, ${isTtl}::boolean, ${needs.required}::text[], ${needs.preferred}::text[])`;
  });
  await sql`
    update contacts as c set queue_id = v.queue_id, enqueued_at = ${clock.now()}, assigned_staff_id = null, assigned_at = null,
      is_threat_to_life = v.is_ttl, required_skills = v.required_skills, preferred_skills = v.preferred_skills
    from (values ${sql.join(rows)}) as v(contact_id, queue_id, is_ttl, required_skills, preferred_skills)
    where c.force_id = ${forceId} and c.id = v.contact_id`.execute(tx);
  const started = await startClocksForMany(
    tx,
    forceId,
    clock,
    entries.map(({ facts, queue }) => ({ contactId: facts.contactId, queue, priority: facts.priority, kinds: ['first_response', 'resolution'] as const })),
  );
  return started.map((clocks) => ({ dueAts: clocks.map((k) => ({ kind: k.kind, dueAt: k.dueAt.toISOString() })) }));
}

function threatToLifeAlert(facts: { contactId: string; reference: string }, queue: Queue): AlertInput {
  return {
    kind: 'threat_to_life',
    contactId: facts.contactId,
    message: `${facts.reference}: possible threat to life in ${queue.name}. It has been put first in the queue.`,
  };
}

/**
 * Routes a new contact: the first matching queue rule (or the default queue, or `queueKey` when
 * the caller names one) decides the queue; its first-response and resolution clocks start; a
 * threat to life is flagged to jump the queue and raises a supervisor alert.
 */
export async function routeNewContact(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  facts: NewContactFacts,
): Promise<EventInput[]> {
  const [events] = await routeNewContacts(tx, forceId, clock, [facts]);
  return events ?? [];
}

export type NewContactFacts = ContactFacts & { reference: string; queueId?: string };

/**
 * Routes several new contacts as `routeNewContact` routes one, with a fixed number of statements
 * however many there are (a batch of reports). Returns each contact's events, in input order.
 */
export async function routeNewContacts(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  contacts: readonly NewContactFacts[],
): Promise<EventInput[][]> {
  if (contacts.length === 0) return [];
  const { queues, rules } = await loadQueues(tx, forceId, clock);
  const routed = contacts.map((facts) => {
    const byRule = matchQueueRule(rules, facts);
    const queue =
      queues.find((q) => q.id === facts.queueId) ??
      queues.find((q) => q.id === byRule?.queueId) ??
      queues.find((q) => q.isDefault) ??
      queues[queues.length - 1];
    return { facts, byRule, queue, isTtl: isThreatToLife(facts.categories) };
  });
  const entries = routed.flatMap(({ facts, queue, isTtl }) => (queue ? [{ facts, queue, isTtl }] : []));
  if (entries.length === 0) return contacts.map(() => []);
  const entered = await enterQueues(tx, forceId, clock, entries);
  const alerts = await raiseAlerts(
    tx,
    forceId,
    clock,
    routed.flatMap(({ facts, queue, isTtl }) => (queue && isTtl ? [threatToLifeAlert(facts, queue)] : [])),
  );
  let nextEntered = 0;
  let nextAlert = 0;
  const events = routed.map(({ facts, byRule, queue, isTtl }) => {
    if (!queue) return [];
    const dueAts = entered[nextEntered++]?.dueAts ?? [];
    const own: EventInput[] = [
      {
        type: 'contact.routed',
        actor: { type: 'system', id: null },
        subject: { type: 'contact', id: facts.contactId },
        data: { queueId: queue.id, queue: queue.key, isThreatToLife: isTtl, clocks: dueAts, rule: byRule ? byRule.position : null },
      },
    ];
    const alert = isTtl ? alerts[nextAlert++] : undefined;
    if (alert) own.push(alert);
    return own;
  });
  await requestDistribution(tx, forceId);
  return events;
}

/**
 * A new inbound message on an existing contact. A re-opened contact goes back into its queue with
 * fresh clocks; a message after our first response starts the next-response clock; a message
 * that raised the priority restarts the clocks at the new priority, and a new threat to life
 * jumps the queue and alerts supervisors.
 */
export async function onInboundMessage(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  facts: ContactFacts & { reference: string; wasReopened: boolean; priorityRaised: boolean },
): Promise<EventInput[]> {
  const contact = await tx
    .selectFrom('contacts')
    .select(['queue_id', 'is_threat_to_life', 'required_skills', 'preferred_skills'])
    .where('force_id', '=', forceId)
    .where('id', '=', facts.contactId)
    .executeTakeFirst();
  if (!contact) return [];
  if (!contact.queue_id) return routeNewContact(tx, forceId, clock, facts);
  const { queues } = await loadQueues(tx, forceId, clock);
  const queue = queues.find((q) => q.id === contact.queue_id);
  if (!queue) return [];
  const events: EventInput[] = [];
  const becameThreat = isThreatToLife(facts.categories) && !contact.is_threat_to_life;

  if (facts.wasReopened) {
    await enterQueue(tx, forceId, clock, facts, queue, contact.is_threat_to_life || becameThreat);
    events.push({ type: 'contact.requeued', actor: { type: 'system', id: null }, subject: { type: 'contact', id: facts.contactId }, data: { queueId: queue.id, reason: 'reopened' } });
  } else {
    if (facts.priorityRaised) {
      // The targets of the new priority apply from now; the old clocks end without counting as missed.
      const stopped = await stopClocks(tx, forceId, clock, facts.contactId, 'reprioritised');
      await startClocks(tx, forceId, clock, { contactId: facts.contactId, queue, priority: facts.priority, kinds: stopped });
      const needs = skillNeeds({ channel: facts.channel, categories: facts.categories, queueSkills: queue.requiredSkills, language: facts.language ?? null });
      // What earlier messages called for still counts: the new message adds to it.
      const required = [...new Set([...contact.required_skills, ...needs.required])].sort();
      const preferred = [...new Set([...contact.preferred_skills, ...needs.preferred])].filter((skill) => !required.includes(skill)).sort();
      await tx
        .updateTable('contacts')
        .set({ preferred_skills: preferred, required_skills: required })
        .where('force_id', '=', forceId)
        .where('id', '=', facts.contactId)
        .execute();
    }
    if ((await hasFirstResponse(tx, forceId, facts.contactId)) && !(await isClockRunning(tx, forceId, facts.contactId, 'next_response'))) {
      await startClocks(tx, forceId, clock, { contactId: facts.contactId, queue, priority: facts.priority, kinds: ['next_response'] });
    }
    if (becameThreat) {
      await tx.updateTable('contacts').set({ is_threat_to_life: true }).where('force_id', '=', forceId).where('id', '=', facts.contactId).execute();
    }
  }
  if (becameThreat) events.push(await raiseAlert(tx, forceId, clock, threatToLifeAlert(facts, queue)));
  await requestDistribution(tx, forceId);
  return events;
}

/** Our reply stops the first-response and next-response clocks. */
export async function onResponded(tx: Tx, forceId: ForceId, clock: Clock, contactId: string): Promise<void> {
  await stopClocks(tx, forceId, clock, contactId, 'responded', ['first_response', 'next_response']);
}

/** Closing stops every clock and frees the assignee's capacity. */
export async function onClosed(tx: Tx, forceId: ForceId, clock: Clock, contactId: string): Promise<void> {
  await stopClocks(tx, forceId, clock, contactId, 'closed');
  await requestDistribution(tx, forceId);
}

// ---------------------------------------------------------------------------------------------
// Distribution
// ---------------------------------------------------------------------------------------------

type WaitingRow = {
  id: string;
  priority: number;
  is_threat_to_life: boolean;
  enqueued_at: Date;
  channel: string;
  required_skills: string[];
  preferred_skills: string[];
  excluded_staff_ids: string[];
};

async function loadCandidates(tx: Tx, forceId: ForceId, now: Date): Promise<Candidate[]> {
  const seenSince = new Date(now.getTime() - PRESENCE_STALE_AFTER_MS);
  const staff = await tx
    .selectFrom('staff_routing as r')
    .innerJoin('staff as s', 's.id', 'r.staff_id')
    .select(['r.staff_id', 's.role', 'r.skills', 'r.capacity', 'r.idle_since'])
    .where('r.force_id', '=', forceId)
    .where('r.presence', '=', 'available')
    .where('r.last_seen_at', '>=', seenSince)
    .where('s.is_active', '=', true)
    .execute();
  const routable = staff.filter((row) => isRoutableRole(row.role as StaffRole));
  if (routable.length === 0) return [];
  const loads = await tx
    .selectFrom('contacts')
    .select(['assigned_staff_id', 'channel', (eb) => eb.fn.countAll<number>().as('n')])
    .where('force_id', '=', forceId)
    .where('status', '=', 'open')
    .where('assigned_staff_id', 'in', routable.map((row) => row.staff_id))
    .groupBy(['assigned_staff_id', 'channel'])
    .execute();
  const heldBy = new Map<string, typeof loads>();
  for (const load of loads) {
    if (!load.assigned_staff_id) continue;
    const list = heldBy.get(load.assigned_staff_id);
    if (list) list.push(load);
    else heldBy.set(load.assigned_staff_id, [load]);
  }
  return routable.map((row) => ({
    staffId: row.staff_id,
    presence: 'available' as Presence,
    skills: new Set(row.skills),
    capacity: readCapacity(row.capacity),
    load: loadByClass(heldBy.get(row.staff_id) ?? []),
    idleSince: row.idle_since,
  }));
}

function toWaiting(row: WaitingRow): WaitingContact {
  return {
    contactId: row.id,
    priority: Number(row.priority),
    isThreatToLife: row.is_threat_to_life,
    enqueuedAt: row.enqueued_at,
    capacityClass: capacityClassOf(row.channel),
    requiredSkills: row.required_skills,
    preferredSkills: row.preferred_skills,
    excludedStaffIds: row.excluded_staff_ids,
  };
}

async function applyDecisions(tx: Tx, forceId: ForceId, clock: Clock, decisions: readonly Decision[]): Promise<EventInput[]> {
  if (decisions.length === 0) return [];
  const now = clock.now();
  const applied = new Set<string>();
  for (let i = 0; i < decisions.length; i += 500) {
    const slice = decisions.slice(i, i + 500);
    const values = sql.join(slice.map((d) => sql`(${d.contactId}::uuid, ${d.staffId}::uuid)`));
    // The guard on an empty assignee is the last word: a contact is never given out twice.
    const result = await sql<{ id: string }>`
      update contacts as c set assigned_staff_id = v.staff_id, assigned_at = ${now}
      from (values ${values}) as v(contact_id, staff_id)
      where c.force_id = ${forceId} and c.id = v.contact_id and c.assigned_staff_id is null and c.status = 'open'
      returning c.id`.execute(tx);
    for (const row of result.rows) applied.add(row.id);
  }
  const takers = [...new Set(decisions.filter((d) => applied.has(d.contactId)).map((d) => d.staffId))];
  if (takers.length > 0) {
    await tx.updateTable('staff_routing').set({ idle_since: now }).where('force_id', '=', forceId).where('staff_id', 'in', takers).execute();
  }
  return decisions
    .filter((d) => applied.has(d.contactId))
    .map((d) => ({
      type: 'contact.assigned',
      actor: { type: 'system', id: null },
      subject: { type: 'contact', id: d.contactId },
      data: { staffId: d.staffId, by: 'routing', reason: d.reason },
    }));
}

/** One page of a force's waiting contacts in queue order, after the contact `after` when given. */
async function loadWaitingPage(tx: Tx, forceId: ForceId, after: WaitingRow | null): Promise<WaitingRow[]> {
  let query = tx
    .selectFrom('contacts')
    .select(['id', 'priority', 'is_threat_to_life', 'enqueued_at', 'channel', 'required_skills', 'preferred_skills', 'excluded_staff_ids'])
    .where('force_id', '=', forceId)
    .where('status', '=', 'open')
    .where('assigned_staff_id', 'is', null)
    .where('queue_id', 'is not', null)
    .where('enqueued_at', 'is not', null);
  if (after) {
    // Keyset on the queue order (threat to life first, then priority, then longest waiting, then id).
    query = query.where((eb) =>
      eb.or([
        eb('is_threat_to_life', '<', after.is_threat_to_life),
        eb.and([
          eb('is_threat_to_life', '=', after.is_threat_to_life),
          eb(eb.refTuple('priority', 'enqueued_at', 'id'), '>', eb.tuple(after.priority, after.enqueued_at, after.id)),
        ]),
      ]),
    );
  }
  const rows = await query.orderBy('is_threat_to_life', 'desc').orderBy('priority').orderBy('enqueued_at').orderBy('id').limit(ROUND_SIZE).execute();
  return rows.filter((row): row is WaitingRow => row.enqueued_at !== null);
}

function hasRoom(candidates: readonly Candidate[]): boolean {
  return candidates.some((c) => CAPACITY_CLASSES.some((k) => (c.load[k] ?? 0) < (c.capacity[k] ?? 0)));
}

/**
 * Gives waiting contacts of one force to the best available suitable people, in queue order,
 * under the force's routing lock: two nodes running this at once take turns, and the second sees
 * the first one's assignments. It reads the queue a page of `ROUND_SIZE` at a time and goes on
 * past contacts nobody free can take (a skill nobody available has), so those never hide the
 * ones behind them; a round stops once it has given out about `ROUND_SIZE`, or nobody has room,
 * or the queue ends. Returns how many were given out and whether another round could give out more.
 */
export async function distributeRound(deps: ServiceDeps, forceId: ForceId): Promise<{ assigned: number; considered: number; hasMore: boolean }> {
  return withForce(deps.db, forceId, async (tx) => {
    await lockForceRouting(tx, forceId);
    const now = deps.clock.now();
    const candidates = await loadCandidates(tx, forceId, now);
    if (candidates.length === 0) return { assigned: 0, considered: 0, hasMore: false };
    const decisions: Decision[] = [];
    // A contact whose place moved between pages (its priority raised meanwhile) is planned once.
    const seen = new Set<string>();
    let considered = 0;
    let after: WaitingRow | null = null;
    let isQueueLeft = true;
    while (isQueueLeft && decisions.length < ROUND_SIZE && hasRoom(candidates)) {
      const page = await loadWaitingPage(tx, forceId, after);
      const fresh = page.filter((row) => !seen.has(row.id));
      for (const row of fresh) seen.add(row.id);
      considered += fresh.length;
      decisions.push(...planAssignments(fresh.map(toWaiting), candidates, now));
      isQueueLeft = page.length === ROUND_SIZE;
      after = page[page.length - 1] ?? null;
    }
    const events = await applyDecisions(tx, forceId, deps.clock, decisions);
    if (events.length > 0) {
      await appendEvents(tx, forceId, deps.clock, events);
      await publishLive(tx, forceId, { type: 'routing.changed' });
    }
    // Another round helps only if this one stopped at its size with contacts and room left.
    return { assigned: events.length, considered, hasMore: isQueueLeft && decisions.length >= ROUND_SIZE && events.length > 0 && hasRoom(candidates) };
  });
}

/** Runs rounds until nothing more can be given out; returns the total assigned. */
export async function distributeWaiting(deps: ServiceDeps, forceId: ForceId): Promise<number> {
  let total = 0;
  for (;;) {
    const round = await distributeRound(deps, forceId);
    total += round.assigned;
    if (!round.hasMore) return total;
  }
}

// ---------------------------------------------------------------------------------------------
// People: presence, skills, capacity
// ---------------------------------------------------------------------------------------------

async function loadStaffForRouting(tx: Tx, forceId: ForceId, staffId: string) {
  const staff = await tx
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'is_active'])
    .where('force_id', '=', forceId)
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!staff || !staff.is_active) throw notFound('member of staff');
  return staff;
}

/** Creates a person's routing profile (offline, role defaults, the skills given) if they have none. */
export async function ensureRoutingProfile(tx: Tx, forceId: ForceId, clock: Clock, staffId: string, role: StaffRole, skills: readonly string[] = []): Promise<void> {
  const now = clock.now();
  await tx
    .insertInto('staff_routing')
    .values({
      staff_id: staffId,
      force_id: forceId,
      skills: [...skills],
      capacity: JSON.stringify(defaultCapacity(role)),
      presence: 'offline',
      presence_changed_at: now,
      idle_since: now,
      last_seen_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('staff_id').doNothing())
    .execute();
}

/** The event for a contact leaving the person who held it. */
function unassignedEvent(contactId: string, staffId: string, actor: Actor, reason: string): EventInput {
  return { type: 'contact.unassigned', actor, subject: { type: 'contact', id: contactId }, data: { staffId, reason } };
}

/**
 * Puts every open contact a person holds back into its queue, keeping its place: used when they
 * go offline, so no contact waits on someone who is not there.
 */
async function returnWorkToQueue(tx: Tx, forceId: ForceId, staffId: string, actor: Actor, reason: string): Promise<EventInput[]> {
  const returned = await tx
    .updateTable('contacts')
    .set({ assigned_staff_id: null, assigned_at: null })
    .where('force_id', '=', forceId)
    .where('assigned_staff_id', '=', staffId)
    .where('status', '=', 'open')
    .returning('id')
    .execute();
  return returned.map((row) => unassignedEvent(row.id, staffId, actor, reason));
}

/**
 * Sets a person's presence (their own, or a supervisor's change). Becoming available starts their
 * idle time; going offline returns their open contacts to the queue.
 */
export async function setPresence(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { staffId: string; presence: Presence; actorStaffId: StaffId },
): Promise<{ presence: Presence; returnedContacts: number }> {
  return withForce(deps.db, forceId, async (tx) => {
    const staff = await loadStaffForRouting(tx, forceId, input.staffId);
    if (!isRoutableRole(staff.role as StaffRole)) throw new AppError('validation_failed', `${staff.role} does not work the queue`, { publicMessage: 'This role does not work the queue, so it has no presence.' });
    await lockForceRouting(tx, forceId);
    await ensureRoutingProfile(tx, forceId, deps.clock, input.staffId, staff.role as StaffRole);
    const now = deps.clock.now();
    const before = await tx.selectFrom('staff_routing').select('presence').where('force_id', '=', forceId).where('staff_id', '=', input.staffId).executeTakeFirstOrThrow();
    await tx
      .updateTable('staff_routing')
      .set({
        presence: input.presence,
        presence_changed_at: now,
        last_seen_at: now,
        updated_at: now,
        ...(input.presence === 'available' && before.presence !== 'available' ? { idle_since: now } : {}),
      })
      .where('force_id', '=', forceId)
      .where('staff_id', '=', input.staffId)
      .execute();
    const actor: Actor = { type: 'staff', id: input.actorStaffId };
    const events: EventInput[] = [];
    if (before.presence !== input.presence) {
      events.push({
        type: 'staff.presence_changed',
        actor,
        subject: { type: 'staff', id: input.staffId },
        data: { from: before.presence, to: input.presence },
      });
    }
    const returned = input.presence === 'offline' ? await returnWorkToQueue(tx, forceId, input.staffId, actor, 'went offline') : [];
    events.push(...returned);
    await appendEvents(tx, forceId, deps.clock, events);
    await publishLive(tx, forceId, { type: 'routing.changed' });
    await requestDistribution(tx, forceId);
    return { presence: input.presence, returnedContacts: returned.length };
  });
}

/**
 * Takes a person out of routing in the caller's transaction, as going offline does: their presence
 * becomes offline and every open contact they hold returns to its queue in its old place. Used when
 * an admin deactivates someone or ends their sessions. Returns the events to append with the caller's.
 */
export async function withdrawFromRouting(tx: Tx, forceId: ForceId, clock: Clock, input: { staffId: string; actor: Actor; reason: string }): Promise<{ events: EventInput[]; returnedContacts: number }> {
  // Under the routing lock, so a distribution round running now finishes first and its
  // assignments to this person are returned too.
  await lockForceRouting(tx, forceId);
  const now = clock.now();
  const before = await tx.selectFrom('staff_routing').select('presence').where('force_id', '=', forceId).where('staff_id', '=', input.staffId).executeTakeFirst();
  const events: EventInput[] = [];
  if (before && before.presence !== 'offline') {
    await tx
      .updateTable('staff_routing')
      .set({ presence: 'offline', presence_changed_at: now, updated_at: now })
      .where('force_id', '=', forceId)
      .where('staff_id', '=', input.staffId)
      .execute();
    events.push({ type: 'staff.presence_changed', actor: input.actor, subject: { type: 'staff', id: input.staffId }, data: { from: before.presence, to: 'offline' } });
  }
  const returned = await returnWorkToQueue(tx, forceId, input.staffId, input.actor, input.reason);
  events.push(...returned);
  // As going offline does: one routing change refreshes boards and operators' lists.
  await publishLive(tx, forceId, { type: 'routing.changed' });
  if (returned.length > 0) await requestDistribution(tx, forceId);
  return { events, returnedContacts: returned.length };
}

/** The console's heartbeat: keeps an available person eligible for work. */
export async function recordHeartbeat(deps: ServiceDeps, forceId: ForceId, staffId: StaffId): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const row = await tx
      .updateTable('staff_routing')
      .set({ last_seen_at: now })
      .where('force_id', '=', forceId)
      .where('staff_id', '=', staffId)
      .returning('presence')
      .executeTakeFirst();
    if (row?.presence === 'available') await requestDistribution(tx, forceId);
  });
}

/** Changes a person's skills and capacity per channel class. */
export async function updateRoutingProfile(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { staffId: string; skills?: string[]; capacity?: Partial<Record<CapacityClass, number>>; actorStaffId: StaffId },
): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const staff = await loadStaffForRouting(tx, forceId, input.staffId);
    await ensureRoutingProfile(tx, forceId, deps.clock, input.staffId, staff.role as StaffRole);
    const current = await tx.selectFrom('staff_routing').select(['skills', 'capacity']).where('force_id', '=', forceId).where('staff_id', '=', input.staffId).executeTakeFirstOrThrow();
    const skills = input.skills ? [...new Set(input.skills)].sort() : current.skills;
    const capacity = { ...readCapacity(current.capacity), ...(input.capacity ?? {}) };
    await tx
      .updateTable('staff_routing')
      .set({ skills, capacity: JSON.stringify(capacity), updated_at: deps.clock.now() })
      .where('force_id', '=', forceId)
      .where('staff_id', '=', input.staffId)
      .execute();
    await appendEvents(tx, forceId, deps.clock, [
      { type: 'staff.routing_changed', actor: { type: 'staff', id: input.actorStaffId }, subject: { type: 'staff', id: input.staffId }, data: { skills, capacity } },
    ]);
    await publishLive(tx, forceId, { type: 'routing.changed' });
    await requestDistribution(tx, forceId);
  });
}

// ---------------------------------------------------------------------------------------------
// Manual moves: take, push, take back, escalate
// ---------------------------------------------------------------------------------------------

async function lockOpenContact(tx: Tx, forceId: ForceId, contactId: string) {
  const contact = await tx
    .selectFrom('contacts')
    .select(['id', 'reference', 'status', 'channel', 'priority', 'queue_id', 'assigned_staff_id', 'required_skills', 'excluded_staff_ids', 'is_threat_to_life', 'triage', 'meta'])
    .where('force_id', '=', forceId)
    .where('id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
  if (!contact) throw notFound('contact');
  if (contact.status !== 'open') throw conflict('this contact is closed');
  return contact;
}

/**
 * Gives a contact to a named person: a supervisor's push, or an operator taking it themselves.
 * Never to someone offline or who does not work the queue. A supervisor may go past capacity or
 * skills; the event records that they did.
 */
export async function assignContact(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { contactId: string; toStaffId: string; actorStaffId: StaffId; mode: 'push' | 'take' },
): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    await lockForceRouting(tx, forceId);
    const contact = await lockOpenContact(tx, forceId, input.contactId);
    const staff = await loadStaffForRouting(tx, forceId, input.toStaffId);
    if (!isRoutableRole(staff.role as StaffRole)) throw conflict(`${staff.name} does not work the queue`);
    await ensureRoutingProfile(tx, forceId, deps.clock, staff.id, staff.role as StaffRole);
    const profile = await tx.selectFrom('staff_routing').select(['presence', 'skills', 'capacity']).where('force_id', '=', forceId).where('staff_id', '=', staff.id).executeTakeFirstOrThrow();
    if (profile.presence === 'offline') throw conflict(`${staff.name} is offline; nothing can be assigned to them`);
    if (contact.assigned_staff_id === staff.id) throw conflict(`this contact is already with ${staff.name}`);
    if (input.mode === 'take' && contact.assigned_staff_id) throw conflict('this contact is already assigned; ask a supervisor to move it');
    const missingSkills = contact.required_skills.filter((skill) => !profile.skills.includes(skill));
    if (input.mode === 'take' && missingSkills.length > 0) throw conflict(`this contact needs skills you do not have: ${missingSkills.join(', ')}`);
    const cls = capacityClassOf(contact.channel);
    const held = await tx
      .selectFrom('contacts')
      .select('channel')
      .where('force_id', '=', forceId)
      .where('status', '=', 'open')
      .where('assigned_staff_id', '=', staff.id)
      .execute();
    const overCapacity = (loadByClass(held)[cls] ?? 0) >= (readCapacity(profile.capacity)[cls] ?? 0);
    const now = deps.clock.now();
    await tx
      .updateTable('contacts')
      .set({ assigned_staff_id: staff.id, assigned_at: now, excluded_staff_ids: [] })
      .where('force_id', '=', forceId)
      .where('id', '=', contact.id)
      .execute();
    await tx.updateTable('staff_routing').set({ idle_since: now }).where('force_id', '=', forceId).where('staff_id', '=', staff.id).execute();
    const events: EventInput[] = [];
    if (contact.assigned_staff_id) {
      events.push(unassignedEvent(contact.id, contact.assigned_staff_id, { type: 'staff', id: input.actorStaffId }, 'moved'));
    }
    events.push({
      type: 'contact.assigned',
      actor: { type: 'staff', id: input.actorStaffId },
      subject: { type: 'contact', id: contact.id },
      data: {
        staffId: staff.id,
        by: input.mode === 'push' ? 'supervisor' : 'self',
        overrides: [...(overCapacity ? ['capacity'] : []), ...(missingSkills.length > 0 ? ['skills'] : [])],
      },
    });
    await appendEvents(tx, forceId, deps.clock, events);
    await publishLive(tx, forceId, { type: 'queue.changed', contactId: contact.id });
    await publishLive(tx, forceId, { type: 'routing.changed' });
  });
}

/**
 * A supervisor takes a contact back from the person holding it: it returns to its queue in its old
 * place and is not given to that person again automatically.
 */
export async function takeBackContact(deps: ServiceDeps, forceId: ForceId, input: { contactId: string; actorStaffId: StaffId; reason?: string | undefined }): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    await lockForceRouting(tx, forceId);
    const contact = await lockOpenContact(tx, forceId, input.contactId);
    if (!contact.assigned_staff_id) throw conflict('this contact is not assigned to anyone');
    await tx
      .updateTable('contacts')
      .set({ assigned_staff_id: null, assigned_at: null, excluded_staff_ids: [...new Set([...contact.excluded_staff_ids, contact.assigned_staff_id])] })
      .where('force_id', '=', forceId)
      .where('id', '=', contact.id)
      .execute();
    await appendEvents(tx, forceId, deps.clock, [
      unassignedEvent(contact.id, contact.assigned_staff_id, { type: 'staff', id: input.actorStaffId }, input.reason ?? 'taken back by a supervisor'),
    ]);
    await publishLive(tx, forceId, { type: 'queue.changed', contactId: contact.id });
    await publishLive(tx, forceId, { type: 'routing.changed' });
    await requestDistribution(tx, forceId);
  });
}

/**
 * Moves a contact to the control-room queue in one action, keeping its thread, triage, THRIVE and
 * timeline: the clocks of the old queue end, the control room's start, and it waits for a
 * control-room call handler.
 */
export async function escalateToControlRoom(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { contactId: string; actorStaffId: StaffId; reason: string },
): Promise<{ queueId: string; queueName: string }> {
  return withForce(deps.db, forceId, async (tx) => {
    await lockForceRouting(tx, forceId);
    const contact = await lockOpenContact(tx, forceId, input.contactId);
    const { queues } = await loadQueues(tx, forceId, deps.clock);
    const controlRoom = queues.find((q) => q.isControlRoom);
    if (!controlRoom) throw conflict('this force has no control-room queue');
    if (contact.queue_id === controlRoom.id) throw conflict('this contact is already in the control room');
    const from = queues.find((q) => q.id === contact.queue_id);
    await stopClocks(tx, forceId, deps.clock, contact.id, 'escalated');
    const categories = triageCategories(contact.triage);
    const language = typeof contact.meta.language === 'string' ? contact.meta.language : null;
    const { dueAts } = await enterQueue(
      tx,
      forceId,
      deps.clock,
      { contactId: contact.id, channel: contact.channel, categories, priority: Number(contact.priority), language },
      controlRoom,
      contact.is_threat_to_life,
    );
    const events: EventInput[] = [];
    if (contact.assigned_staff_id) {
      events.push(unassignedEvent(contact.id, contact.assigned_staff_id, { type: 'staff', id: input.actorStaffId }, 'escalated to the control room'));
    }
    events.push({
      type: 'contact.escalated',
      actor: { type: 'staff', id: input.actorStaffId },
      subject: { type: 'contact', id: contact.id },
      data: { fromQueueId: from?.id ?? null, fromQueue: from?.name ?? null, toQueueId: controlRoom.id, toQueue: controlRoom.name, reason: input.reason, clocks: dueAts },
    });
    await appendEvents(tx, forceId, deps.clock, events);
    await publishLive(tx, forceId, { type: 'queue.changed', contactId: contact.id });
    await publishLive(tx, forceId, { type: 'routing.changed' });
    await requestDistribution(tx, forceId);
    return { queueId: controlRoom.id, queueName: controlRoom.name };
  });
}
