import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';

// A form open on a record people edit from the version they opened hears, from the live stream,
// that someone changed that record and who: each change says which record it was, from the event
// the change recorded, so the form warns its user before their save is refused. Only staff who
// may open a page that follows the record are told: those who may change it, and for the queue
// rules and the queues they name, everyone who may read them (decision 0105).

type Session = Awaited<ReturnType<typeof signIn>>;
type Rule = { queueId: string; channels: string[] | null; categories: string[] | null; priorities: number[] | null };
type Queues = { queues: { id: string; key: string; version: number; warnAtPercent: number; isDefault: boolean; isControlRoom: boolean }[]; rules: Rule[]; rulesVersion: number };

describe(`live messages naming an edited record that changed (${ENGINE})`, () => {
  let app: TestApp;
  let admin: Session;
  let supervisor: Session;
  let handler: Session;
  let base: string;
  const heard: LiveMessage[] = [];

  beforeAll(async () => {
    app = await createTestApp();
    admin = await signIn(app, 'admin@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    base = await listenForSockets(app);
  });
  afterAll(() => app.close());

  const changes = () => heard.filter((m) => m.type === 'record.changed');
  const send = async (method: 'POST' | 'PUT', url: string, session: Session, payload: object) => {
    const response = await app.inject({ method, url, headers: session.headers, payload });
    expect(response.statusCode, response.body).toBe(200);
  };
  it('names-the-record-and-who-changed-it-for-each-kind-of-edited-record', async () => {
    const queues = (await app.inject({ method: 'GET', url: '/api/queues', headers: supervisor.headers })).json<Queues>();
    const general = queues.queues.find((q) => q.key === 'general');
    if (!general) throw new Error('no general queue');
    const rules = (await app.inject({ method: 'GET', url: '/api/journey-rules', headers: admin.headers })).json<{ rules: { id: string; version: number }[] }>().rules;
    const rule = rules[0];
    if (!rule) throw new Error('no journey rule');
    const staff = (await app.inject({ method: 'GET', url: '/api/staff', headers: admin.headers })).json<{ staff: { id: string; email: string; roleVersion: number }[] }>().staff;
    const sam = staff.find((s) => s.email === 'handler@demo.police.uk');
    if (!sam) throw new Error('no call handler');
    heard.length = 0;

    await send('POST', `/api/queues/${general.id}`, supervisor, { warnAtPercent: general.warnAtPercent === 70 ? 75 : 70, version: general.version });
    await send('POST', '/api/queues/rules', supervisor, {
      rules: queues.rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) })).reverse(),
      version: queues.rulesVersion,
    });
    await send('PUT', '/api/channel-sla-targets', supervisor, { chat: { firstResponseMinutes: 3, nextResponseMinutes: 4 } });
    await send('POST', '/api/templates/case.allocated', admin, { locale: 'cy', subject: 'Pwnc', body: 'Testun {{caseReference}}' });
    await send('POST', `/api/journey-rules/${rule.id}`, admin, { delayMinutes: 45, version: rule.version });
    await send('POST', `/api/routing/staff/${sam.id}/profile`, supervisor, { skills: ['welsh'], capacity: { chat: 2 } });
    await send('POST', `/api/staff/${sam.id}/role`, admin, { role: 'digital_desk_operator', version: sam.roleVersion });

    await expect.poll(() => changes().length, { timeout: 20_000 }).toBe(7);
    expect(changes()).toEqual([
      { type: 'record.changed', record: 'queue', id: general.id, byStaffId: supervisor.user.id },
      { type: 'record.changed', record: 'queue_rules', byStaffId: supervisor.user.id },
      { type: 'record.changed', record: 'channel_targets', byStaffId: supervisor.user.id },
      { type: 'record.changed', record: 'template', id: 'case.allocated/email/cy', byStaffId: admin.user.id },
      { type: 'record.changed', record: 'journey_rule', id: rule.id, byStaffId: admin.user.id },
      { type: 'record.changed', record: 'staff_profile', id: sam.id, byStaffId: supervisor.user.id },
      { type: 'record.changed', record: 'staff_role', id: sam.id, byStaffId: admin.user.id },
    ]);
    // The pages that list these records still hear what they heard before.
    expect(heard.filter((m) => m.type === 'journey_rules.changed')).toHaveLength(1);
  });

  it('names-both-queues-of-a-default-move-and-each-staff-addition-deactivation-and-reactivation-so-open-lists-follow', async () => {
    const queues = (await app.inject({ method: 'GET', url: '/api/queues', headers: admin.headers })).json<Queues>();
    const from = queues.queues.find((q) => q.isDefault);
    const to = queues.queues.find((q) => !q.isDefault && !q.isControlRoom);
    if (!from || !to) throw new Error('no default queue and another');
    const before = changes().length;

    await send('POST', `/api/queues/${to.id}/default`, admin, {});
    const created = await app.inject({ method: 'POST', url: '/api/staff', headers: admin.headers, payload: { name: 'Lee Listed', email: 'lee.listed@demo.police.uk', role: 'call_handler' } });
    expect(created.statusCode, created.body).toBe(201);
    const lee = created.json<{ staff: { id: string } }>().staff.id;
    await send('POST', `/api/staff/${lee}/deactivate`, admin, {});
    await send('POST', `/api/staff/${lee}/reactivate`, admin, {});

    await expect.poll(() => changes().length - before, { timeout: 20_000 }).toBe(5);
    expect(changes().slice(before)).toEqual([
      { type: 'record.changed', record: 'queue', id: from.id, byStaffId: admin.user.id },
      { type: 'record.changed', record: 'queue', id: to.id, byStaffId: admin.user.id },
      { type: 'record.changed', record: 'staff_role', id: lee, byStaffId: admin.user.id },
      { type: 'record.changed', record: 'staff_role', id: lee, byStaffId: admin.user.id },
      { type: 'record.changed', record: 'staff_role', id: lee, byStaffId: admin.user.id },
    ]);
    // A queue form open on either queue holds the version it had: a change of default counts none (decision 0091).
    const after = (await app.inject({ method: 'GET', url: '/api/queues', headers: admin.headers })).json<Queues>();
    expect(after.queues.find((q) => q.id === to.id)?.version).toBe(to.version);
  });

  it('tells-no-one-who-may-not-change-the-record', async () => {
    const handlerSocket = await openLiveSocket(base, handler);
    const supervisorSocket = await openLiveSocket(base, supervisor);
    try {
      const before = supervisorSocket.messages.length;
      await send('PUT', '/api/channel-sla-targets', supervisor, { chat: { firstResponseMinutes: 5, nextResponseMinutes: 6 } });
      await send('POST', '/api/templates/case.allocated', admin, { locale: 'cy', subject: 'Pwnc arall', body: 'Testun arall {{caseReference}}' });
      await expect.poll(() => supervisorSocket.messages.slice(before).filter((m) => m.type === 'record.changed').length, { timeout: 20_000 }).toBe(1);
      // A supervisor may change the targets but not a template; a call handler neither.
      expect(supervisorSocket.messages.slice(before).find((m) => m.type === 'record.changed')).toMatchObject({ record: 'channel_targets' });
      await expect.poll(() => changes().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(14);
      expect(handlerSocket.messages.map((m) => m.type)).not.toContain('record.changed');
    } finally {
      handlerSocket.close();
      supervisorSocket.close();
    }
  });

  it('tells-a-dispatcher-who-may-only-read-the-queue-rules-that-they-or-a-queue-changed-and-nothing-else', async () => {
    const dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    const socket = await openLiveSocket(base, dispatcher);
    try {
      const queues = (await app.inject({ method: 'GET', url: '/api/queues', headers: dispatcher.headers })).json<Queues>();
      const general = queues.queues.find((q) => q.key === 'general');
      if (!general) throw new Error('no general queue');
      // First a change the dispatcher has no page to follow: a socket keeps its messages in order, so had it been sent it would come first.
      await send('PUT', '/api/channel-sla-targets', supervisor, { chat: { firstResponseMinutes: 7, nextResponseMinutes: 8 } });
      await send('POST', '/api/queues/rules', supervisor, {
        rules: queues.rules.map((r) => ({ queueId: r.queueId, ...(r.channels ? { channels: r.channels } : {}), ...(r.categories ? { categories: r.categories } : {}), ...(r.priorities ? { priorities: r.priorities } : {}) })).reverse(),
        version: queues.rulesVersion,
      });
      await send('POST', `/api/queues/${general.id}`, supervisor, { warnAtPercent: general.warnAtPercent === 70 ? 75 : 70, version: general.version });
      const heardBySocket = () => socket.messages.filter((m) => m.type === 'record.changed');
      await expect.poll(() => heardBySocket().length, { timeout: 20_000 }).toBe(2);
      expect(heardBySocket()).toEqual([
        { type: 'record.changed', record: 'queue_rules', byStaffId: supervisor.user.id },
        { type: 'record.changed', record: 'queue', id: general.id, byStaffId: supervisor.user.id },
      ]);
    } finally {
      socket.close();
    }
  });
});
