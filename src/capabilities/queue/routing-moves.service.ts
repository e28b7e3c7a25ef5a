import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { appendEvents, type EventInput } from '../../platform/events/event-log.ts';
import { publishLive } from '../../platform/realtime/live.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { type StaffRole } from '../../platform/auth/permissions.ts';
import { capacityClassOf, loadByClass, triageCategories } from './routing.engine.ts';
import { readCapacity } from '../staff/staff.schema.ts';
import { loadQueues } from './queues.service.ts';
import { stopClocks } from './sla.service.ts';
import {
  ensureRoutingProfile,
  enterQueue,
  isRoutableRole,
  loadStaffForRouting,
  lockForceRouting,
  requestDistribution,
  unassignedEvent,
} from './routing.service.ts';

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
