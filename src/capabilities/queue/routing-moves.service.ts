import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { type StaffRole } from '../../platform/auth/permissions.ts';
import { capacityClassOf, loadByClass, triageCategories } from './routing.engine.ts';
import { readCapacity } from '../staff/staff.schema.ts';
import { loadQueues } from './queues.service.ts';
import { stopClocks } from './sla.service.ts';
import { ensureRoutingProfile, enterQueue, isRoutableRole, loadStaffForRouting, lockForceRouting } from './routing.service.ts';
import { moveEvent } from '../contacts/contact.events.ts';
import { contactRow, contactState, moveContact, requireOpenContact, type ContactTransition } from '../contacts/contact.machine.ts';
import { findContact, listOpenChannelsHeldBy, updateContact } from '../contacts/contacts.repository.ts';

// ---------------------------------------------------------------------------------------------
// Manual moves: take, push, take back, escalate
// ---------------------------------------------------------------------------------------------

async function lockContact(tx: Tx, forceId: ForceId, contactId: string) {
  const contact = await findContact(
    tx,
    forceId,
    contactId,
    ['id', 'reference', 'status', 'channel', 'priority', 'queue_id', 'assigned_staff_id', 'required_skills', 'excluded_staff_ids', 'is_threat_to_life', 'triage', 'meta'],
    { lock: true },
  );
  if (!contact) throw notFound('contact');
  return { ...contact, state: contactState(contact) };
}

/** The event of a letting-go: whom the contact left, and why. */
function unassignEvent(transition: ContactTransition<'contact.unassigned'>, contactId: string, staffId: string, actor: Actor, reason: string): NewEvent {
  return moveEvent(transition, { actor, contactId, data: { staffId, reason } });
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
    const contact = await lockContact(tx, forceId, input.contactId);
    requireOpenContact(contact.state, 'move');
    const staff = await loadStaffForRouting(tx, forceId, input.toStaffId);
    if (!isRoutableRole(staff.role as StaffRole)) throw conflict(`${staff.name} does not work the queue`);
    await ensureRoutingProfile(tx, forceId, deps.clock, staff.id, staff.role as StaffRole);
    const profile = await tx.selectFrom('staff_routing').select(['presence', 'skills', 'capacity']).where('force_id', '=', forceId).where('staff_id', '=', staff.id).executeTakeFirstOrThrow();
    if (profile.presence === 'offline') throw conflict(`${staff.name} is offline; nothing can be assigned to them`);
    const holder = contact.state.assigneeId;
    // A supervisor's push to someone else moves it: the holder lets go, then the new person has it.
    const letGo = input.mode === 'push' && holder !== null && holder !== staff.id ? moveContact(contact.state, { type: 'unassign' }) : null;
    const given = moveContact(letGo?.to ?? contact.state, {
      type: 'assign',
      staffId: staff.id,
      by: input.mode === 'push' ? 'supervisor' : 'self',
      staffName: staff.name,
    });
    const missingSkills = contact.required_skills.filter((skill) => !profile.skills.includes(skill));
    if (input.mode === 'take' && missingSkills.length > 0) throw conflict(`this contact needs skills you do not have: ${missingSkills.join(', ')}`);
    const cls = capacityClassOf(contact.channel);
    const held = await listOpenChannelsHeldBy(tx, forceId, staff.id);
    const overCapacity = (loadByClass(held)[cls] ?? 0) >= (readCapacity(profile.capacity)[cls] ?? 0);
    const now = deps.clock.now();
    await updateContact(tx, forceId, contact.id, { ...contactRow(given.to), assigned_at: now, excluded_staff_ids: [] });
    await tx.updateTable('staff_routing').set({ idle_since: now }).where('force_id', '=', forceId).where('staff_id', '=', staff.id).execute();
    const actor: Actor = { type: 'staff', id: input.actorStaffId };
    const events: NewEvent[] = [];
    if (letGo && holder) events.push(unassignEvent(letGo, contact.id, holder, actor, 'moved'));
    events.push(
      moveEvent(given, {
        actor,
        contactId: contact.id,
        data: {
          staffId: staff.id,
          by: input.mode === 'push' ? 'supervisor' : 'self',
          overrides: [...(overCapacity ? ['capacity'] : []), ...(missingSkills.length > 0 ? ['skills'] : [])],
        },
      }),
    );
    record(tx, forceId, deps.clock, ...events);
  });
}

/**
 * A supervisor takes a contact back from the person holding it: it returns to its queue in its old
 * place and is not given to that person again automatically.
 */
export async function takeBackContact(deps: ServiceDeps, forceId: ForceId, input: { contactId: string; actorStaffId: StaffId; reason?: string | undefined }): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    await lockForceRouting(tx, forceId);
    const contact = await lockContact(tx, forceId, input.contactId);
    const letGo = moveContact(contact.state, { type: 'unassign' });
    if (!contact.assigned_staff_id) throw new Error('the machine let go of a contact nobody held');
    await updateContact(tx, forceId, contact.id, {
      ...contactRow(letGo.to),
      assigned_at: null,
      excluded_staff_ids: [...new Set([...contact.excluded_staff_ids, contact.assigned_staff_id])],
    });
    record(
      tx,
      forceId,
      deps.clock,
      unassignEvent(letGo, contact.id, contact.assigned_staff_id, { type: 'staff', id: input.actorStaffId }, input.reason ?? 'taken back by a supervisor'),
    );
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
    const contact = await lockContact(tx, forceId, input.contactId);
    requireOpenContact(contact.state, 'escalate');
    const { queues } = await loadQueues(tx, forceId, deps.clock);
    const controlRoom = queues.find((q) => q.isControlRoom);
    if (!controlRoom) throw conflict('this force has no control-room queue');
    if (contact.queue_id === controlRoom.id) throw conflict('this contact is already in the control room');
    const from = queues.find((q) => q.id === contact.queue_id);
    const holder = contact.state.assigneeId;
    // Whoever holds it lets go first; then it moves, waiting, to the control room.
    const letGo = holder ? moveContact(contact.state, { type: 'unassign' }) : null;
    const escalation = moveContact(letGo?.to ?? contact.state, { type: 'escalate' });
    // A target the contact missed in its old queue, found as it leaves (its check was behind), is recorded first.
    const { events: missed } = await stopClocks(tx, forceId, deps.clock, contact.id, 'escalated');
    const categories = triageCategories(contact.triage);
    const language = typeof contact.meta.language === 'string' ? contact.meta.language : null;
    const { clocks } = await enterQueue(
      tx,
      forceId,
      deps.clock,
      { contactId: contact.id, channel: contact.channel, categories, priority: Number(contact.priority), language },
      controlRoom,
      contact.is_threat_to_life,
    );
    const actor: Actor = { type: 'staff', id: input.actorStaffId };
    const events: NewEvent[] = [...missed];
    if (letGo && holder) events.push(unassignEvent(letGo, contact.id, holder, actor, 'escalated to the control room'));
    events.push(
      moveEvent(escalation, {
        actor,
        contactId: contact.id,
        data: { fromQueueId: from?.id ?? null, fromQueue: from?.name ?? null, toQueueId: controlRoom.id, toQueue: controlRoom.name, reason: input.reason, clocks },
      }),
    );
    record(tx, forceId, deps.clock, ...events);
    return { queueId: controlRoom.id, queueName: controlRoom.name };
  });
}

