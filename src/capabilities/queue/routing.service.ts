import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { roleHasPermission, type StaffRole } from '../../platform/auth/permissions.ts';
import { isThreatToLife, matchQueueRule, skillNeeds, triageCategories } from './routing.engine.ts';
import type { CapacityClass } from '../staff/staff.schema.ts';
import { loadQueues, type Queue } from './queues.service.ts';
import { hasFirstResponse, isClockRunning, startClocks, startClocksForMany, stopClocks, type StartedClockRow } from './sla.service.ts';
import { raiseAlert, raiseAlerts, type AlertInput } from './alerts.service.ts';
import { slaStarted, type StartedClock } from './queue.events.ts';
import { moveEvent } from '../contacts/contact.events.ts';
import { contactState, moveContact, type ContactState } from '../contacts/contact.machine.ts';
import { enterContactsIntoQueues, findContact, updateContact } from '../contacts/contacts.repository.ts';

/** An available person whose console has not been heard from for this long is not given work. */
export const PRESENCE_STALE_AFTER_MS = 2 * 60_000;

/** Contacts considered per distribution round. */
export const ROUND_SIZE = 1000;

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

/** An active member of staff of the force (id, name, role); not found, or a conflict naming them if deactivated. */
export async function loadStaffForRouting(tx: Tx, forceId: ForceId, staffId: string) {
  const staff = await tx
    .selectFrom('staff')
    .select(['id', 'name', 'role', 'is_active'])
    .where('force_id', '=', forceId)
    .where('id', '=', staffId)
    .executeTakeFirst();
  if (!staff) throw notFound('member of staff');
  // Said so, for a supervisor whose screen still listed them when they pressed.
  if (!staff.is_active) throw conflict(`${staff.name} has been deactivated; nothing can be given to them`);
  return staff;
}

/**
 * Creates a person's routing profile if they have none: offline, the skills given, their role's
 * capacity with any given in its place. Returns the profile it made, or none if they had one.
 */
