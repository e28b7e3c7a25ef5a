// Someone leaving routing (offline, deactivated, a password reset, a role that works no queue)
// lets go of every open contact they hold. Each is the contact's own machine's `unassign`, made by
// the contacts room (decision 0189): the contact waits again, and exactly one `contact.unassigned`
// per contact is handed back for the caller to record with its own event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { record } from '../../src/platform/events/recorder.ts';
import { returnHeldContactsToQueue } from '../../src/capabilities/contacts/contact-records.service.ts';
import { CALM, createRoutingWorld, type RoutingWorld } from './routing-kit.ts';

describe(`the contacts someone holds, returned to their queue (${ENGINE})`, () => {
  let w: RoutingWorld;

  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  it('unassigns each open contact the person holds through its machine, one contact.unassigned each, and no other', async () => {
    const [first, second] = [await w.report(CALM), await w.report(CALM)];
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(2);
    await w.setPresence(w.desk, 'available');
    const desks = await w.report(CALM);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(desks)).toBe(w.desk.user.id);

    const actor = { type: 'system' as const, id: null };
    const returned = await withForce(w.app.database.db, w.forceId, async (tx) => {
      const events = await returnHeldContactsToQueue(tx, w.forceId, { staffId: w.handler.user.id, actor, reason: 'went home' });
      record(tx, w.forceId, w.clock, ...events);
      return events;
    });
    expect(returned.map((e) => [e.type, e.subject.id]).sort()).toEqual([['contact.unassigned', first], ['contact.unassigned', second]].sort());

    for (const id of [first, second]) {
      expect(await w.assigneeOf(id)).toBeNull();
      expect(await w.events(id, 'contact.unassigned')).toEqual([{ type: 'contact.unassigned', data: { staffId: w.handler.user.id, reason: 'went home' }, actor_type: 'system', actor_id: null }]);
    }
    // Someone else's contact is theirs still, and nothing is held a second time to let go of.
    expect(await w.assigneeOf(desks)).toBe(w.desk.user.id);
    expect(await w.events(desks, 'contact.unassigned')).toEqual([]);
    const again = await withForce(w.app.database.db, w.forceId, (tx) => returnHeldContactsToQueue(tx, w.forceId, { staffId: w.handler.user.id, actor, reason: 'went home' }));
    expect(again).toEqual([]);
  });
});
