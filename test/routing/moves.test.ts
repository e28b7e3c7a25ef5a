import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, submitPublicReport } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { ContactSummary } from '../../src/capabilities/contacts/contacts.schema.ts';
import { CALM, DOMESTIC, FIGHT, MINUTE, createRoutingWorld, openRoutingApp, type ErrorBody, type RoutingApp, type RoutingWorld } from './routing-kit.ts';

// One app for the file; each test that changes what it shares takes a fresh force in it.
let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

describe(`supervisors pushing and taking back contacts (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  it('refuses-to-push-a-contact-to-someone-offline', async () => {
    const id = await w.report(CALM);
    const response = await w.post(w.supervisor, `/api/contacts/${id}/assign`, { staffId: w.desk.user.id });
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorBody>().error.message).toContain('offline');
    expect(await w.assigneeOf(id)).toBeNull();
    expect(await w.events(id, 'contact.assigned')).toEqual([]);
  });

  it('pushes to an available person, records that a supervisor did it, and takes it back into the queue', async () => {
    const id = await w.report(CALM);
    await w.setPresence(w.desk, 'available');
    const pushed = await w.post(w.supervisor, `/api/contacts/${id}/assign`, { staffId: w.desk.user.id });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect(await w.assigneeOf(id)).toBe(w.desk.user.id);
    const assigned = await w.events(id, 'contact.assigned');
    expect(assigned).toEqual([
      expect.objectContaining({ actor_type: 'staff', actor_id: w.supervisor.user.id, data: { staffId: w.desk.user.id, by: 'supervisor', overrides: [] } }),
    ]);
    const timeline = (await w.detail(id)).timeline;
    expect(timeline.map((t) => t.summary)).toContain('Pushed to Dee Desk by a supervisor');

    // Pushing it to the person who already has it is refused.
    expect((await w.post(w.supervisor, `/api/contacts/${id}/assign`, { staffId: w.desk.user.id })).statusCode).toBe(409);

    const back = await w.post(w.supervisor, `/api/contacts/${id}/take-back`, { reason: 'Needs a trained handler' });
    expect(back.statusCode, back.body).toBe(200);
    expect(await w.assigneeOf(id)).toBeNull();
    expect(await w.events(id, 'contact.unassigned')).toEqual([
      expect.objectContaining({ actor_id: w.supervisor.user.id, data: { staffId: w.desk.user.id, reason: 'Needs a trained handler' } }),
    ]);
    const waiting = (await w.get(w.supervisor, '/api/contacts?assigned=unassigned')).json<{ contacts: ContactSummary[] }>().contacts;
    expect(waiting.map((c) => c.id)).toEqual([id]);

    // Distribution does not hand it straight back to the person it was taken from, even when they
    // are the only one free; the next suitable person gets it.
    expect(await w.distribute()).toBe(0);
    expect(await w.assigneeOf(id)).toBeNull();
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.handler.user.id);

    // Taking back a contact nobody holds is refused.
    expect((await w.post(w.supervisor, `/api/contacts/${id}/take-back`)).statusCode).toBe(200);
    expect((await w.post(w.supervisor, `/api/contacts/${id}/take-back`)).statusCode).toBe(409);
  });

  it('lets a supervisor push past skills, and records the override', async () => {
    const id = await w.report(DOMESTIC);
    await w.setPresence(w.desk, 'busy');
    const pushed = await w.post(w.supervisor, `/api/contacts/${id}/assign`, { staffId: w.desk.user.id });
    expect(pushed.statusCode, pushed.body).toBe(200);
    expect((await w.events(id, 'contact.assigned'))[0]?.data).toMatchObject({ by: 'supervisor', overrides: ['skills'] });
  });

  it('lets a supervisor sign off someone who left, returning what they held to the queue', async () => {
    const id = await w.report(CALM);
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(1);
    const response = await w.post(w.supervisor, `/api/routing/staff/${w.desk.user.id}/presence`, { presence: 'offline' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ presence: 'offline', returnedContacts: 1 });
    expect(await w.assigneeOf(id)).toBeNull();
    expect(await w.events(id, 'contact.unassigned')).toEqual([
      expect.objectContaining({ actor_id: w.supervisor.user.id, data: { staffId: w.desk.user.id, reason: 'went offline' } }),
    ]);
    expect((await w.get(w.desk, '/api/me/routing')).json<{ presence: string }>().presence).toBe('offline');
  });

  it('refuses-a-push-from-someone-who-is-not-a-supervisor', async () => {
    const id = await w.report(CALM);
    await w.setPresence(w.desk, 'available');
    const response = await w.post(w.handler, `/api/contacts/${id}/assign`, { staffId: w.desk.user.id });
    expect(response.statusCode).toBe(403);
    expect((await w.post(w.handler, `/api/contacts/${id}/take-back`)).statusCode).toBe(403);
    expect(await w.assigneeOf(id)).toBeNull();
  });
});

describe(`operators taking waiting contacts (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  it('lets an operator take a waiting contact, and refuses-taking-one-already-assigned', async () => {
    const id = await w.report(CALM);
    await w.setPresence(w.desk, 'available');
    await w.setPresence(w.handler, 'busy');
    const taken = await w.post(w.desk, `/api/contacts/${id}/take`);
    expect(taken.statusCode, taken.body).toBe(200);
    expect(await w.assigneeOf(id)).toBe(w.desk.user.id);
    expect((await w.events(id, 'contact.assigned'))[0]).toMatchObject({ actor_id: w.desk.user.id, data: { staffId: w.desk.user.id, by: 'self' } });

    const again = await w.post(w.handler, `/api/contacts/${id}/take`);
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.code).toBe('conflict');
    expect(await w.assigneeOf(id)).toBe(w.desk.user.id);
    expect(await w.events(id, 'contact.assigned')).toHaveLength(1);
  });

  it('refuses-taking-a-contact-without-the-skill-its-queue-requires', async () => {
    const id = await w.report(DOMESTIC);
    await w.setPresence(w.desk, 'available');
    const response = await w.post(w.desk, `/api/contacts/${id}/take`);
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorBody>().error.message).toContain('domestic_abuse');
    expect(await w.assigneeOf(id)).toBeNull();
  });

  it('refuses-taking-work-while-offline', async () => {
    const id = await w.report(CALM);
    expect((await w.post(w.desk, `/api/contacts/${id}/take`)).statusCode).toBe(409);
    expect(await w.assigneeOf(id)).toBeNull();
  });

  it('gives a contact two people try to take at the same moment to exactly one of them', async () => {
    const id = await w.report(CALM);
    await w.setPresence(w.desk, 'available');
    await w.setPresence(w.handler, 'available');
    const [a, b] = await Promise.all([w.post(w.desk, `/api/contacts/${id}/take`), w.post(w.handler, `/api/contacts/${id}/take`)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? w.desk : w.handler;
    expect(await w.assigneeOf(id)).toBe(winner.user.id);
    expect(await w.events(id, 'contact.assigned')).toHaveLength(1);
  });
});

