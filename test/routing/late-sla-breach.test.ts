import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINE, signIn } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { AlertView } from '../../src/capabilities/queue/alerts.service.ts';
import type { SlaClockView } from '../../src/capabilities/queue/sla.service.ts';
import { FIGHT, MINUTE, createRoutingWorld, openRoutingApp, type RoutingApp, type RoutingWorld } from './routing-kit.ts';

// A contact's target missed while its due check was behind (the worker down) is breached as the
// clock stops, as the check would have: one `sla.breached`, the supervisors' alert, and the
// timeline saying when it was due. The check that runs later adds nothing.

// Public safety, priority 3 (a fight reported online): first response in 30 minutes, resolution in 720.
const FIRST_RESPONSE_MS = 30 * MINUTE;
const RESOLUTION_MS = 720 * MINUTE;

let shared: RoutingApp;
beforeAll(async () => {
  shared = await openRoutingApp();
});
afterAll(() => shared.close());

describe(`a contact's target missed before its check ran (${ENGINE})`, () => {
  let w: RoutingWorld;
  beforeEach(async () => {
    w = await createRoutingWorld(shared);
  });
  afterEach(() => w.close());

  const clockOf = async (contactId: string, kind: SlaClockView['kind'], as = w.supervisor) => {
    const clock = (await w.detail(contactId, as)).routing.clocks.find((k) => k.kind === kind);
    if (!clock) throw new Error(`no ${kind} clock`);
    return clock;
  };
  const breachedAt = async (clockId: string) =>
    (await withSystem(w.app.database.db, (tx) => tx.selectFrom('sla_clocks').select('breached_at').where('id', '=', clockId).executeTakeFirstOrThrow())).breached_at;
  const breachAlerts = async (contactId: string, as = w.supervisor) =>
    (await w.detail(contactId, as)).routing.alerts.filter((alert: AlertView) => alert.kind === 'sla_breach');
  const runChecks = async () => {
    if (!w.app.runner) throw new Error('no job runner');
    await w.app.runner.runDue();
  };

  it('breaches a first response answered after its due time, before the reply, with its alert; the check that follows adds nothing', async () => {
    const id = await w.report(FIGHT);
    const first = await clockOf(id, 'first_response');
    // No check runs: the worker is down. The reply comes five minutes after the due time.
    w.clock.set(new Date(Date.parse(first.dueAt) + 5 * MINUTE));
    const replied = await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'Sorry for the wait. Are you safe?' });
    expect(replied.statusCode, replied.body).toBe(201);

    const types = (await w.events(id)).map((e) => e.type);
    expect(types.slice(types.indexOf('sla.breached'))).toEqual(['sla.breached', 'alert.raised', 'contact.replied']);
    expect(await w.events(id, 'sla.breached')).toEqual([
      expect.objectContaining({ actor_type: 'system', data: { clockId: first.id, kind: 'first_response', dueAt: first.dueAt } }),
    ]);
    expect((await breachedAt(first.id))?.toISOString()).toBe(w.clock.now().toISOString());
    expect(await clockOf(id, 'first_response')).toMatchObject({ state: 'missed', stopReason: 'responded' });
    const alerts = await breachAlerts(id);
    expect(alerts).toEqual([expect.objectContaining({ contactId: id, acknowledgedAt: null })]);
    expect(alerts[0]?.message).toContain('first response target missed in Public safety');
    expect(await w.events(id, 'alert.raised')).toEqual([expect.objectContaining({ data: expect.objectContaining({ kind: 'sla_breach', clockId: first.id }) })]);
    // The timeline says when it was due (09:30 in the UK on a March morning), not when it was found.
    const line = (await w.detail(id)).timeline.find((entry) => entry.type === 'sla.breached');
    expect(line?.summary).toBe('first response target missed (due 02 Mar 2026, 09:30)');
    // The alert says when the target was due and when its clock stopped, as well as when supervisors
    // heard of it, on the contact and in the supervisors' list alike.
    const repliedAt = w.clock.now().toISOString();
    const carries = { dueAt: first.dueAt, clockStoppedAt: repliedAt, raisedAt: repliedAt };
    expect(alerts[0]).toMatchObject(carries);
    const listed = await w.app.inject({ method: 'GET', url: '/api/alerts', headers: w.supervisor.headers });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json<{ alerts: AlertView[] }>().alerts.filter((alert) => alert.contactId === id)).toEqual([expect.objectContaining({ kind: 'sla_breach', ...carries })]);

    // The worker catches up: the due check finds the clock stopped and breached.
    await runChecks();
    expect(await w.events(id, 'sla.breached')).toHaveLength(1);
    expect(await breachAlerts(id)).toHaveLength(1);
  });

  it('breaches every clock a close stops past its due time, and none stopped in time', async () => {
    const id = await w.report(FIGHT);
    const first = await clockOf(id, 'first_response');
    const resolution = await clockOf(id, 'resolution');
    // Answered in time (the first-response check has not run either: it has nothing to find).
    w.clock.advance(FIRST_RESPONSE_MS - MINUTE);
    expect((await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'We have your report.' })).statusCode).toBe(201);
    // Closed long after the resolution target, with no check run all the while.
    w.clock.set(new Date(Date.parse(resolution.startedAt) + RESOLUTION_MS + 10 * MINUTE));
    // Sessions have lapsed by then: the handler and the supervisor sign in again (from an address of their own).
    const handler = await signIn(w.app, w.emailOf('handler@demo.police.uk'), undefined, '10.9.9.9');
    const supervisor = await signIn(w.app, w.emailOf('supervisor@demo.police.uk'), undefined, '10.9.9.9');
    const closed = await w.post(handler, `/api/contacts/${id}/close`, { outcome: 'advice_given' });
    expect(closed.statusCode, closed.body).toBe(200);

    expect((await w.events(id, 'sla.breached')).map((e) => e.data)).toEqual([{ clockId: resolution.id, kind: 'resolution', dueAt: resolution.dueAt }]);
    const types = (await w.events(id)).map((e) => e.type);
    expect(types.slice(types.indexOf('sla.breached'))).toEqual(['sla.breached', 'alert.raised', 'contact.closed']);
    expect(await clockOf(id, 'first_response', supervisor)).toMatchObject({ state: 'met' });
    expect(await breachedAt(first.id)).toBeNull();
    expect((await breachAlerts(id, supervisor)).map((alert) => alert.message)).toEqual([expect.stringContaining('resolution target missed')]);

    await runChecks();
    expect(await w.events(id, 'sla.breached')).toHaveLength(1);
    expect(await breachAlerts(id, supervisor)).toHaveLength(1);
  });

  it('breaches in its old queue a first response missed before the contact was escalated, and starts the control room\'s clocks clean', async () => {
    const id = await w.report(FIGHT);
    const first = await clockOf(id, 'first_response');
    w.clock.set(new Date(Date.parse(first.dueAt) + 2 * MINUTE));
    const escalated = await w.post(w.desk, `/api/contacts/${id}/escalate`, { reason: 'THRIVE found a risk to life' });
    expect(escalated.statusCode, escalated.body).toBe(200);

    expect((await w.events(id, 'sla.breached')).map((e) => e.data)).toEqual([{ clockId: first.id, kind: 'first_response', dueAt: first.dueAt }]);
    const types = (await w.events(id)).map((e) => e.type);
    expect(types.slice(types.indexOf('sla.breached'))).toEqual(['sla.breached', 'alert.raised', 'contact.escalated']);
    const clocks = (await w.detail(id)).routing.clocks;
    expect(clocks.filter((k) => k.stoppedAt === null).map((k) => k.state)).toEqual(['running', 'running']);
    expect((await breachAlerts(id)).map((alert) => alert.message)).toEqual([expect.stringContaining('first response target missed in Public safety')]);
  });

  it('does not breach again at the stop a clock its check already breached', async () => {
    const id = await w.report(FIGHT);
    const first = await clockOf(id, 'first_response');
    w.clock.set(new Date(Date.parse(first.dueAt)));
    await runChecks();
    const foundAt = w.clock.now().toISOString();
    // Breached by its check while it runs: due and raised at once, its clock not stopped.
    expect(await breachAlerts(id)).toEqual([expect.objectContaining({ dueAt: first.dueAt, raisedAt: foundAt, clockStoppedAt: null })]);
    // A warning is said with the due time too: a check that was behind gives it late.
    expect((await w.detail(id)).timeline.find((entry) => entry.type === 'sla.warning')?.summary).toBe('first response target nearly due (02 Mar 2026, 09:30)');
    w.clock.advance(5 * MINUTE);
    expect((await w.post(w.handler, `/api/contacts/${id}/replies`, { body: 'Sorry for the wait.' })).statusCode).toBe(201);
    expect(await w.events(id, 'sla.breached')).toHaveLength(1);
    expect((await breachedAt(first.id))?.toISOString()).toBe(foundAt);
    expect(await breachAlerts(id)).toEqual([expect.objectContaining({ dueAt: first.dueAt, raisedAt: foundAt, clockStoppedAt: w.clock.now().toISOString() })]);
  });
});
