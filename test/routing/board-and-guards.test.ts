import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { AlertView } from '../../src/capabilities/queue/alerts.service.ts';
import type { RoutingBoard } from '../../src/capabilities/queue/board.service.ts';
import type { Queue } from '../../src/capabilities/queue/queues.service.ts';
import { distributeWaiting } from '../../src/capabilities/queue/distribution.service.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { CALM, DOMESTIC, MINUTE, THREAT, createRoutingWorld, openRoutingApp, type ErrorBody, type RoutingApp, type RoutingWorld, type Session } from './routing-kit.ts';

// One app for the file; each test that changes what it shares takes a fresh force in it.
let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

describe(`the supervisor's board (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  const board = async () => {
    const response = await w.get(w.supervisor, '/api/routing/board');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<RoutingBoard>();
  };

  it('shows queue sizes, the oldest wait, each person’s load against capacity and what they hold', async () => {
    const a = await w.report(CALM);
    w.clock.advance(MINUTE);
    const b = await w.report(CALM);
    const c = await w.report(CALM);
    const d = await w.report(DOMESTIC);
    const t = await w.report(THREAT);

    const before = await board();
    expect(before.at).toBe(w.clock.now().toISOString());
    const queue = (snapshot: RoutingBoard, key: string) => snapshot.queues.find((q) => q.key === key);
    expect(before.queues.map((q) => q.key)).toEqual(['control_room', 'public_safety', 'domestic', 'online_report', 'general']);
    expect(queue(before, 'online_report')).toMatchObject({ waiting: 3, assigned: 0, threatToLifeWaiting: 0, sla: { running: 3, warning: 0, breached: 0 } });
    expect(queue(before, 'public_safety')).toMatchObject({ waiting: 1, assigned: 0, threatToLifeWaiting: 1 });
    expect(queue(before, 'online_report')?.oldestWaitingSince).toBe((await w.detail(a)).routing.enqueuedAt);
    expect(before.waiting.map((x) => x.id)).toEqual([t, d, a, b, c]);
    expect(before.alerts.map((x) => [x.kind, x.contactId])).toEqual([['threat_to_life', t]]);
    // Only people who work the queue, everyone offline to begin with.
    expect(before.staff.map((s) => [s.name, s.presence]).sort()).toEqual([
      ['Dee Desk', 'offline'],
      ['Sam Handler', 'offline'],
      ['Sue Supervisor', 'offline'],
    ]);

    await w.setProfile(w.desk.user.id, { capacity: { online: 2 } });
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(2);

    const after = await board();
    expect(queue(after, 'online_report')).toMatchObject({ waiting: 2, assigned: 1, threatToLifeWaiting: 0 });
    expect(queue(after, 'online_report')?.oldestWaitingSince).toBe((await w.detail(b)).routing.enqueuedAt);
    expect(queue(after, 'public_safety')).toMatchObject({ waiting: 0, assigned: 1, threatToLifeWaiting: 0, oldestWaitingSince: null });
    expect(queue(after, 'domestic')).toMatchObject({ waiting: 1, assigned: 0, oldestWaitingSince: (await w.detail(d)).routing.enqueuedAt });
    expect(after.waiting.map((x) => x.id)).toEqual([d, b, c]);

    const desk = after.staff.find((s) => s.id === w.desk.user.id);
    expect(desk).toMatchObject({ presence: 'available', isStale: false, skills: ['social_media', 'welsh'], load: { online: 2 } });
    expect(desk?.capacity).toEqual({ call: 0, chat: 3, social: 5, sms: 5, email: 5, online: 2 });
    expect(desk?.contacts.map((x) => x.id)).toEqual([t, a]);
    expect(desk?.contacts[0]).toMatchObject({ isThreatToLife: true, queueName: 'Public safety', slaState: 'running' });
    expect(desk?.contacts[0]?.assignedAt).toBe(w.clock.now().toISOString());
    expect(after.staff.find((s) => s.id === w.handler.user.id)).toMatchObject({ presence: 'offline', load: {}, contacts: [] });
  });

  it('shows people their own presence, skills, capacity and load', async () => {
    await w.setPresence(w.handler, 'available');
    await w.report(CALM);
    await w.distribute();
    const response = await w.get(w.handler, '/api/me/routing');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      presence: 'available',
      skills: ['control_room', 'domestic_abuse'],
      capacity: { call: 1, chat: 2, social: 0, sms: 3, email: 3, online: 3 },
      load: { online: 1 },
    });
  });

  it('records a person’s repeated look at a contact (a live refresh) as one view per five minutes', async () => {
    const contactId = await w.report(CALM);
    for (let i = 0; i < 3; i += 1) expect((await w.get(w.handler, `/api/contacts/${contactId}`)).statusCode).toBe(200);
    await w.get(w.desk, `/api/contacts/${contactId}`);
    const views = async () => (await w.events(contactId, 'contact.viewed')).map((e) => e.actor_id);
    expect(await views()).toEqual([w.handler.user.id, w.desk.user.id]);
    w.clock.advance(5 * MINUTE + 1000);
    await w.get(w.handler, `/api/contacts/${contactId}`);
    expect(await views()).toEqual([w.handler.user.id, w.desk.user.id, w.handler.user.id]);
  });

  it('refuses-the-board-to-anyone-but-a-supervisor', async () => {
    for (const session of [w.handler, w.desk]) expect((await w.get(session, '/api/routing/board')).statusCode).toBe(403);
  });
});

describe(`bad input to routing (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  const expectBadInput = (response: { statusCode: number; json<T>(): T; body: string }, path: string) => {
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.fields?.map((f) => f.path)).toContain(path);
  };

  it('refuses-a-presence-not-in-the-list', async () => {
    expectBadInput(await w.post(w.handler, '/api/me/presence', { presence: 'sleeping' }), 'body.presence');
    expectBadInput(await w.post(w.handler, '/api/me/presence', {}), 'body.presence');
    expectBadInput(await w.post(w.supervisor, `/api/routing/staff/${w.desk.user.id}/presence`, { presence: 'AVAILABLE' }), 'body.presence');
    expect((await w.post(w.handler, '/api/me/presence', { presence: 'available', until: 'later' })).statusCode).toBe(400);
    expect((await w.get(w.handler, '/api/me/routing')).json<{ presence: string }>().presence).toBe('offline');
  });

  it('refuses-a-presence-for-someone-who-does-not-work-the-queue', async () => {
    const admin = await signIn(w.app, 'admin@demo.police.uk');
    const response = await w.post(w.supervisor, `/api/routing/staff/${admin.user.id}/presence`, { presence: 'available' });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toContain('does not work the queue');
    expect((await w.post(admin, '/api/me/presence', { presence: 'available' })).statusCode).toBe(403);
  });

  it('refuses-a-profile-with-an-unknown-skill-or-a-bad-capacity', async () => {
    const url = `/api/routing/staff/${w.desk.user.id}/profile`;
    expectBadInput(await w.post(w.supervisor, url, { skills: ['juggling'] }), 'body.skills.0');
    expectBadInput(await w.post(w.supervisor, url, { capacity: { online: -1 } }), 'body.capacity.online');
    expectBadInput(await w.post(w.supervisor, url, { capacity: { online: 1.5 } }), 'body.capacity.online');
    expect((await w.post(w.supervisor, url, { capacity: { teleport: 1 } })).statusCode).toBe(400);
    expect((await w.post(w.supervisor, url, { capacity: { online: 51 } })).statusCode).toBe(400);
    expect((await w.post(w.supervisor, url, {})).statusCode).toBe(400);
    expect((await w.post(w.supervisor, '/api/routing/staff/not-an-id/profile', { skills: ['welsh'] })).statusCode).toBe(400);
    expect((await w.post(w.supervisor, '/api/routing/staff/00000000-0000-4000-8000-000000000000/profile', { skills: ['welsh'] })).statusCode).toBe(404);
    const desk = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>().staff.find((s) => s.id === w.desk.user.id);
    expect(desk?.skills).toEqual(['social_media', 'welsh']);
    expect(desk?.capacity.online).toBe(5);
    // And a good one is taken, as an event.
    expect((await w.post(w.supervisor, url, { skills: ['welsh', 'hate_crime', 'welsh'], capacity: { chat: 4 } })).statusCode).toBe(200);
    const changed = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>().staff.find((s) => s.id === w.desk.user.id);
    expect(changed).toMatchObject({ skills: ['hate_crime', 'welsh'], capacity: { chat: 4, online: 5 } });
    const events = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('events').select('actor_id').where('type', '=', 'staff.routing_changed').where('subject_id', '=', w.desk.user.id).execute(),
    );
    expect(events).toEqual([{ actor_id: w.supervisor.user.id }]);
  });

  it('lets an admin replace the rules that feed the queues, and refuses rules naming no queue of the force', async () => {
    const admin = await signIn(w.app, 'admin@demo.police.uk');
    const { queues, rules: original } = (await w.get(admin, '/api/queues')).json<{ queues: Queue[]; rules: { queueId: string; channels: string[] | null; categories: string[] | null; priorities: number[] | null }[] }>();
    const general = queues.find((q) => q.key === 'general');
    const safety = queues.find((q) => q.key === 'public_safety');
    if (!general || !safety) throw new Error('demo queues missing');

    const replaced = await w.post(admin, '/api/queues/rules', { rules: [{ queueId: safety.id, priorities: [1, 2] }, { queueId: general.id, channels: ['portal'] }] });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json<{ rules: { queueId: string; position: number }[] }>().rules.map((r) => [r.queueId, r.position])).toEqual([
      [safety.id, 1],
      [general.id, 2],
    ]);
    // A calm portal report now goes to General enquiries, not Online reports.
    const calm = await w.report(CALM);
    expect((await w.detail(calm)).routing.queue?.key).toBe('general');
    const replacedEvents = await withSystem(w.app.database.db, (tx) => tx.selectFrom('events').select('actor_id').where('type', '=', 'queue.rules_replaced').execute());
    expect(replacedEvents.map((e) => e.actor_id)).toEqual([admin.user.id]);

    const strange = await w.post(admin, '/api/queues/rules', { rules: [{ queueId: '00000000-0000-4000-8000-00000000beef', channels: ['email'] }] });
    expect(strange.statusCode).toBe(400);
    expect(strange.json<ErrorBody>().error.fields?.[0]?.path).toBe('body.rules.0.queueId');
    // A rule naming nothing would take every contact: the rules after it and the default queue would never apply.
    for (const empty of [{ queueId: general.id }, { queueId: general.id, channels: [], categories: [], priorities: [] }]) {
      const catchAll = await w.post(admin, '/api/queues/rules', { rules: [{ queueId: safety.id, priorities: [1] }, empty] });
      expect(catchAll.statusCode, catchAll.body).toBe(400);
      expect(catchAll.json<ErrorBody>().error.fields).toEqual([
        expect.objectContaining({ path: 'body.rules.1', sentence: 'Rule 2 must name at least one channel, category or priority' }),
      ]);
    }
    const badCategory = await w.post(admin, '/api/queues/rules', { rules: [{ queueId: general.id, categories: ['gossip'] }] });
    expect(badCategory.statusCode).toBe(400);
    // A misspelt channel would be kept and match nothing: refused, naming the channels there are.
    const misspelt = await w.post(admin, '/api/queues/rules', { rules: [{ queueId: general.id, channels: ['email', 'sms_twillio'] }] });
    expect(misspelt.statusCode, misspelt.body).toBe(400);
    expect(misspelt.json<ErrorBody>().error.fields).toEqual([expect.objectContaining({ path: 'body.rules.0.channels.1', message: expect.stringContaining('must be one of chat, sms_twilio, sms_notify, meta, x, email, portal, api, phone, callback') })]);
    // Refused changes leave the rules as they were.
    expect((await w.get(admin, '/api/queues')).json<{ rules: unknown[] }>().rules).toHaveLength(2);

    // The force's own rules back, for the tests that share this world.
    const restore = original.map((r) => ({ queueId: r.queueId, channels: r.channels ?? undefined, categories: r.categories ?? undefined, priorities: r.priorities ?? undefined }));
    expect((await w.post(admin, '/api/queues/rules', { rules: restore })).statusCode).toBe(200);
  });

  // The refusal names the value sent; a script's value may be a list nested thousands deep, which
  // written out as text would overflow the stack and answer 500.
  it('refuses-a-channel-or-category-that-is-not-text-naming-what-it-is-never-a-500', async () => {
    const admin = await signIn(w.app, 'admin@demo.police.uk');
    const { queues, rules: before } = (await w.get(admin, '/api/queues')).json<{ queues: Queue[]; rules: unknown[] }>();
    const queueId = queues[0]?.id;
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    for (const field of ['channels', 'categories'] as const) {
      const payload = `{"rules":[{"queueId":"${queueId}","${field}":[${deep},{"a":1},7]}]}`;
      const response = await w.app.inject({ method: 'POST', url: '/api/queues/rules', headers: { ...admin.headers, 'content-type': 'application/json' }, payload });
      expectBadInput(response, `body.rules.0.${field}.0`);
      expect(response.json<ErrorBody>().error.fields?.map((f) => f.message)).toEqual([
        expect.stringContaining('(a list)'),
        expect.stringContaining('(an object)'),
        expect.stringContaining('(7)'),
      ]);
    }
    expect((await w.get(admin, '/api/queues')).json<{ rules: unknown[] }>().rules).toEqual(before);
  });

  it('refuses-a-queue-change-with-a-zero-minute-target, and applies a good one to new clocks only', async () => {
    const { queues } = (await w.get(w.supervisor, '/api/queues')).json<{ queues: Queue[] }>();
    const online = queues.find((q) => q.key === 'online_report');
    if (!online) throw new Error('no online-reports queue');
    const url = `/api/queues/${online.id}`;
    const zero = { ...online.sla, '4': { ...online.sla['4'], firstResponseMinutes: 0 } };
    expectBadInput(await w.post(w.supervisor, url, { sla: zero }), 'body.sla.4.firstResponseMinutes');
    expectBadInput(await w.post(w.supervisor, url, { warnAtPercent: 100 }), 'body.warnAtPercent');
    expectBadInput(await w.post(w.supervisor, url, { requiredSkills: ['juggling'] }), 'body.requiredSkills.0');
    expect((await w.post(w.supervisor, url, {})).statusCode).toBe(400);
    expect((await w.post(w.supervisor, url, { sla: { '1': online.sla['1'] } })).statusCode).toBe(400);
    expect((await w.post(w.handler, url, { warnAtPercent: 50 })).statusCode).toBe(403);
    expect((await w.post(w.supervisor, '/api/queues/00000000-0000-4000-8000-000000000000', { warnAtPercent: 50 })).statusCode).toBe(404);
    const unchanged = (await w.get(w.supervisor, '/api/queues')).json<{ queues: Queue[] }>().queues.find((q) => q.id === online.id);
    expect(unchanged).toEqual(online);

    const running = await w.report(CALM);
    const quicker = { ...online.sla, '4': { ...online.sla['4'], firstResponseMinutes: 15 } };
    const changed = await w.post(w.supervisor, url, { sla: quicker });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<{ queue: Queue }>().queue.sla['4'].firstResponseMinutes).toBe(15);
    const fresh = await w.report(CALM);
    const firstResponse = async (id: string) => {
      const clock = (await w.detail(id)).routing.clocks.find((k) => k.kind === 'first_response');
      return Date.parse(clock?.dueAt ?? '') - Date.parse(clock?.startedAt ?? '');
    };
    expect(await firstResponse(fresh)).toBe(15 * MINUTE);
    expect(await firstResponse(running)).toBe(online.sla['4'].firstResponseMinutes * MINUTE);
  });

  it('refuses-malformed-ids-and-bodies-on-the-contact-moves, never with a 500', async () => {
    const id = await w.report(CALM);
    const cases: [Session, string, object][] = [
      [w.supervisor, `/api/contacts/${id}/assign`, {}],
      [w.supervisor, `/api/contacts/${id}/assign`, { staffId: 'desk' }],
      [w.supervisor, '/api/contacts/not-a-contact/assign', { staffId: w.desk.user.id }],
      [w.supervisor, `/api/contacts/${id}/take-back`, { reason: 'x'.repeat(1001) }],
      [w.desk, '/api/contacts/not-a-contact/take', {}],
      [w.desk, `/api/contacts/${id}/take`, { please: true }],
      [w.desk, `/api/contacts/${id}/escalate`, { reason: 42 }],
      [w.desk, `/api/contacts/${id}/callback`, { number: ['020 7946 0123'] }],
      [w.supervisor, '/api/alerts/not-an-alert/acknowledge', {}],
      [w.supervisor, `/api/alerts/${id}/acknowledge`, { note: 7 }],
    ];
    for (const [session, url, payload] of cases) {
      const response = await w.post(session, url, payload);
      expect(response.statusCode, `${url} ${JSON.stringify(payload)}`).toBe(400);
    }
    expect(await w.assigneeOf(id)).toBeNull();
  });
});

