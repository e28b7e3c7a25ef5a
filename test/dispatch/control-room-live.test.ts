// The control room's live messages: what consoles hear when incidents and units change, once per
// record per transaction, only after commit, never on rollback, and never in another force.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { permissionToHear } from '../../src/platform/realtime/live.routes.ts';
import { dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';

type Incident = { id: string; reference: string; status: string; clocks: { id: string; kind: string }[] };
type Heard = { type: string; incidentId?: string; unitId?: string; contactId?: string; alertId?: string; kind?: string };

const MINUTE = 60_000;
const START = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
const PLACE = { lat: 57.478, lon: -4.224 };
const CONTROL_ROOM = new Set(['incidents.changed', 'units.changed', 'alert.raised', 'alert.acknowledged']);

describe(`live messages of the control room (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let dispatcher: Session;
  let supervisor: Session;
  let handler: Session;
  let otherForce: Awaited<ReturnType<typeof createOtherForce>>;
  let base: string;
  let units = 0;
  const heard: LiveMessage[] = [];
  const otherHeard: LiveMessage[] = [];
  // What a console that refetched on hearing of an incident would have been shown.
  const readOnHearing: Promise<string>[] = [];

  const kit = dispatchKit(() => app);
  const { api, runJobs, eventTypes } = kit;
  const controlRoom = (messages: readonly LiveMessage[]) => messages.filter((m) => CONTROL_ROOM.has(m.type));
  const addUnit = async () => {
    units += 1;
    return (await kit.addUnit(supervisor, { callSign: `LV${100 + units}`, type: 'response' })).id;
  };
  const createIncident = (session: Session = handler) => kit.createIncident<Incident>(session, { type: 'crime_violence', summary: 'Fight in the street', grade: 'immediate', ...PLACE });

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    otherForce = await createOtherForce(app, ['dispatcher', 'supervisor']);
    app.hub.subscribe(app.demoForceId, (message) => {
      heard.push(message);
      if (message.type === 'incidents.changed') {
        readOnHearing.push(app.inject({ method: 'GET', url: `/api/incidents/${message.incidentId}`, headers: dispatcher.headers }).then((r) => r.json<{ incident: Incident }>().incident.status));
      }
    });
    app.hub.subscribe(otherForce.forceId, (message) => otherHeard.push(message));
    base = await listenForSockets(app);
  });
  afterAll(() => app.close());

  it("tells consoles once of the incident and once of the unit a dispatch moved, after it committed, and nothing to another force", async () => {
    const unitId = await addUnit();
    const incident = await createIncident();
    await Promise.all(readOnHearing.splice(0));
    heard.length = 0;
    otherHeard.length = 0;

    const dispatched = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [unitId] });
    expect(dispatched.status, dispatched.raw).toBe(200);
    // unit.dispatched, incident.dispatched, the deploy clock stopped and the arrival one started: one message each.
    expect(controlRoom(heard)).toEqual(
      expect.arrayContaining([
        { type: 'incidents.changed', incidentId: incident.id },
        { type: 'units.changed', unitId },
      ]),
    );
    expect(controlRoom(heard)).toHaveLength(2);
    // A console refetching on the message is shown the dispatch: it was sent after the commit.
    await expect(Promise.all(readOnHearing.splice(0))).resolves.toEqual(['dispatched']);
    expect(otherHeard).toEqual([]);
  });

  it('tells consoles nothing of a dispatch that rolled back, though a unit had moved inside it', async () => {
    const [first, second] = [await addUnit(), await addUnit()];
    // The dispatch moves units in id order: the free one first, then the one already taken refuses.
    const [free, taken] = first < second ? [first, second] : [second, first];
    const elsewhere = await createIncident();
    expect((await api(dispatcher, 'POST', `/api/incidents/${elsewhere.id}/dispatch`, { unitIds: [taken] })).status).toBe(200);
    const incident = await createIncident();
    await Promise.all(readOnHearing.splice(0));
    heard.length = 0;

    const refused = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [free, taken] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/is dispatched to another incident; clear it first/);
    expect(heard).toEqual([]);
    expect(await eventTypes(free)).toEqual(['unit.created']);
    expect((await api<{ unit: { status: string } }>(dispatcher, 'GET', `/api/units/${free}`)).body.unit.status).toBe('available');
  });

  it("never sends another force's console the control room's messages, over a real socket", async () => {
    const ours = await openLiveSocket<Heard>(base, dispatcher);
    const theirs = await openLiveSocket<Heard>(base, await signIn(app, otherForce.emails.dispatcher ?? '', 'other-password'));
    try {
      const unitId = await addUnit();
      const incident = await createIncident();
      expect((await api(dispatcher, 'POST', `/api/incidents/${incident.id}/dispatch`, { unitIds: [unitId] })).status).toBe(200);
      await expect.poll(() => ours.messages.some((m) => m.type === 'units.changed' && m.unitId === unitId), { timeout: 20_000 }).toBe(true);
      expect(ours.messages.filter((m) => m.type === 'incidents.changed' && m.incidentId === incident.id).length).toBeGreaterThanOrEqual(1);

      // Their own incident reaches them; by then ours would have, had it been sent to them.
      const outsider = await signIn(app, otherForce.emails.supervisor ?? '', 'other-password');
      const theirIncident = await createIncident(outsider);
      await expect.poll(() => theirs.messages.some((m) => m.type === 'incidents.changed' && m.incidentId === theirIncident.id), { timeout: 20_000 }).toBe(true);
      expect(theirs.messages.filter((m) => m.incidentId === incident.id || m.unitId === unitId)).toEqual([]);
      expect(ours.messages.filter((m) => m.incidentId === theirIncident.id)).toEqual([]);
    } finally {
      ours.close();
      theirs.close();
    }
  });

  it("tells the board of the warning, pushes the breach alert to supervisors, and acknowledging it is the incident's event", async () => {
    const incident = await createIncident();
    await Promise.all(readOnHearing.splice(0));
    heard.length = 0;
    clock.advance(2 * MINUTE);
    await runJobs();
    expect(controlRoom(heard).filter((m) => m.type === 'incidents.changed' && m.incidentId === incident.id)).toHaveLength(1);

    heard.length = 0;
    clock.advance(MINUTE);
    await runJobs();
    const raised = controlRoom(heard).find((m) => m.type === 'alert.raised' && 'incidentId' in m && m.incidentId === incident.id);
    expect(raised).toMatchObject({ type: 'alert.raised', kind: 'response_breach', incidentId: incident.id });
    expect(controlRoom(heard)).toContainEqual({ type: 'incidents.changed', incidentId: incident.id });
    const alertId = raised?.type === 'alert.raised' ? raised.alertId : '';

    // The supervisor's list names the incident, the grade and the countdown.
    const listed = await api<{ alerts: { id: string; kind: string; incidentReference?: string; grade?: { code: string; label: string }; clockKind?: string }[] }>(supervisor, 'GET', '/api/alerts');
    expect(listed.body.alerts.find((a) => a.id === alertId)).toMatchObject({ kind: 'response_breach', incidentReference: incident.reference, grade: { code: 'immediate', label: 'Immediate' }, clockKind: 'deploy' });
    expect((await api(dispatcher, 'GET', '/api/alerts')).status).toBe(403);

    // Another force's supervisor cannot see or acknowledge it.
    const outsider = await signIn(app, otherForce.emails.supervisor ?? '', 'other-password');
    expect((await api<{ alerts: { id: string }[] }>(outsider, 'GET', '/api/alerts')).body.alerts.map((a) => a.id)).not.toContain(alertId);
    expect((await api(outsider, 'POST', `/api/alerts/${alertId}/acknowledge`, {})).status).toBe(404);

    heard.length = 0;
    const acknowledged = await api<{ alert: { acknowledgedByName: string | null; note: string | null } }>(supervisor, 'POST', `/api/alerts/${alertId}/acknowledge`, { note: 'Seen; asking the dispatcher why' });
    expect(acknowledged.status, acknowledged.raw).toBe(200);
    expect(acknowledged.body.alert).toMatchObject({ acknowledgedByName: 'Sue Supervisor', note: 'Seen; asking the dispatcher why' });
    expect(controlRoom(heard)).toEqual([
      { type: 'incidents.changed', incidentId: incident.id },
      { type: 'alert.acknowledged', alertId },
    ]);
    expect(await eventTypes(incident.id)).toContain('incident.breach_alert_acknowledged');
    expect((await api<ErrorBody>(supervisor, 'POST', `/api/alerts/${alertId}/acknowledge`, {})).status).toBe(409);
    const after = await api<{ alerts: { id: string }[] }>(supervisor, 'GET', '/api/alerts');
    expect(after.body.alerts.map((a) => a.id)).not.toContain(alertId);

    // The reason is still owed; recording it closes no alert a second time.
    heard.length = 0;
    const clockId = incident.clocks[0]?.id ?? '';
    const reason = await api(supervisor, 'POST', `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`, { reasonCode: 'no_unit_available' });
    expect(reason.status, reason.raw).toBe(200);
    expect(controlRoom(heard)).toEqual([{ type: 'incidents.changed', incidentId: incident.id }]);
  });

  it('closes the breach alert live when the reason is recorded before anyone acknowledged it', async () => {
    const incident = await createIncident();
    clock.advance(4 * MINUTE);
    await runJobs();
    const raised = controlRoom(heard).find((m) => m.type === 'alert.raised' && 'incidentId' in m && m.incidentId === incident.id);
    const alertId = raised?.type === 'alert.raised' ? raised.alertId : '';
    expect(alertId).not.toBe('');
    heard.length = 0;
    const clockId = incident.clocks[0]?.id ?? '';
    expect((await api(dispatcher, 'POST', `/api/incidents/${incident.id}/clocks/${clockId}/breach-reason`, { reasonCode: 'other', text: 'Road closed' })).status).toBe(200);
    expect(controlRoom(heard)).toEqual([
      { type: 'incidents.changed', incidentId: incident.id },
      { type: 'alert.acknowledged', alertId },
    ]);
    const listed = await api<{ alerts: { id: string }[] }>(supervisor, 'GET', '/api/alerts');
    expect(listed.body.alerts.map((a) => a.id)).not.toContain(alertId);
    // Closed by its reason, it is acknowledged: a supervisor's acknowledgement after it is refused (decision 0125).
    heard.length = 0;
    const late = await api<ErrorBody>(supervisor, 'POST', `/api/alerts/${alertId}/acknowledge`, {});
    expect([late.status, late.body.error]).toEqual([409, { code: 'conflict', message: 'this alert has already been acknowledged' }]);
    expect(controlRoom(heard)).toEqual([]);
    expect((await eventTypes(incident.id)).filter((type) => type === 'incident.breach_alert_acknowledged')).toEqual([]);
  });

  it("stamps every response with the server's clock, which the console's countdowns count on", async () => {
    clock.advance(17 * 1000);
    const response = await app.inject({ method: 'GET', url: '/api/incidents', headers: dispatcher.headers });
    expect(response.statusCode).toBe(200);
    expect(response.headers.date).toBe(clock.now().toUTCString());
  });

  it("sends incidents' and units' messages only to roles that may see incidents; contacts' messages to every console", () => {
    expect(permissionToHear({ type: 'incidents.changed', incidentId: 'i' })).toBe('incidents:read');
    expect(permissionToHear({ type: 'units.changed', unitId: 'u' })).toBe('incidents:read');
    expect(permissionToHear({ type: 'alert.raised', alertId: 'a', kind: 'response_breach', incidentId: 'i' })).toBe('incidents:read');
    expect(permissionToHear({ type: 'alert.raised', alertId: 'a', kind: 'threat_to_life', contactId: 'c' })).toBeNull();
    expect(permissionToHear({ type: 'queue.changed', contactId: 'c' })).toBeNull();
  });
});
