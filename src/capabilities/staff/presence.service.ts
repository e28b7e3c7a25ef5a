import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError } from '../../platform/errors.ts';
import { type StaffRole } from '../../platform/auth/permissions.ts';
import { readCapacity, type CapacityClass, type Presence } from './staff.schema.ts';
import {
  PRESENCE_STALE_AFTER_MS,
  ensureRoutingProfile,
  isRoutableRole,
  loadStaffForRouting,
  lockForceRouting,
} from '../queue/routing.service.ts';
import { staffPresenceChanged, staffPresenceResumed, staffRoutingChanged } from './staff.events.ts';
import { returnHeldContactsToQueue } from '../contacts/contact-records.service.ts';
import { requireProfileVersion } from './staff-versions.service.ts';

// ---------------------------------------------------------------------------------------------
// People: presence, skills, capacity
// ---------------------------------------------------------------------------------------------

/**
 * Puts every open contact a person holds back into its queue, keeping its place (each the contact
 * machine's own move, made by the contacts room): used when they go offline, so no contact waits
 * on someone who is not there. Returns the events to record.
 */
function returnWorkToQueue(tx: Tx, forceId: ForceId, staffId: string, actor: Actor, reason: string): Promise<NewEvent[]> {
  return returnHeldContactsToQueue(tx, forceId, { staffId, actor, reason });
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
    const before = await tx.selectFrom('staff_routing').select(['presence', 'last_seen_at']).where('force_id', '=', forceId).where('staff_id', '=', input.staffId).executeTakeFirstOrThrow();
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
    const events: NewEvent[] = [];
    if (before.presence !== input.presence) {
      events.push(staffPresenceChanged.of({ actor, subjectId: input.staffId, data: { from: before.presence, to: input.presence } }));
    } else if (input.presence === 'available' && isQuiet(before.last_seen_at, now)) {
      events.push(staffPresenceResumed.of({ actor, subjectId: input.staffId, data: { lastSeenAt: before.last_seen_at.toISOString() } }));
    }
    const returned = input.presence === 'offline' ? await returnWorkToQueue(tx, forceId, input.staffId, actor, 'went offline') : [];
    events.push(...returned);
    record(tx, forceId, deps.clock, ...events);
    return { presence: input.presence, returnedContacts: returned.length };
  });
}

/**
 * Takes a person out of routing in the caller's transaction, as going offline does: their presence
 * becomes offline and every open contact they hold returns to its queue in its old place. Used when
 * an admin deactivates someone or ends their sessions. Returns the events to record with the
 * caller's (whose own event refreshes boards and, when work came back, asks for distribution).
 */
export async function withdrawFromRouting(tx: Tx, forceId: ForceId, clock: Clock, input: { staffId: string; actor: Actor; reason: string }): Promise<{ events: NewEvent[]; returnedContacts: number }> {
  // Under the routing lock, so a distribution round running now finishes first and its
  // assignments to this person are returned too.
  await lockForceRouting(tx, forceId);
  const now = clock.now();
  const before = await tx.selectFrom('staff_routing').select('presence').where('force_id', '=', forceId).where('staff_id', '=', input.staffId).executeTakeFirst();
  const events: NewEvent[] = [];
  if (before && before.presence !== 'offline') {
    await tx
      .updateTable('staff_routing')
      .set({ presence: 'offline', presence_changed_at: now, updated_at: now })
      .where('force_id', '=', forceId)
      .where('staff_id', '=', input.staffId)
      .execute();
    events.push(staffPresenceChanged.of({ actor: input.actor, subjectId: input.staffId, data: { from: before.presence, to: 'offline' } }));
  }
  const returned = await returnWorkToQueue(tx, forceId, input.staffId, input.actor, input.reason);
  events.push(...returned);
  return { events, returnedContacts: returned.length };
}

/** Whether someone last heard from then has been quiet too long to be given work. */
function isQuiet(lastSeenAt: Date, now: Date): boolean {
  return now.getTime() - lastSeenAt.getTime() > PRESENCE_STALE_AFTER_MS;
}

/**
 * The console's heartbeat: keeps an available person eligible for work. One whose console had
 * gone quiet is eligible again, which is recorded (and asks for distribution).
 */
export async function recordHeartbeat(deps: ServiceDeps, forceId: ForceId, staffId: StaffId): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    // The joined row is read before the update, so it gives the previous time.
    const result = await sql<{ presence: Presence; previous_seen_at: Date }>`
      update staff_routing as r set last_seen_at = ${now}
      from staff_routing as seen
      where r.force_id = ${forceId} and r.staff_id = ${staffId} and seen.staff_id = r.staff_id
      returning r.presence, seen.last_seen_at as previous_seen_at`.execute(tx);
    const row = result.rows[0];
    if (row?.presence === 'available' && isQuiet(row.previous_seen_at, now)) {
      record(
        tx,
        forceId,
        deps.clock,
        staffPresenceResumed.of({ actor: { type: 'staff', id: staffId }, subjectId: staffId, data: { lastSeenAt: row.previous_seen_at.toISOString() } }),
      );
    }
  });
}

/** A person's skills and capacity, and the count of their changes (decision 0085). */
export type RoutingProfile = { skills: string[]; capacity: Partial<Record<CapacityClass, number>>; version: number };

/**
 * Changes a person's skills and capacity per channel class; what is not given stays. Made from a
 * version of them someone else has changed since, it is refused and nothing changes (decision 0085).
 */
export async function updateRoutingProfile(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { staffId: string; skills?: string[]; capacity?: Partial<Record<CapacityClass, number>>; version?: number | undefined; actorStaffId: StaffId },
): Promise<RoutingProfile> {
  return withForce(deps.db, forceId, async (tx) => {
    const staff = await loadStaffForRouting(tx, forceId, input.staffId);
    await ensureRoutingProfile(tx, forceId, deps.clock, input.staffId, staff.role as StaffRole);
    const current = await tx
      .selectFrom('staff_routing')
      .select(['skills', 'capacity', 'profile_version'])
      .where('force_id', '=', forceId)
      .where('staff_id', '=', input.staffId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await requireProfileVersion(tx, forceId, { staffId: input.staffId, name: staff.name, opened: input.version, current: current.profile_version, actorStaffId: input.actorStaffId });
    const skills = input.skills ? [...new Set(input.skills)].sort() : current.skills;
    const capacity = { ...readCapacity(current.capacity), ...(input.capacity ?? {}) };
    const { profile_version: version } = await tx
      .updateTable('staff_routing')
      .set((eb) => ({ skills, capacity: JSON.stringify(capacity), updated_at: deps.clock.now(), profile_version: eb('profile_version', '+', 1) }))
      .where('force_id', '=', forceId)
      .where('staff_id', '=', input.staffId)
      .returning('profile_version')
      .executeTakeFirstOrThrow();
    record(tx, forceId, deps.clock, staffRoutingChanged.of({ actor: { type: 'staff', id: input.actorStaffId }, subjectId: input.staffId, data: { skills, capacity } }));
    return { skills, capacity, version };
  });
}