describe(`routing between two forces (${ENGINE})`, () => {
  let w: RoutingWorld;
  let otherSupervisor: Session;
  let otherHandler: Session;
  let otherForceId: ForceId;
  beforeAll(async () => {
    w = await createRoutingWorld();
    const other = await createOtherForce(w.app, ['supervisor', 'call_handler']);
    otherForceId = other.forceId;
    otherSupervisor = await signIn(w.app, other.emails.supervisor ?? '', 'other-password');
    otherHandler = await signIn(w.app, other.emails.call_handler ?? '', 'other-password');
  });
  afterAll(() => w.close());

  it('hides-other-force-boards-alerts-and-contacts, and refuses-moving-another-force’s-contacts', async () => {
    const threat = await w.report(THREAT);
    const calm = await w.report(CALM);
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(2);
    const [alert] = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    const demoQueues = (await w.get(w.supervisor, '/api/queues')).json<{ queues: Queue[] }>().queues;
    const eventsBefore = await withSystem(w.app.database.db, (tx) => tx.selectFrom('events').select('seq').where('force_id', '=', w.forceId).execute());

    await w.setPresence(otherHandler, 'available');
    const board = (await w.get(otherSupervisor, '/api/routing/board')).json<RoutingBoard>();
    const demoStaff = [w.handler, w.desk, w.supervisor].map((s) => s.user.id);
    expect(board.staff.map((s) => s.name).sort()).toEqual(['Other call_handler', 'Other supervisor']);
    expect(board.staff.some((s) => demoStaff.includes(s.id))).toBe(false);
    expect(board.queues.every((q) => q.waiting === 0 && q.assigned === 0)).toBe(true);
    expect(board.queues.some((q) => demoQueues.some((d) => d.id === q.id))).toBe(false);
    expect(board.waiting).toEqual([]);
    expect(board.alerts).toEqual([]);
    expect((await w.get(otherSupervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts).toEqual([]);
    expect((await w.get(otherSupervisor, `/api/contacts/${calm}`)).statusCode).toBe(404);

    const refused: [Session, string, object][] = [
      [otherSupervisor, `/api/contacts/${calm}/assign`, { staffId: otherHandler.user.id }],
      [otherSupervisor, `/api/contacts/${calm}/assign`, { staffId: w.handler.user.id }],
      [otherSupervisor, `/api/contacts/${calm}/take-back`, {}],
      [otherSupervisor, `/api/contacts/${calm}/escalate`, { reason: 'Risk to life' }],
      [otherSupervisor, `/api/contacts/${calm}/callback`, { number: '020 7946 0123' }],
      [otherSupervisor, `/api/alerts/${alert?.id ?? ''}/acknowledge`, {}],
      [otherSupervisor, `/api/routing/staff/${w.desk.user.id}/presence`, { presence: 'offline' }],
      [otherSupervisor, `/api/routing/staff/${w.desk.user.id}/profile`, { skills: ['welsh'] }],
      [otherSupervisor, `/api/queues/${demoQueues[0]?.id ?? ''}`, { warnAtPercent: 50 }],
      [otherHandler, `/api/contacts/${threat}/take`, {}],
    ];
    for (const [session, url, payload] of refused) {
      const response = await w.post(session, url, payload);
      expect(response.statusCode, url).toBe(404);
    }

    // Nor can one force's contact be pushed to a member of another force.
    await w.setPresence(w.handler, 'available');
    const pushed = await w.post(w.supervisor, `/api/contacts/${calm}/assign`, { staffId: otherHandler.user.id });
    expect(pushed.statusCode).toBe(404);

    // Nothing of the demo force changed.
    expect(await w.assigneeOf(calm)).toBe(w.desk.user.id);
    expect(await w.assigneeOf(threat)).toBe(w.desk.user.id);
    expect((await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts).toEqual([alert]);
    expect((await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>().staff.find((s) => s.id === w.desk.user.id)?.presence).toBe('available');
    const eventsAfter = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('events').select('type').where('force_id', '=', w.forceId).where('seq', '>', Math.max(...eventsBefore.map((e) => Number(e.seq)))).execute(),
    );
    // Since then, only the demo handler's own presence change.
    expect(eventsAfter.map((e) => e.type)).toEqual(['staff.presence_changed']);
  });

  it('never gives one force’s contacts to another force’s staff', async () => {
    const id = await w.report(CALM);
    await w.setPresence(w.handler, 'offline');
    await w.setPresence(w.desk, 'offline');
    await w.setPresence(otherHandler, 'available');
    expect(await distributeWaiting(w.app.deps, otherForceId)).toBe(0);
    expect(await w.distribute()).toBe(0);
    expect(await w.assigneeOf(id)).toBeNull();
  });
});