describe(`escalating to the control room (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  it('moves the contact with its thread and history, ends the old clocks and starts the control room’s', async () => {
    const id = await w.report(FIGHT);
    await w.setPresence(w.desk, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.desk.user.id);
    const before = await w.detail(id, w.desk);
    expect(before.routing.queue?.key).toBe('public_safety');

    w.clock.advance(3 * MINUTE);
    const response = await w.post(w.desk, `/api/contacts/${id}/escalate`, { reason: 'THRIVE found a risk to life' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ queue: { queueName: string } }>().queue.queueName).toBe('Control room');

    const after = await w.detail(id, w.desk);
    expect(after.routing.queue).toMatchObject({ key: 'control_room', isControlRoom: true });
    expect(after.routing.assignedTo).toBeNull();
    expect(after.routing.requiredSkills).toEqual(['control_room']);
    expect(after.contact.id).toBe(id);
    expect(after.messages).toEqual(before.messages);
    const types = after.timeline.map((t) => t.type);
    for (const type of ['contact.received', 'contact.triaged', 'contact.routed', 'contact.assigned', 'contact.unassigned', 'contact.escalated']) {
      expect(types).toContain(type);
    }
    expect(types.indexOf('contact.routed')).toBeLessThan(types.indexOf('contact.escalated'));
    expect(await w.events(id, 'contact.unassigned')).toEqual([
      expect.objectContaining({ data: { staffId: w.desk.user.id, reason: 'escalated to the control room' } }),
    ]);
    const [escalated] = await w.events(id, 'contact.escalated');
    expect(escalated).toMatchObject({ actor_id: w.desk.user.id, data: { fromQueue: 'Public safety', toQueue: 'Control room', reason: 'THRIVE found a risk to life' } });

    const oldClocks = after.routing.clocks.filter((k) => k.queueId === before.routing.queue?.id);
    const newClocks = after.routing.clocks.filter((k) => k.queueId === after.routing.queue?.id);
    expect(oldClocks.map((k) => [k.kind, k.state, k.stopReason]).sort()).toEqual([
      ['first_response', 'cancelled', 'escalated'],
      ['resolution', 'cancelled', 'escalated'],
    ]);
    expect(newClocks.map((k) => [k.kind, k.state]).sort()).toEqual([
      ['first_response', 'running'],
      ['resolution', 'running'],
    ]);
    // Control room, priority 3: 20 minutes to a first response from the moment of escalation.
    const firstResponse = newClocks.find((k) => k.kind === 'first_response');
    expect(Date.parse(firstResponse?.dueAt ?? '') - Date.parse(firstResponse?.startedAt ?? '')).toBe(20 * MINUTE);
    expect(firstResponse?.startedAt).toBe(w.clock.now().toISOString());

    // It now waits for a control-room handler: never the desk operator, who lacks the skill.
    expect(await w.distribute()).toBe(0);
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    expect(await w.assigneeOf(id)).toBe(w.handler.user.id);
  });

  it('refuses-escalating-a-contact-already-in-the-control-room', async () => {
    const id = await w.report(CALM);
    expect((await w.post(w.desk, `/api/contacts/${id}/escalate`, { reason: 'Risk to life' })).statusCode).toBe(200);
    const again = await w.post(w.desk, `/api/contacts/${id}/escalate`, { reason: 'Risk to life' });
    expect(again.statusCode).toBe(409);
    expect(await w.events(id, 'contact.escalated')).toHaveLength(1);
    const running = (await w.detail(id)).routing.clocks.filter((k) => k.stoppedAt === null);
    expect(running).toHaveLength(2);
  });

  it('refuses-escalating-without-a-reason, naming the field', async () => {
    const id = await w.report(CALM);
    for (const payload of [{}, { reason: '   ' }]) {
      const response = await w.post(w.desk, `/api/contacts/${id}/escalate`, payload);
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error.fields?.map((f) => f.path)).toEqual(['body.reason']);
    }
    expect((await w.detail(id)).routing.queue?.key).toBe('online_report');
  });

  it('refuses-escalating-a-closed-contact', async () => {
    const id = await w.report(CALM);
    expect((await w.post(w.desk, `/api/contacts/${id}/close`, { outcome: 'advice_given' })).statusCode).toBe(200);
    expect((await w.post(w.desk, `/api/contacts/${id}/escalate`, { reason: 'Risk to life' })).statusCode).toBe(409);
  });
});

describe(`callbacks (${ENGINE})`, () => {
  // Nothing here gives work out, so the tests share one force.
  let w: RoutingWorld;
  beforeAll(async () => {
    w = await createRoutingWorld();
  });
  afterAll(() => w.close());

  const call = (event: Record<string, unknown>) =>
    w.app.inject({
      method: 'POST',
      url: '/webhooks/telephony/calls',
      headers: { 'x-bluelamp-telephony-secret': 'demo-telephony-secret', 'content-type': 'application/json' },
      payload: JSON.stringify({ line: '101', callerNumber: '+447700900456', calledNumber: '101', startedAt: '2026-03-02T09:00:00Z', ...event }),
    });
  const phoneContact = async (callId: string) => {
    const row = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('contacts').select('id').where('thread_key', '=', `call:${callId}`).executeTakeFirstOrThrow(),
    );
    return row.id;
  };

  it('records a callback for a caller as a contact of its own, for the same person, with its own clock', async () => {
    expect((await call({ callId: 'cb-1', event: 'offered' })).statusCode).toBe(200);
    const source = await phoneContact('cb-1');
    const response = await w.post(w.handler, `/api/contacts/${source}/callback`, { note: 'After 5pm please' });
    expect(response.statusCode, response.body).toBe(201);
    const { callback } = response.json<{ callback: { id: string; reference: string } }>();

    const made = await w.detail(callback.id);
    const from = await w.detail(source);
    expect(made.contact).toMatchObject({ channel: 'callback', status: 'open', queueName: 'Control room' });
    expect(made.person?.id).toBe(from.person?.id);
    // Whoever makes the call sees the note left for them.
    expect(made.routing.callback).toEqual({ forContactId: source, forReference: from.contact.reference, number: '+447700900456', note: 'After 5pm please' });
    const clocks = made.routing.clocks.filter((k) => k.kind === 'first_response');
    expect(clocks).toHaveLength(1);
    expect(clocks[0]).toMatchObject({ state: 'running', startedAt: w.clock.now().toISOString() });
    expect(from.timeline.map((t) => t.type)).toContain('contact.callback_requested');
    expect((await w.events(source, 'contact.callback_requested'))[0]).toMatchObject({
      actor_id: w.handler.user.id,
      data: { callbackContactId: callback.id, callbackReference: callback.reference, note: 'After 5pm please' },
    });
    // The source contact's own clocks are untouched.
    expect(from.routing.clocks.filter((k) => k.stoppedAt === null)).toHaveLength(2);
  });

  it('creates a callback when the telephony platform reports the caller asked for one', async () => {
    const response = await call({ callId: 'cb-2', event: 'callback_requested', callbackNumber: '020 7946 0123' });
    expect(response.statusCode, response.body).toBe(200);
    const source = await phoneContact('cb-2');
    const [requested] = await w.events(source, 'contact.callback_requested');
    const callbackId = String(requested?.data.callbackContactId);
    const made = await w.detail(callbackId);
    expect(made.contact.channel).toBe('callback');
    expect(made.routing.callback).toMatchObject({ forContactId: source, number: '+442079460123' });
    expect(made.routing.clocks.map((k) => k.kind).sort()).toEqual(['first_response', 'resolution']);
  });

  it('creates one callback when a call already open asks for one, however often the platform retries', async () => {
    expect((await call({ callId: 'cb-3', event: 'offered' })).statusCode).toBe(200);
    const source = await phoneContact('cb-3');
    for (let i = 0; i < 2; i += 1) {
      expect((await call({ callId: 'cb-3', event: 'callback_requested', callbackNumber: '020 7946 0999' })).statusCode).toBe(200);
    }
    expect(await phoneContact('cb-3')).toBe(source);
    const requested = await w.events(source, 'contact.callback_requested');
    expect(requested).toHaveLength(1);
    const made = await w.detail(String(requested[0]?.data.callbackContactId));
    expect(made.routing.callback).toMatchObject({ forContactId: source, number: '+442079460999' });
  });

  it('adds no callback for a number already waiting to be called, and at most three from the public on one contact', async () => {
    const ask = (number: string, notes?: string) => call({ callId: 'cb-6', event: 'callback_requested', callbackNumber: number, ...(notes ? { notes } : {}) });
    expect((await ask('020 7946 0111')).statusCode).toBe(200);
    // The same number again in a new message (the caller asked twice): still one callback.
    expect((await ask('+44 20 7946 0111', 'Asked again')).statusCode).toBe(200);
    const source = await phoneContact('cb-6');
    const numbers = async () => (await w.events(source, 'contact.callback_requested')).map(async (e) => (await w.detail(String(e.data.callbackContactId))).routing.callback?.number);
    expect(await Promise.all(await numbers())).toEqual(['+442079460111']);
    // Different numbers (a correction) are callbacks of their own, up to three open at once.
    for (const [i, number] of ['020 7946 0112', '020 7946 0113', '020 7946 0114'].entries()) {
      expect((await ask(number, `Another number ${i}`)).statusCode).toBe(200);
    }
    expect(await Promise.all(await numbers())).toEqual(['+442079460111', '+442079460112', '+442079460113']);
  });

  it('takes the number given for a portal report, whose person gave no phone number', async () => {
    const id = await w.report(CALM);
    const response = await w.post(w.desk, `/api/contacts/${id}/callback`, { number: '020 7946 0123' });
    expect(response.statusCode, response.body).toBe(201);
    const made = await w.detail(response.json<{ callback: { id: string } }>().callback.id);
    expect(made.routing.callback?.number).toBe('+442079460123');
    expect(made.routing.queue?.key).toBe('online_report');
  });

  it('keeps a phone number given beside an email address as the person’s: shown, found and called back by default', async () => {
    const report = await submitPublicReport(w.app.deps, w.app.demoForceId, {
      submissionId: 'with-both-handles',
      whatHappened: 'My bike was taken from the rack',
      where: 'Station Road',
      when: 'This morning',
      name: 'Bo Th',
      email: 'both.handles@example.org',
      phone: '07911 123457',
    });
    const detail = await w.detail(report.contactId);
    expect(detail.person?.identities.map((i) => [i.kind, i.value])).toEqual([
      ['email', 'both.handles@example.org'],
      ['phone', '+447911123457'],
    ]);
    const found = await w.app.inject({ method: 'GET', url: '/api/contacts/search?q=07911123457', headers: w.desk.headers });
    expect(found.json<{ contacts: { id: string }[] }>().contacts.map((c) => c.id)).toContain(report.contactId);
    const response = await w.post(w.desk, `/api/contacts/${report.contactId}/callback`, {});
    expect(response.statusCode, response.body).toBe(201);
    expect((await w.detail(response.json<{ callback: { id: string } }>().callback.id)).routing.callback?.number).toBe('+447911123457');
  });

  it('refuses-a-callback-with-no-number-to-call, naming the field', async () => {
    const id = await w.report(CALM);
    const response = await w.post(w.desk, `/api/contacts/${id}/callback`, {});
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.fields?.map((f) => f.path)).toEqual(['body.number']);
    expect(body.error.message).toContain('no phone number');
    expect(await w.events(id, 'contact.callback_requested')).toEqual([]);
  });

  it('refuses-a-callback-to-an-invalid-number', async () => {
    const id = await w.report(CALM);
    for (const number of ['call me maybe', '12', '123456']) {
      const response = await w.post(w.desk, `/api/contacts/${id}/callback`, { number });
      expect(response.statusCode, number).toBe(400);
      expect(response.json<ErrorBody>().error.fields?.map((f) => f.path)).toEqual(['body.number']);
    }
    expect(await w.events(id, 'contact.callback_requested')).toEqual([]);
  });
});
