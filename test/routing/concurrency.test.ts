import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase, submitPublicReport } from '../helpers.ts';
import { buildApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem, type Db } from '../../src/platform/db/database.ts';
import type { ForceId, StaffId } from '../../src/platform/ids.ts';
import { createStaff } from '../../src/capabilities/staff/staff.service.ts';
import { closeContact } from '../../src/capabilities/contacts/contacts.service.ts';
import { distributeWaiting } from '../../src/capabilities/queue/distribution.service.ts';
import { setPresence } from '../../src/capabilities/staff/presence.service.ts';
import { CALM, START, createRoutingWorld, openRoutingApp, type RoutingApp, type RoutingWorld } from './routing-kit.ts';

/**
 * What must hold however distribution runs: no contact has more than one `contact.assigned`
 * event, every held contact has exactly one (nobody here takes, pushes or goes offline), and
 * nobody holds more open online reports than their online capacity.
 */
async function expectNoDoubleAssignment(db: Db, forceId: ForceId) {
  const { contacts, assignedEvents, capacities } = await withSystem(db, async (tx) => ({
    contacts: await tx.selectFrom('contacts').select(['id', 'assigned_staff_id', 'status', 'channel']).where('force_id', '=', forceId).execute(),
    assignedEvents: await tx.selectFrom('events').select(['subject_id', 'data']).where('force_id', '=', forceId).where('type', '=', 'contact.assigned').execute(),
    capacities: await tx.selectFrom('staff_routing').select(['staff_id', 'capacity']).where('force_id', '=', forceId).execute(),
  }));
  const eventsPerContact = new Map<string, number>();
  for (const event of assignedEvents) eventsPerContact.set(event.subject_id, (eventsPerContact.get(event.subject_id) ?? 0) + 1);
  for (const contact of contacts) {
    expect(eventsPerContact.get(contact.id) ?? 0, `events assigning ${contact.id}`).toBe(contact.assigned_staff_id ? 1 : 0);
  }
  // Each event names the person who holds the contact now.
  for (const event of assignedEvents) {
    expect(contacts.find((c) => c.id === event.subject_id)?.assigned_staff_id).toBe(event.data.staffId);
  }
  const held = new Map<string, number>();
  for (const contact of contacts) {
    if (contact.status !== 'open' || !contact.assigned_staff_id) continue;
    expect(contact.channel).toBe('portal');
    held.set(contact.assigned_staff_id, (held.get(contact.assigned_staff_id) ?? 0) + 1);
  }
  for (const { staff_id, capacity } of capacities) {
    const online = typeof capacity === 'object' && capacity !== null && 'online' in capacity && typeof capacity.online === 'number' ? capacity.online : 0;
    expect(held.get(staff_id) ?? 0, `online reports held by ${staff_id}`).toBeLessThanOrEqual(online);
  }
  return { assigned: contacts.filter((c) => c.status === 'open' && c.assigned_staff_id).length, waiting: contacts.filter((c) => c.status === 'open' && !c.assigned_staff_id).length };
}

// One app for the file; each test that changes what it shares takes a fresh force in it.
let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

describe(`distribution running several times at once (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  it('gives each contact out once and nobody more than their capacity', async () => {
    for (let i = 0; i < 30; i += 1) await w.report(CALM);
    // Online capacity: handler 3, desk 5, supervisor 3, and three more handlers at 3: 20 in all.
    const extra = [];
    for (const name of ['Cal One', 'Cal Two', 'Cal Three']) extra.push(await w.addStaff(name, 'call_handler'));
    for (const session of [w.handler, w.desk, w.supervisor, ...extra]) await w.setPresence(session, 'available');

    const given = await Promise.all(Array.from({ length: 6 }, () => w.distribute()));
    expect(given.reduce((sum, n) => sum + n, 0)).toBe(20);
    expect(await expectNoDoubleAssignment(w.app.database.db, w.forceId)).toEqual({ assigned: 20, waiting: 10 });
    expect(await w.distribute()).toBe(0);
  });
});

describe.runIf(ENGINE === 'postgres')('two nodes distributing one force at once (postgres)', () => {
  const clock = fixedClock(START);
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let nodes: App[] = [];

  beforeEach(async () => {
    scratch = await createScratchDatabase();
    const config = () =>
      loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://', DATABASE_URL: scratch.url, DATABASE_POOL_SIZE: '6' });
    // One after the other: the first migrates and seeds, the second finds it done. Two pools.
    const first = await buildApp(config(), { startWorker: false, clock });
    const second = await buildApp(config(), { startWorker: false, clock });
    nodes = [first, second];
  });
  afterEach(async () => {
    for (const node of nodes) await node.close();
    await scratch.drop();
  });

  it('never gives a contact to two people nor anyone more than their capacity, while contacts keep arriving', async () => {
    const [a, b] = nodes as [App, App];
    const db = a.database.db;
    const forceId = (await withSystem(db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())).id as ForceId;
    let reports = 0;
    const report = (node: App) => {
      reports += 1;
      return submitPublicReport(node.deps, forceId, {
        submissionId: `two-nodes-${reports}`,
        whatHappened: CALM,
        where: 'High Street',
        when: 'last night',
        name: null,
        email: `node${reports}@example.org`,
      });
    };

    // Six extra handlers besides the demo staff: online capacity 3 + 5 + 3 + 6 × 3 = 29.
    for (let i = 1; i <= 6; i += 1) {
      await createStaff(db, clock, forceId, { email: `node.handler${i}@demo.police.uk`, name: `Node Handler ${i}`, role: 'call_handler', password: 'demo-password' });
    }
    const staff = await withSystem(db, (tx) =>
      tx.selectFrom('staff').select('id').where('force_id', '=', forceId).where('role', 'in', ['call_handler', 'digital_desk_operator', 'supervisor']).execute(),
    );
    expect(staff).toHaveLength(9);
    for (const { id } of staff) await setPresence(a.deps, forceId, { staffId: id, presence: 'available', actorStaffId: id as StaffId });

    // Many waiting, then both nodes distribute at once, several times each.
    for (let i = 0; i < 40; i += 1) await report(i % 2 === 0 ? a : b);
    const given = await Promise.all([a, b, a, b, a, b].map((node) => distributeWaiting(node.deps, forceId)));
    expect(given.reduce((sum, n) => sum + n, 0)).toBe(29);
    expect(await expectNoDoubleAssignment(db, forceId)).toEqual({ assigned: 29, waiting: 11 });

    // Work is finished and new contacts arrive on both nodes while both keep distributing.
    const held = await withSystem(db, (tx) =>
      tx.selectFrom('contacts').select(['id', 'assigned_staff_id']).where('force_id', '=', forceId).where('assigned_staff_id', 'is not', null).orderBy('assigned_at').limit(15).execute(),
    );
    for (const [i, contact] of held.entries()) {
      await closeContact((i % 2 === 0 ? a : b).deps, forceId, contact.id, contact.assigned_staff_id as StaffId, { outcome: 'advice_given' });
    }
    const arrivals = Array.from({ length: 30 }, (_, i) => report(i % 2 === 0 ? a : b));
    const rounds = Array.from({ length: 12 }, (_, i) => distributeWaiting((i % 2 === 0 ? a : b).deps, forceId));
    await Promise.all([...arrivals, ...rounds]);
    await Promise.all([distributeWaiting(a.deps, forceId), distributeWaiting(b.deps, forceId)]);
    // 11 + 30 waited for 15 freed slots.
    expect(await expectNoDoubleAssignment(db, forceId)).toEqual({ assigned: 29, waiting: 26 });
  });
});
