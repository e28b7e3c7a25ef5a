import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { AlertView } from '../../src/capabilities/queue/alerts.service.ts';
import type { RoutingBoard } from '../../src/capabilities/queue/board.service.ts';
import type { SlaClockView } from '../../src/capabilities/queue/sla.service.ts';
import type { ContactSummary } from '../../src/capabilities/contacts/contacts.schema.ts';
import { FIGHT, MINUTE, THREAT, createRoutingWorld, openRoutingApp, type ErrorBody, type RoutingApp, type RoutingWorld } from './routing-kit.ts';

// Public safety, priority 3 (a fight reported online): first response in 30 minutes, warned at 75%
// (22.5 minutes); next response in 60; resolution in 720.
const FIRST_RESPONSE_MS = 30 * MINUTE;
const FIRST_RESPONSE_WARN_MS = 22.5 * MINUTE;
const NEXT_RESPONSE_MS = 60 * MINUTE;
const RESOLUTION_MS = 720 * MINUTE;

// One app for the file; each test that changes what it shares takes a fresh force in it.
let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

describe(`SLA clocks (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  const runJobs = () => {
    if (!w.app.runner) throw new Error('no job runner');
    return w.app.runner.runDue();
  };
  const clocksOf = async (contactId: string): Promise<SlaClockView[]> => (await w.detail(contactId)).routing.clocks;
  const clockOf = async (contactId: string, kind: SlaClockView['kind']) => {
    const clocks = (await clocksOf(contactId)).filter((k) => k.kind === kind);
    expect(clocks, kind).toHaveLength(1);
    return clocks[0] as SlaClockView;
  };
  const clockRow = (clockId: string) =>
    withSystem(w.app.database.db, (tx) => tx.selectFrom('sla_clocks').select(['warned_at', 'breached_at']).where('id', '=', clockId).executeTakeFirstOrThrow());
  const openAlerts = async () => {
    const response = await w.get(w.supervisor, '/api/alerts');
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ alerts: AlertView[] }>().alerts;
  };
  const queueEntry = async (contactId: string) => {
    const contacts = (await w.get(w.handler, '/api/contacts')).json<{ contacts: ContactSummary[] }>().contacts;
    return contacts.find((c) => c.id === contactId);
  };
  /** A message from the public on the generic API channel: one conversation per sender and thread. */
  const inbound = async (messageId: string, body: string) => {
    const response = await w.app.inject({
      method: 'POST',
      url: '/api/channels/api/messages',
      headers: { authorization: `Bearer ${w.apiToken}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ messageId, threadId: 'sla-thread', from: { email: 'sla@example.org', name: 'Sal' }, body }),
    });
    expect(response.statusCode, response.body).toBe(202);
    const row = await withSystem(w.app.database.db, (tx) =>
      tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', messageId).executeTakeFirstOrThrow(),
    );
    return row.contact_id;
  };

  it('starts first-response and resolution clocks at routing, warns at the warning point and breaches at the due time, once', async () => {
    const id = await w.report(FIGHT);
    const routedAt = w.clock.now();
    const started = await clocksOf(id);
    expect(started.map((k) => k.kind).sort()).toEqual(['first_response', 'resolution']);
    const first = await clockOf(id, 'first_response');
    expect(first).toMatchObject({
      state: 'running',
      priority: 3,
      startedAt: routedAt.toISOString(),
      warnAt: new Date(routedAt.getTime() + FIRST_RESPONSE_WARN_MS).toISOString(),
      dueAt: new Date(routedAt.getTime() + FIRST_RESPONSE_MS).toISOString(),
    });
    expect((await clockOf(id, 'resolution')).dueAt).toBe(new Date(routedAt.getTime() + RESOLUTION_MS).toISOString());

    // A second before the warning point, the warning job is not yet due.
    w.clock.set(new Date(routedAt.getTime() + FIRST_RESPONSE_WARN_MS - 1000));
    await runJobs();
    expect(await w.events(id, 'sla.warning')).toEqual([]);
    expect((await clockRow(first.id)).warned_at).toBeNull();

    w.clock.set(new Date(routedAt.getTime() + FIRST_RESPONSE_WARN_MS));
    await runJobs();
    expect(await w.events(id, 'sla.warning')).toEqual([
      expect.objectContaining({ actor_type: 'system', data: { clockId: first.id, kind: 'first_response', dueAt: first.dueAt } }),
    ]);
    expect((await clockRow(first.id)).warned_at?.toISOString()).toBe(w.clock.now().toISOString());
    expect((await clockOf(id, 'first_response')).state).toBe('warning');
    expect((await queueEntry(id))?.sla).toMatchObject({ kind: 'first_response', state: 'warning' });
    const board = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>();
    expect(board.queues.find((q) => q.key === 'public_safety')?.sla).toEqual({ running: 0, warning: 1, breached: 0 });
    expect(await w.events(id, 'sla.breached')).toEqual([]);
    expect(await openAlerts()).toEqual([]);

    w.clock.set(new Date(routedAt.getTime() + FIRST_RESPONSE_MS));
    await runJobs();
    expect(await w.events(id, 'sla.breached')).toEqual([
      expect.objectContaining({ actor_type: 'system', data: { clockId: first.id, kind: 'first_response', dueAt: first.dueAt } }),
    ]);
    expect((await clockRow(first.id)).breached_at?.toISOString()).toBe(w.clock.now().toISOString());
    expect((await clockOf(id, 'first_response')).state).toBe('breached');
    const alerts = await openAlerts();
    expect(alerts).toEqual([expect.objectContaining({ kind: 'sla_breach', contactId: id, acknowledgedAt: null })]);
    expect(alerts[0]?.message).toContain('first response target missed in Public safety');
    expect(await w.events(id, 'alert.raised')).toEqual([expect.objectContaining({ data: expect.objectContaining({ kind: 'sla_breach', clockId: first.id }) })]);

    // The jobs run again (a worker died after doing the work but before marking the job done):
    // nothing new is announced.
    await withSystem(w.app.database.db, (tx) =>
      tx.updateTable('jobs').set({ state: 'pending' }).where('idempotency_key', 'in', [`${first.id}:warn`, `${first.id}:due`]).execute(),
    );
    expect(await runJobs()).toBeGreaterThanOrEqual(2);
    expect(await w.events(id, 'sla.warning')).toHaveLength(1);
    expect(await w.events(id, 'sla.breached')).toHaveLength(1);
    expect(await w.events(id, 'alert.raised')).toHaveLength(1);
    expect(await openAlerts()).toHaveLength(1);

    // A reply after the due time stops the clock as missed.
    w.clock.advance(MINUTE);
    expect((await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'Sorry for the wait. Are you safe?' })).statusCode).toBe(201);
    await runJobs();
    expect((await clockOf(id, 'first_response')).state).toBe('missed');
  });

  it('checks many clocks that fell due together: each warned, then breached and alerted, once; a stopped clock left alone', async () => {
    const missed = [await w.report(FIGHT), await w.report(FIGHT)];
    const answered = await w.report(FIGHT);
    expect((await w.post(w.handler, `/api/contacts/${answered}/replies`, { body: 'We have your report. Are you safe?' })).statusCode).toBe(201);
    await runJobs();
    const answeredFirst = await clockOf(answered, 'first_response');
    expect(answeredFirst.state).toBe('met');
    // Every check falls due at once, as for a worker that was down for a shift: they run in batches.
    // (Staff sessions have expired by then, so what follows is read from the database.)
    w.clock.advance(RESOLUTION_MS + MINUTE);
    await runJobs();
    const checksOf = async (id: string) =>
      (await w.events(id)).filter((e) => e.type === 'sla.warning' || e.type === 'sla.breached').map((e) => `${e.type}:${String(e.data.kind)}`);
    const breachAlerts = () =>
      withSystem(w.app.database.db, (tx) => tx.selectFrom('alerts').select(['contact_id', 'message']).where('force_id', '=', w.forceId).where('kind', '=', 'sla_breach').execute());
    for (const id of missed) {
      const checks = await checksOf(id);
      expect([...checks].sort()).toEqual(['sla.breached:first_response', 'sla.breached:resolution', 'sla.warning:first_response', 'sla.warning:resolution']);
      for (const kind of ['first_response', 'resolution']) expect(checks.indexOf(`sla.warning:${kind}`)).toBeLessThan(checks.indexOf(`sla.breached:${kind}`));
      expect((await w.events(id, 'alert.raised')).map((e) => e.data.kind)).toEqual(['sla_breach', 'sla_breach']);
    }
    // Its first response was met: only the resolution clock still ran.
    expect(await checksOf(answered)).toEqual(['sla.warning:resolution', 'sla.breached:resolution']);
    expect(await clockRow(answeredFirst.id)).toEqual({ warned_at: null, breached_at: null });
    const alerts = await breachAlerts();
    expect(alerts).toHaveLength(5);
    expect(alerts.find((a) => a.contact_id === answered)?.message).toContain('resolution target missed in Public safety');

    // Run again (a worker died before marking them done): nothing new.
    await withSystem(w.app.database.db, (tx) => tx.updateTable('jobs').set({ state: 'pending' }).where('force_id', '=', w.forceId).where('type', '=', 'sla.check').execute());
    expect(await runJobs()).toBeGreaterThanOrEqual(10);
    for (const id of [...missed, answered]) expect(await checksOf(id)).toHaveLength(id === answered ? 2 : 4);
    expect(await breachAlerts()).toHaveLength(5);
  });

  it('stops first response as met on a reply in time, starts next response on the next message, and stops everything on close', async () => {
    const id = await inbound('sla-1', FIGHT);
    const routedAt = w.clock.now();
    const firstDue = new Date(routedAt.getTime() + FIRST_RESPONSE_MS).toISOString();
    expect((await w.detail(id)).routing.queue?.key).toBe('public_safety');
    // The queue shows the earliest-due running clock.
    expect((await queueEntry(id))?.sla).toMatchObject({ kind: 'first_response', dueAt: firstDue, state: 'running' });

    w.clock.advance(10 * MINUTE);
    const replied = await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'Thank you. Is anyone hurt?' });
    expect(replied.statusCode, replied.body).toBe(201);
    // Not yet: a reply answers the person once the channel has taken it.
    expect((await clockOf(id, 'first_response')).state).toBe('running');
    await runJobs();
    expect(await clockOf(id, 'first_response')).toMatchObject({ state: 'met', stopReason: 'responded', stoppedAt: w.clock.now().toISOString() });
    expect((await clockOf(id, 'resolution')).state).toBe('running');
    expect((await queueEntry(id))?.sla).toMatchObject({ kind: 'resolution' });

    // A message from the person after our first response starts the next-response clock.
    w.clock.advance(5 * MINUTE);
    expect(await inbound('sla-2', 'Nobody is hurt but they are still outside')).toBe(id);
    const next = await clockOf(id, 'next_response');
    expect(next).toMatchObject({ state: 'running', startedAt: w.clock.now().toISOString() });
    expect(Date.parse(next.dueAt) - Date.parse(next.startedAt)).toBe(NEXT_RESPONSE_MS);
    expect((await queueEntry(id))?.sla).toMatchObject({ kind: 'next_response', dueAt: next.dueAt });
    // Another message while we have not answered does not start a second one.
    w.clock.advance(MINUTE);
    await inbound('sla-3', 'Are you coming?');
    expect((await clocksOf(id)).filter((k) => k.kind === 'next_response')).toHaveLength(1);

    w.clock.advance(MINUTE);
    expect((await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'Officers are on their way.' })).statusCode).toBe(201);
    await runJobs();
    expect((await clockOf(id, 'next_response')).state).toBe('met');

    // The first-response due time passes: its clock stopped, so nothing is raised.
    w.clock.set(new Date(routedAt.getTime() + FIRST_RESPONSE_MS + MINUTE));
    await w.app.runner?.runDue();
    expect(await w.events(id, 'sla.breached')).toEqual([]);

    const closed = await w.post(w.handler, `/api/contacts/${id}/close`, { outcome: 'advice_given' });
    expect(closed.statusCode, closed.body).toBe(200);
    const clocks = await clocksOf(id);
    expect(clocks.filter((k) => k.stoppedAt === null)).toEqual([]);
    expect(clocks.find((k) => k.kind === 'resolution')).toMatchObject({ state: 'met', stopReason: 'closed' });

    // Nor at the resolution due time, long after it was closed.
    w.clock.set(new Date(routedAt.getTime() + RESOLUTION_MS + MINUTE));
    await w.app.runner?.runDue();
    expect(await w.events(id, 'sla.warning')).toEqual([]);
    expect(await w.events(id, 'sla.breached')).toEqual([]);
    const alerts = await withSystem(w.app.database.db, (tx) => tx.selectFrom('alerts').select('id').where('contact_id', '=', id).execute());
    expect(alerts).toEqual([]);
  });
  it('restarts running clocks at the new priority when a later message raises it, and alerts on a new threat to life', async () => {
    const id = await inbound('raise-1', FIGHT);
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    const before = await clocksOf(id);
    expect(before.every((k) => k.priority === 3)).toBe(true);

    w.clock.advance(5 * MINUTE);
    expect(await inbound('raise-2', 'He came back and says he is going to kill me')).toBe(id);
    const detail = await w.detail(id);
    expect(detail.contact).toMatchObject({ priority: 1, isThreatToLife: true });
    // It stays with the person working it.
    expect(detail.routing.assignedTo?.id).toBe(w.handler.user.id);
    expect(await w.events(id, 'contact.unassigned')).toEqual([]);
    const old = detail.routing.clocks.filter((k) => before.some((b) => b.id === k.id));
    expect(old.map((k) => [k.kind, k.state, k.stopReason]).sort()).toEqual([
      ['first_response', 'cancelled', 'reprioritised'],
      ['resolution', 'cancelled', 'reprioritised'],
    ]);
    const fresh = detail.routing.clocks.filter((k) => k.stoppedAt === null);
    // Public safety, priority 1: two minutes to a first response, an hour to resolve.
    expect(fresh.map((k) => [k.kind, k.priority, Date.parse(k.dueAt) - Date.parse(k.startedAt)]).sort()).toEqual([
      ['first_response', 1, 2 * MINUTE],
      ['resolution', 1, 60 * MINUTE],
    ]);
    expect(await w.events(id, 'alert.raised')).toEqual([expect.objectContaining({ data: expect.objectContaining({ kind: 'threat_to_life' }) })]);
    expect((await openAlerts()).map((a) => [a.kind, a.contactId])).toEqual([['threat_to_life', id]]);

    // The old clocks' jobs find them stopped: the old due time passes without a breach.
    w.clock.advance(FIRST_RESPONSE_MS);
    await runJobs();
    const breached = await w.events(id, 'sla.breached');
    expect(breached.map((e) => e.data.clockId)).not.toContain(old.find((k) => k.kind === 'first_response')?.id);
  });

  it('puts a re-opened contact back in its queue with fresh clocks', async () => {
    const id = await inbound('reopen-1', FIGHT);
    await w.setPresence(w.handler, 'available');
    expect(await w.distribute()).toBe(1);
    expect((await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'Thanks, noted.' })).statusCode).toBe(201);
    await runJobs();
    expect((await w.post(w.handler, `/api/contacts/${id}/close`, { outcome: 'advice_given' })).statusCode).toBe(200);
    const firstLife = (await clocksOf(id)).map((k) => k.id);

    w.clock.advance(60 * MINUTE);
    expect(await inbound('reopen-2', 'They are back outside again')).toBe(id);
    const detail = await w.detail(id);
    expect(detail.contact.status).toBe('open');
    expect(detail.routing.assignedTo).toBeNull();
    expect(detail.routing.enqueuedAt).toBe(w.clock.now().toISOString());
    expect((await w.events(id, 'contact.requeued'))[0]?.data).toMatchObject({ reason: 'reopened' });
    const running = detail.routing.clocks.filter((k) => k.stoppedAt === null);
    expect(running.map((k) => k.kind).sort()).toEqual(['first_response', 'resolution']);
    expect(running.every((k) => !firstLife.includes(k.id) && k.startedAt === w.clock.now().toISOString())).toBe(true);
    // Given out again like any waiting contact.
    expect(await w.distribute()).toBe(0); // the handler's console has been quiet for an hour
    expect((await w.post(w.handler, '/api/me/heartbeat')).statusCode).toBe(204);
    expect(await w.distribute()).toBe(1);
  });
});

