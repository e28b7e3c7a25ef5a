import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { sql } from 'kysely';
import { withSystem } from '../../src/platform/db/database.ts';
import { PRESENCE_STALE_AFTER_MS } from '../../src/capabilities/queue/routing.service.ts';
import type { AlertView } from '../../src/capabilities/queue/alerts.service.ts';
import type { ContactSummary } from '../../src/capabilities/contacts/contacts.schema.ts';
import type { RoutingBoard } from '../../src/capabilities/queue/board.service.ts';
import { ARMED, CALM, DOMESTIC, FIGHT, MINUTE, STANDARD, THREAT, createRoutingWorld, openRoutingApp, type RoutingApp, type RoutingWorld } from './routing-kit.ts';

// One app for the file; each test that changes what it shares takes a fresh force in it.
let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

describe(`routing new contacts into queues (${ENGINE})`, () => {
  // Nothing here gives work out, so the tests share one force.
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  it('puts a calm portal report in online reports, with nothing required of whoever takes it', async () => {
    const id = await w.report(CALM);
    const { routing, contact } = await w.detail(id);
    expect(routing.queue).toMatchObject({ key: 'online_report', name: 'Online reports', isControlRoom: false });
    expect(contact.queueName).toBe('Online reports');
    expect(routing).toMatchObject({ isThreatToLife: false, requiredSkills: [], preferredSkills: [], assignedTo: null });
    expect(routing.enqueuedAt).not.toBeNull();
    const [routed] = await w.events(id, 'contact.routed');
    expect(routed?.data).toMatchObject({ queue: 'online_report', isThreatToLife: false, rule: 5 });
    expect(await w.events(id, 'alert.raised')).toEqual([]);
  });

  it('puts a threat to life in public safety, flags it and alerts supervisors at once', async () => {
    const id = await w.report(THREAT);
    const { routing, contact } = await w.detail(id);
    expect(contact.priority).toBe(1);
    expect(contact.isThreatToLife).toBe(true);
    expect(routing.queue?.key).toBe('public_safety');
    expect(routing.isThreatToLife).toBe(true);
    // Domestic abuse makes a trained person the better choice, never a requirement here.
    expect(routing.requiredSkills).toEqual([]);
    expect(routing.preferredSkills).toEqual(['domestic_abuse']);

    const raised = await w.events(id, 'alert.raised');
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ actor_type: 'system', data: { kind: 'threat_to_life' } });
    const alerts = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    expect(alerts).toEqual([expect.objectContaining({ kind: 'threat_to_life', contactId: id, contactReference: contact.reference, acknowledgedAt: null })]);
    expect(alerts[0]?.message).toContain('threat to life');
    expect(routing.alerts.map((a) => a.kind)).toEqual(['threat_to_life']);
  });

  it('puts domestic abuse without a threat to life in the domestic-abuse queue, which requires the skill', async () => {
    const id = await w.report(DOMESTIC);
    const { routing, contact } = await w.detail(id);
    expect(contact.priority).toBe(2);
    expect(routing.queue?.key).toBe('domestic');
    expect(routing.isThreatToLife).toBe(false);
    expect(routing.requiredSkills).toEqual(['domestic_abuse']);
    expect(await w.events(id, 'alert.raised')).toEqual([]);
  });

  it('puts violence reported online in public safety, ahead of the online-reports rule', async () => {
    const id = await w.report(FIGHT);
    const { routing } = await w.detail(id);
    expect(routing.queue?.key).toBe('public_safety');
    expect((await w.events(id, 'contact.routed'))[0]?.data).toMatchObject({ rule: 4 });
  });

  it('puts a 999 call in the control room, needing the control-room skill', async () => {
    const response = await w.app.inject({
      method: 'POST',
      url: '/webhooks/telephony/calls',
      headers: { 'x-bluelamp-telephony-secret': 'demo-telephony-secret', 'content-type': 'application/json' },
      payload: JSON.stringify({
        callId: 'routing-call-1',
        line: '999',
        callerNumber: '+447700900123',
        calledNumber: '999',
        startedAt: '2026-03-02T09:00:00Z',
        event: 'offered',
      }),
    });
    expect(response.statusCode, response.body).toBe(200);
    const contacts = (await w.get(w.supervisor, '/api/contacts')).json<{ contacts: ContactSummary[] }>().contacts;
    const call = contacts.find((c) => c.channel === 'phone');
    expect(call?.queueName).toBe('Control room');
    const { routing } = await w.detail(call?.id ?? '');
    expect(routing.requiredSkills).toEqual(['control_room']);
  });
});