export async function ensureRoutingProfile(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  staffId: string,
  role: StaffRole,
  given: { skills?: readonly string[] | undefined; capacity?: Partial<Record<CapacityClass, number>> | undefined } = {},
): Promise<{ skills: string[]; capacity: Record<CapacityClass, number> } | null> {
  const now = clock.now();
  const profile = { skills: [...new Set(given.skills ?? [])].sort(), capacity: { ...defaultCapacity(role), ...given.capacity } };
  const made = await tx
    .insertInto('staff_routing')
    .values({
      staff_id: staffId,
      force_id: forceId,
      skills: profile.skills,
      capacity: JSON.stringify(profile.capacity),
      presence: 'offline',
      presence_changed_at: now,
      idle_since: now,
      last_seen_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('staff_id').doNothing())
    .returning('staff_id')
    .executeTakeFirst();
  return made ? profile : null;
}

// ---------------------------------------------------------------------------------------------
// Hooks used by intake and contact work, inside their transactions. Each returns the events to
// record with the caller's own.
// ---------------------------------------------------------------------------------------------

type ContactFacts = {
  contactId: string;
  channel: string;
  categories: readonly string[];
  priority: number;
  language?: string | null;
  /** When it was received, if earlier than now (a report processed after receipt): its clocks and place in the queue count from then. */
  receivedAt?: Date;
};

type QueueEntry = { facts: ContactFacts; queue: Queue; isTtl: boolean };

/** Puts one contact in a queue and starts its clocks (used by escalation and moves too); returns the clocks for its event. */
export async function enterQueue(tx: Tx, forceId: ForceId, clock: Clock, facts: ContactFacts, queue: Queue, isTtl: boolean): Promise<{ clocks: StartedClock[] }> {
  const [entered] = await enterQueues(tx, forceId, clock, [{ facts, queue, isTtl }]);
  return entered ?? { clocks: [] };
}

/** The queue columns of a contact entering a queue: where, since when, and the skills it needs. */
export type QueuePlacement = {
  queue_id: string;
  enqueued_at: Date;
  is_threat_to_life: boolean;
  required_skills: string[];
  preferred_skills: string[];
};

function placementOf({ facts, queue, isTtl }: QueueEntry, now: Date): QueuePlacement {
  const needs = skillNeeds({ channel: facts.channel, categories: facts.categories, queueSkills: queue.requiredSkills, language: facts.language ?? null });
  // A report accepted earlier and processed now keeps its place: it is queued from when it was received.
  return { queue_id: queue.id, enqueued_at: facts.receivedAt ?? now, is_threat_to_life: isTtl, required_skills: [...needs.required], preferred_skills: [...needs.preferred] };
}

/**
 * Puts contacts into their queues (one guarded UPDATE for all) and starts their first-response
 * and resolution clocks (one insert); results in input order. The clocks go into the event that
 * put each contact in its queue, from which their checks follow as jobs.
 */
async function enterQueues(tx: Tx, forceId: ForceId, clock: Clock, entries: readonly QueueEntry[]): Promise<{ clocks: StartedClock[] }[]> {
  if (entries.length === 0) return [];
  const now = clock.now();
  await enterContactsIntoQueues(
    tx,
    forceId,
    entries.map((entry) => ({ contactId: entry.facts.contactId, ...placementOf(entry, now) })),
  );
  return startEntryClocks(tx, forceId, clock, entries);
}

/** Starts the first-response and resolution clocks of contacts entering queues (one insert); in input order. */
async function startEntryClocks(tx: Tx, forceId: ForceId, clock: Clock, entries: readonly QueueEntry[]): Promise<{ clocks: StartedClock[] }[]> {
  if (entries.length === 0) return [];
  const started = await startClocksForMany(
    tx,
    forceId,
    clock,
    entries.map(({ facts, queue }) => ({
      contactId: facts.contactId,
      queue,
      priority: facts.priority,
      channel: facts.channel,
      kinds: ['first_response', 'resolution'] as const,
      ...(facts.receivedAt ? { startedAt: facts.receivedAt } : {}),
    })),
  );
  return started.map((clocks) => ({ clocks: clocks.map(toStartedClock) }));
}

/** A clock as the event that started it records it. */
function toStartedClock(row: StartedClockRow): StartedClock {
  return { kind: row.kind, dueAt: row.dueAt.toISOString(), id: row.id, warnAt: row.warnAt.toISOString() };
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
): Promise<NewEvent[]> {
  const [events] = await routeNewContacts(tx, forceId, clock, [facts]);
  return events ?? [];
}

export type NewContactFacts = ContactFacts & { reference: string; queueId?: string };

/** A contact just received: open, and waiting for its first queue. */
const JUST_RECEIVED: ContactState = { status: 'open', assigneeId: null };

/** Where a new contact goes, worked out before anything is written (`planNewContactRoutes`). */
export type NewContactRoute = {
  facts: NewContactFacts;
  byRule: ReturnType<typeof matchQueueRule>;
  queue: Queue | undefined;
  isTtl: boolean;
  /** The queue columns its row takes, or null when the force has no queue. */
  placement: QueuePlacement | null;
};

/**
 * Decides the queue of each new contact (the first matching rule, the queue the caller names, the
 * default, else the last) and the queue columns its row takes, reading only the force's queues
 * and rules. A caller that has not written the rows yet inserts them with their placement and
 * then calls `completeNewContactRoutes`, so each row is written once.
 */
export async function planNewContactRoutes(tx: Tx, forceId: ForceId, clock: Clock, contacts: readonly NewContactFacts[]): Promise<NewContactRoute[]> {
  if (contacts.length === 0) return [];
  const { queues, rules } = await loadQueues(tx, forceId, clock);
  const now = clock.now();
  return contacts.map((facts) => {
    const byRule = matchQueueRule(rules, facts);
    const queue =
      queues.find((q) => q.id === facts.queueId) ??
      queues.find((q) => q.id === byRule?.queueId) ??
      queues.find((q) => q.isDefault) ??
      queues[queues.length - 1];
    const isTtl = isThreatToLife(facts.categories);
    return { facts, byRule, queue, isTtl, placement: queue ? placementOf({ facts, queue, isTtl }, now) : null };
  });
}

/**
 * Finishes routing contacts whose rows already hold their placement: starts their clocks (one
 * insert), raises threat-to-life alerts, and returns each contact's events, in input order.
 */
export async function completeNewContactRoutes(tx: Tx, forceId: ForceId, clock: Clock, routes: readonly NewContactRoute[]): Promise<NewEvent[][]> {
  const entries = routes.flatMap(({ facts, queue, isTtl }) => (queue ? [{ facts, queue, isTtl }] : []));
  if (entries.length === 0) return routes.map(() => []);
  const entered = await startEntryClocks(tx, forceId, clock, entries);
  const alerts = await raiseAlerts(
    tx,
    forceId,
    clock,
    routes.flatMap(({ facts, queue, isTtl }) => (queue && isTtl ? [threatToLifeAlert(facts, queue)] : [])),
  );
  let nextEntered = 0;
  let nextAlert = 0;
  return routes.map(({ facts, byRule, queue, isTtl }) => {
    if (!queue) return [];
    const clocks = entered[nextEntered++]?.clocks ?? [];
    const own: NewEvent[] = [
      moveEvent(moveContact(JUST_RECEIVED, { type: 'route' }), {
        actor: { type: 'system', id: null },
        contactId: facts.contactId,
        data: { queueId: queue.id, queue: queue.key, isThreatToLife: isTtl, clocks, rule: byRule ? byRule.position : null },
      }),
    ];
    const alert = isTtl ? alerts[nextAlert++] : undefined;
    if (alert) own.push(alert);
    return own;
  });
}

/**
 * Routes several new contacts as `routeNewContact` routes one, with a fixed number of statements
 * however many there are (a batch of reports): their rows exist, so each is put in its queue by
 * one guarded UPDATE for all. Returns each contact's events, in input order.
 */
export async function routeNewContacts(tx: Tx, forceId: ForceId, clock: Clock, contacts: readonly NewContactFacts[]): Promise<NewEvent[][]> {
  const routes = await planNewContactRoutes(tx, forceId, clock, contacts);
  await enterContactsIntoQueues(
    tx,
    forceId,
    routes.flatMap(({ facts, placement }) => (placement ? [{ contactId: facts.contactId, ...placement }] : [])),
  );
  return completeNewContactRoutes(tx, forceId, clock, routes);
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
  facts: ContactFacts & {
    reference: string;
    wasReopened: boolean;
    priorityRaised: boolean;
    /** False for text the channel wrote (a call's record): nobody waits for an answer to it. */
    isFromSender?: boolean;
  },
): Promise<NewEvent[]> {
  const contact = await findContact(tx, forceId, facts.contactId, ['status', 'assigned_staff_id', 'queue_id', 'is_threat_to_life', 'required_skills', 'preferred_skills']);
  if (!contact) return [];
  const system = { type: 'system', id: null } as const;
  if (!contact.queue_id) {
    // Never queued (its force had no queue then): it enters one now, let go of by anyone holding it.
    const holder = contact.assigned_staff_id;
    const letGo = holder
      ? [moveEvent(moveContact(contactState(contact), { type: 'unassign' }), { actor: system, contactId: facts.contactId, data: { staffId: holder, reason: 'routed to a queue' } })]
      : [];
    return [...letGo, ...(await routeNewContact(tx, forceId, clock, facts))];
  }
  const { queues } = await loadQueues(tx, forceId, clock);
  const queue = queues.find((q) => q.id === contact.queue_id);
  if (!queue) return [];
  const events: NewEvent[] = [];
  const becameThreat = isThreatToLife(facts.categories) && !contact.is_threat_to_life;

  if (facts.wasReopened) {
    // Re-opened in this transaction: it waits again, and goes back into its queue.
    const { clocks } = await enterQueue(tx, forceId, clock, facts, queue, contact.is_threat_to_life || becameThreat);
    events.push(
      moveEvent(moveContact(contactState(contact), { type: 'requeue' }), { actor: system, contactId: facts.contactId, data: { queueId: queue.id, reason: 'reopened', clocks } }),
    );
  } else {
    if (facts.priorityRaised) {
      // The targets of the new priority apply from now; an old clock ends without counting as missed
      // unless its target had already passed unchecked (decision 0141): that breach is recorded first.
      const stopped = await stopClocks(tx, forceId, clock, facts.contactId, 'reprioritised');
      events.push(...stopped.events);
      const restarted = await startClocks(tx, forceId, clock, { contactId: facts.contactId, queue, priority: facts.priority, channel: facts.channel, kinds: stopped.kinds });
      if (restarted.length > 0) {
        events.push(slaStarted.of({ actor: system, subjectId: facts.contactId, data: { reason: 'reprioritised', clocks: restarted.map(toStartedClock) } }));
      }
      const needs = skillNeeds({ channel: facts.channel, categories: facts.categories, queueSkills: queue.requiredSkills, language: facts.language ?? null });
      // What earlier messages called for still counts: the new message adds to it.
      const required = [...new Set([...contact.required_skills, ...needs.required])].sort();
      const preferred = [...new Set([...contact.preferred_skills, ...needs.preferred])].filter((skill) => !required.includes(skill)).sort();
      await updateContact(tx, forceId, facts.contactId, { preferred_skills: preferred, required_skills: required });
    }
    if (facts.isFromSender !== false && (await hasFirstResponse(tx, forceId, facts.contactId)) && !(await isClockRunning(tx, forceId, facts.contactId, 'next_response'))) {
      // Another message's transaction may have started it since the question (decision 0185): then this one starts nothing.
      const started = await startClocks(tx, forceId, clock, { contactId: facts.contactId, queue, priority: facts.priority, channel: facts.channel, kinds: ['next_response'] });
      if (started.length > 0) events.push(slaStarted.of({ actor: system, subjectId: facts.contactId, data: { reason: 'next_response', clocks: started.map(toStartedClock) } }));
    }
    if (becameThreat) {
      await updateContact(tx, forceId, facts.contactId, { is_threat_to_life: true });
    }
  }
  if (becameThreat) events.push(await raiseAlert(tx, forceId, clock, threatToLifeAlert(facts, queue)));
  return events;
}

/**
 * A contact a member of staff re-opened (in this transaction) goes back into its queue with fresh
 * clocks, as one re-opened by a new message does; returns its event.
 */
export async function requeueReopenedContact(tx: Tx, forceId: ForceId, clock: Clock, contactId: string): Promise<NewEvent[]> {
  const contact = await findContact(tx, forceId, contactId, ['status', 'assigned_staff_id', 'reference', 'channel', 'priority', 'queue_id', 'is_threat_to_life', 'triage', 'meta']);
  if (!contact) throw notFound('contact');
  const facts = {
    contactId,
    reference: contact.reference,
    channel: contact.channel,
    categories: triageCategories(contact.triage),
    priority: Number(contact.priority),
    language: typeof contact.meta.language === 'string' ? contact.meta.language : null,
  };
  const { queues } = await loadQueues(tx, forceId, clock);
  const queue = queues.find((q) => q.id === contact.queue_id);
  if (!queue) return routeNewContact(tx, forceId, clock, facts);
  const requeue = moveContact(contactState(contact), { type: 'requeue' });
  const { clocks } = await enterQueue(tx, forceId, clock, facts, queue, contact.is_threat_to_life);
  return [moveEvent(requeue, { actor: { type: 'system', id: null }, contactId, data: { queueId: queue.id, reason: 'reopened', clocks } })];
}

/**
 * Our reply stops the first-response and next-response clocks; returns the events of a target it
 * found missed (its check was behind), for the caller to record before the reply's own.
 */
export async function onResponded(tx: Tx, forceId: ForceId, clock: Clock, contactId: string): Promise<NewEvent[]> {
  return (await stopClocks(tx, forceId, clock, contactId, 'responded', ['first_response', 'next_response'])).events;
}

/**
 * Closing stops every clock (the contact's `contact.closed` asks for distribution: its holder has
 * room again); returns the events of a target it found missed, to record before the close.
 */
export async function onClosed(tx: Tx, forceId: ForceId, clock: Clock, contactId: string): Promise<NewEvent[]> {
  return (await stopClocks(tx, forceId, clock, contactId, 'closed')).events;
}