describe(`supervisor alerts (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  it('lists open alerts threat to life first, and records one acknowledgement with who made it', async () => {
    const fight = await w.report(FIGHT);
    w.clock.advance(FIRST_RESPONSE_MS);
    await w.app.runner?.runDue();
    const threat = await w.report(THREAT);

    const listed = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    expect(listed.map((a) => [a.kind, a.contactId])).toEqual([
      ['threat_to_life', threat],
      ['sla_breach', fight],
    ]);
    // The older alert was raised first; threat to life still leads.
    expect(Date.parse(listed[1]?.raisedAt ?? '')).toBeLessThan(Date.parse(listed[0]?.raisedAt ?? ''));
    const board = (await w.get(w.supervisor, '/api/routing/board')).json<RoutingBoard>();
    expect(board.alerts.map((a) => a.id)).toEqual(listed.map((a) => a.id));

    const alertId = listed[0]?.id ?? '';
    w.clock.advance(MINUTE);
    const acknowledged = await w.post(w.supervisor, `/api/alerts/${alertId}/acknowledge`, { note: 'Called her back; units sent' });
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    expect(acknowledged.json<{ alert: AlertView }>().alert).toMatchObject({
      id: alertId,
      acknowledgedByName: 'Sue Supervisor',
      acknowledgedAt: w.clock.now().toISOString(),
      note: 'Called her back; units sent',
    });
    expect(await w.events(threat, 'alert.acknowledged')).toEqual([
      expect.objectContaining({ actor_type: 'staff', actor_id: w.supervisor.user.id, data: { alertId, kind: 'threat_to_life', note: 'Called her back; units sent' } }),
    ]);

    const again = await w.post(w.supervisor, `/api/alerts/${alertId}/acknowledge`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.code).toBe('conflict');
    expect(await w.events(threat, 'alert.acknowledged')).toHaveLength(1);

    const after = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    expect(after.map((a) => a.contactId)).toEqual([fight]);
    // The contact still shows the alert, acknowledged and by whom.
    expect((await w.detail(threat)).routing.alerts).toEqual([expect.objectContaining({ id: alertId, acknowledgedByName: 'Sue Supervisor' })]);
  });

  it('refuses-alerts-to-anyone-but-a-supervisor', async () => {
    await w.report(THREAT);
    const [alert] = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    for (const session of [w.handler, w.desk]) {
      expect((await w.get(session, '/api/alerts')).statusCode).toBe(403);
      expect((await w.post(session, `/api/alerts/${alert?.id ?? ''}/acknowledge`, {})).statusCode).toBe(403);
    }
    const still = (await w.get(w.supervisor, '/api/alerts')).json<{ alerts: AlertView[] }>().alerts;
    expect(still).toEqual([expect.objectContaining({ id: alert?.id, acknowledgedAt: null })]);
  });

  it('answers 404 for an alert that does not exist', async () => {
    const response = await w.post(w.supervisor, '/api/alerts/00000000-0000-4000-8000-000000000000/acknowledge', {});
    expect(response.statusCode).toBe(404);
  });
});