describe(`distributing waiting contacts (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  it('gives-nobody-work-while-offline-away-or-busy, and gives it as soon as someone is available', async () => {
    const id = await w.report(CALM);
    expect(await w.distribute()).toBe(0);
    await w.setPresence(w.handler, 'away');
    await w.setPresence(w.desk, 'busy');
    await w.setPresence(w.supervisor, 'away');
    expect(await w.distribute()).toBe(0);
    expect(await w.assigneeOf(id)).toBeNull();

    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.handler.user.id);
    const assigned = await w.events(id, 'contact.assigned');
    expect(assigned).toHaveLength(1);
    expect(assigned[0]).toMatchObject({ actor_type: 'system', data: { staffId: w.handler.user.id, by: 'routing' } });

    const mine = (await w.get(w.handler, '/api/contacts?assigned=me')).json<{ contacts: ContactSummary[] }>().contacts;
    expect(mine.map((c) => c.id)).toEqual([id]);
    expect(mine[0]?.assignedToName).toBe('Sam Handler');
    const theirs = (await w.get(w.desk, '/api/contacts?assigned=me')).json<{ contacts: ContactSummary[] }>().contacts;
    expect(theirs).toEqual([]);
    const unassigned = (await w.get(w.desk, '/api/contacts?assigned=unassigned')).json<{ contacts: ContactSummary[] }>().contacts;
    expect(unassigned).toEqual([]);
    // Running it again gives nothing more out: the contact is held.
    expect(await w.distribute()).toBe(0);
  });

  it('prefers the person with the skill the contact calls for over someone idle for longer', async () => {
    // The desk operator has been idle longest, so would win on idle time alone.
    await w.setPresence(w.desk, 'available');
    w.clock.advance(MINUTE);
    await w.setPresence(w.handler, 'available');
    const threat = await w.report(THREAT);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(threat)).toBe(w.handler.user.id);
    const [assigned] = await w.events(threat, 'contact.assigned');
    expect(assigned?.data).toMatchObject({ reason: { preferredSkillsMatched: ['domestic_abuse'] } });

    // Without a preferred skill, the lighter load wins: the desk operator, who holds nothing.
    const calm = await w.report(CALM);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(calm)).toBe(w.desk.user.id);
  });

  it('never-gives-a-domestic-abuse-queue-contact-to-someone-without-the-skill', async () => {
    const id = await w.report(DOMESTIC);
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(0);
    expect(await w.assigneeOf(id)).toBeNull();
    // The desk operator still gets work they can do while it waits.
    const calm = await w.report(CALM);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(calm)).toBe(w.desk.user.id);
    expect(await w.assigneeOf(id)).toBeNull();

    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.handler.user.id);
  });

  it('keeps-anyone-from-going-over-their-capacity: the desk operator holds five online reports and the sixth waits', async () => {
    const ids = [];
    for (let i = 0; i < 6; i += 1) ids.push(await w.report(CALM));
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(5);
    const holders = await Promise.all(ids.map((id) => w.assigneeOf(id)));
    // Oldest first: the first five are held, the newest waits.
    expect(holders.slice(0, 5)).toEqual(Array(5).fill(w.desk.user.id));
    expect(holders[5]).toBeNull();
    expect(await w.distribute()).toBe(0);

    const board = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>();
    const desk = board.staff.find((s) => s.id === w.desk.user.id);
    expect(desk?.load).toEqual({ online: 5 });
    expect(desk?.capacity.online).toBe(5);

    // Closing one frees a slot, and the waiting report is given out.
    const closed = await w.post(w.desk, `/api/contacts/${ids[0] ?? ''}/close`, { outcome: 'advice_given' });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(ids[5] ?? '')).toBe(w.desk.user.id);
  });

  it('counts capacity per channel class: a full online class does not stop a call being given out', async () => {
    await w.setProfile(w.handler.user.id, { capacity: { online: 1, call: 1 } });
    await w.setPresence(w.handler, 'available');
    const first = await w.report(CALM);
    const second = await w.report(CALM);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(first)).toBe(w.handler.user.id);
    expect(await w.assigneeOf(second)).toBeNull();
    // A callback is a call: it uses the call slot, which is still free.
    const callback = await w.post(w.handler, `/api/contacts/${first}/callback`, { number: '020 7946 0123' });
    expect(callback.statusCode, callback.body).toBe(201);
    const callbackId = callback.json<{ callback: { id: string } }>().callback.id;
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(callbackId)).toBe(w.handler.user.id);
    expect(await w.assigneeOf(second)).toBeNull();
  });

  it('shares work fairly between two equal people: the one idle longest gets the next contact', async () => {
    const ann = await w.addStaff('Ann Equal', 'call_handler');
    const bob = await w.addStaff('Bob Equal', 'call_handler');
    // Both consoles stay open throughout (the console beats every 30 seconds).
    const distributeWithBothHere = async () => {
      for (const session of [ann, bob]) expect((await w.post(session, '/api/me/heartbeat')).statusCode).toBe(204);
      return w.distribute();
    };
    await w.setPresence(ann, 'available');
    w.clock.advance(MINUTE);
    await w.setPresence(bob, 'available');

    const first = await w.report(CALM);
    expect(await distributeWithBothHere()).toBe(1);
    expect(await w.assigneeOf(first)).toBe(ann.user.id);

    // Ann finishes it: both hold nothing now, but Bob has waited longer since his last contact.
    w.clock.advance(MINUTE);
    expect((await w.post(ann, `/api/contacts/${first}/close`, { outcome: 'advice_given' })).statusCode).toBe(200);
    const second = await w.report(CALM);
    expect(await distributeWithBothHere()).toBe(1);
    expect(await w.assigneeOf(second)).toBe(bob.user.id);

    // Two at once: the longest idle gets the older, and the other goes to the other person, not to
    // whoever was chosen first.
    w.clock.advance(MINUTE);
    expect((await w.post(bob, `/api/contacts/${second}/close`, { outcome: 'advice_given' })).statusCode).toBe(200);
    const third = await w.report(CALM);
    const fourth = await w.report(CALM);
    expect(await distributeWithBothHere()).toBe(2);
    expect(await w.assigneeOf(third)).toBe(ann.user.id);
    expect(await w.assigneeOf(fourth)).toBe(bob.user.id);
  });

  it('gives a threat to life out before older contacts when only one slot is free', async () => {
    const standard = [await w.report(STANDARD), await w.report(STANDARD), await w.report(STANDARD)];
    const armed = await w.report(ARMED);
    const threat = await w.report(THREAT);
    expect((await w.detail(standard[0] ?? '')).contact.priority).toBe(3);
    expect((await w.detail(armed)).contact).toMatchObject({ priority: 1, isThreatToLife: false });

    await w.setProfile(w.handler.user.id, { capacity: { online: 1 } });
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(threat)).toBe(w.handler.user.id);
    for (const id of [...standard, armed]) expect(await w.assigneeOf(id)).toBeNull();

    // Then priority, then the longest waiting.
    const order: string[] = [];
    let current: string = threat;
    for (let i = 0; i < 4; i += 1) {
      expect((await w.post(w.handler, `/api/contacts/${current}/close`, { outcome: 'advice_given' })).statusCode).toBe(200);
      expect(await w.distribute()).toBe(1);
      const mine = (await w.get(w.handler, '/api/contacts?assigned=me')).json<{ contacts: ContactSummary[] }>().contacts;
      expect(mine).toHaveLength(1);
      current = mine[0]?.id ?? '';
      order.push(current);
    }
    expect(order).toEqual([armed, ...standard]);
  });

  it('gives-no-work-to-someone-whose-console-has-gone-quiet, until it beats again', async () => {
    await w.setPresence(w.handler, 'available');
    const fresh = await w.report(CALM);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(fresh)).toBe(w.handler.user.id);

    w.clock.advance(PRESENCE_STALE_AFTER_MS + 1000);
    const later = await w.report(CALM);
    expect(await w.distribute()).toBe(0);
    expect(await w.assigneeOf(later)).toBeNull();
    const board = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>();
    expect(board.staff.find((s) => s.id === w.handler.user.id)).toMatchObject({ presence: 'available', isStale: true });

    const beat = await w.post(w.handler, '/api/me/heartbeat');
    expect(beat.statusCode, beat.body).toBe(204);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(later)).toBe(w.handler.user.id);
    const after = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>();
    expect(after.staff.find((s) => s.id === w.handler.user.id)?.isStale).toBe(false);
  });

  it('returns what someone holds to the queue, in its old place, when they go offline', async () => {
    const first = await w.report(CALM);
    const second = await w.report(CALM);
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(2);
    const before = await w.detail(first);

    w.clock.advance(5 * MINUTE);
    const result = await w.setPresence(w.handler, 'offline');
    expect(result).toEqual({ presence: 'offline', returnedContacts: 2 });
    for (const id of [first, second]) {
      expect(await w.assigneeOf(id)).toBeNull();
      const unassigned = await w.events(id, 'contact.unassigned');
      expect(unassigned).toEqual([
        expect.objectContaining({ actor_type: 'staff', actor_id: w.handler.user.id, data: { staffId: w.handler.user.id, reason: 'went offline' } }),
      ]);
    }
    expect((await w.detail(first)).routing.enqueuedAt).toBe(before.routing.enqueuedAt);
    const presence = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('type', '=', 'staff.presence_changed').where('subject_id', '=', w.handler.user.id).orderBy('seq').execute(),
    );
    expect(presence.map((e) => e.data)).toEqual([
      { from: 'offline', to: 'available' },
      { from: 'available', to: 'offline' },
    ]);

    // Nothing goes back to someone offline; the next available person gets both.
    expect(await w.distribute()).toBe(0);
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(2);
    expect(await w.assigneeOf(first)).toBe(w.desk.user.id);
    expect(await w.assigneeOf(second)).toBe(w.desk.user.id);
  });

  it('never-strands-work-behind-a-thousand-contacts-nobody-free-can-take', async () => {
    // A surge of domestic abuse reports while nobody trained is on: more than one page of the
    // queue (1,000) that only the call handler could take, all ahead of a calm report (priority 2
    // before 4). The free desk operator must still get the calm one.
    const domestic = await w.report(DOMESTIC);
    const calm = await w.report(CALM);
    // Copies of the routed domestic report, as intake would have made them, each waiting a second longer.
    await withSystem(w.app.database.db, (tx) =>
      sql`insert into contacts (id, force_id, reference, channel, status, person_id, summary, location, occurred_text, priority, score,
            triage, rule_set_version, received_at, thread_key, meta, queue_id, enqueued_at, is_threat_to_life, required_skills, preferred_skills)
          select gen_random_uuid(), force_id, reference || '-' || n, channel, status, person_id, summary, location, occurred_text, priority, score,
            triage, rule_set_version, received_at, thread_key || '-' || n, meta, queue_id, enqueued_at - make_interval(secs => n), is_threat_to_life,
            required_skills, preferred_skills
          from contacts cross join generate_series(1, 1200) as n
          where id = ${domestic}`.execute(tx),
    );
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(calm)).toBe(w.desk.user.id);

    // And once someone trained is on, the surge is given out from its oldest.
    await w.setProfile(w.handler.user.id, { capacity: { online: 2 } });
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(2);
    const oldest = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('contacts').select('assigned_staff_id').where('queue_id', '=', sql<string>`(select queue_id from contacts where id = ${domestic})`).orderBy('enqueued_at').limit(3).execute(),
    );
    expect(oldest.map((row) => row.assigned_staff_id)).toEqual([w.handler.user.id, w.handler.user.id, null]);
  });

  it('answers a Welsh writer with a Welsh speaker where one is free', async () => {
    await w.setPresence(w.handler, 'available');
    w.clock.advance(MINUTE);
    await w.setPresence(w.desk, 'available');
    const id = await w.report(CALM, { language: 'cy' });
    expect((await w.detail(id)).routing.preferredSkills).toEqual(['welsh']);
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.desk.user.id);
  });
});
