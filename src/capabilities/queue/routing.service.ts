import { sql } from 'kysely';
import { notifyOnCommit, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { type Actor, type EventInput } from '../../platform/events/event-log.ts';
import { notFound } from '../../platform/errors.ts';
import { roleHasPermission, type StaffRole } from '../../platform/auth/permissions.ts';
import { isThreatToLife, matchQueueRule, skillNeeds } from './routing.engine.ts';
import type { CapacityClass } from '../staff/staff.schema.ts';
import { loadQueues, type Queue } from './queues.service.ts';
import { hasFirstResponse, isClockRunning, startClocks, startClocksForMany, stopClocks } from './sla.service.ts';
import { raiseAlert, raiseAlerts, type AlertInput } from './alerts.service.ts';

/** NOTIFY channel that asks workers to run distribution for a force (the payload is the force id). */
export const ROUTING_CHANNEL = 'bluelamp_routing';

/** An available person whose console has not been heard from for this long is not given work. */
export const PRESENCE_STALE_AFTER_MS = 2 * 60_000;

/** Contacts considered per distribution round. */
export const ROUND_SIZE = 1000;

/** Asks, on commit, for the force's waiting contacts to be given out. */
export async function requestDistribution(tx: Tx, forceId: ForceId): Promise<void> {
  await notifyOnCommit(tx, ROUTING_CHANNEL, forceId);
}

/** Serialises everything that assigns contacts in one force, across every node. */
export async function lockForceRouting(tx: Tx, forceId: ForceId): Promise<void> {
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
// Routing profiles: the row routing keeps per member of staff (skills, capacity, presence), made
// on first need; staff/presence.service.ts changes it.
// ---------------------------------------------------------------------------------------------

/** An active member of staff of the force (id, name, role), or not found. */
export async function loadStaffForRouting(tx: Tx, forceId: ForceId, staffId: string) {
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
export function unassignedEvent(contactId: string, staffId: string, actor: Actor, reason: string): EventInput {
  return { type: 'contact.unassigned', actor, subject: { type: 'contact', id: contactId }, data: { staffId, reason } };
}

// ---------------------------------------------------------------------------------------------
// Hooks used by intake and contact work, inside their transactions. Each returns the events to
// append with the caller's own, last.
// ---------------------------------------------------------------------------------------------

type ContactFacts = { contactId: string; channel: string; categories: readonly string[]; priority: number; language?: string | null };

type QueueEntry = { facts: ContactFacts; queue: Queue; isTtl: boolean };

/** Puts one contact in a queue and starts its clocks (used by escalation and moves too). */
export async function enterQueue(tx: Tx, forceId: ForceId, clock: Clock, facts: ContactFacts, queue: Queue, isTtl: boolean): Promise<{ dueAts: { kind: string; dueAt: string }[] }> {
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

