// A dispatcher corrects an incident as information arrives: its type (from the force's list), its
// summary and the capabilities a unit needs (each one some unit of the force has). One event per
// change, with what each field was and is; the grade and its countdown are left alone; an incident
// that has ended is not changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { LiveMessage } from '../../src/platform/realtime/live.ts';
import { dispatchKit, type Session } from './dispatch-kit.ts';

type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type Incident = {
  id: string;
  type: string;
  summary: string;
  status: string;
  grade: { code: string } | null;
  clock: { kind: string; dueAt: string } | null;
  requiredCapabilities: string[];
  updatedAt: string;
  history: { type: string; actor: string; summary: string }[];
};

const MINUTE = 60_000;
const START = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);

describe(`correcting an incident as information arrives (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let investigator: Session;
  const heard: LiveMessage[] = [];

  const kit = dispatchKit(() => app);
  const { api, eventTypes } = kit;
  const createIncident = (payload: object = {}) => kit.createIncident<Incident>(handler, { type: 'concern_for_safety', summary: 'Woman heard screaming', grade: 'immediate', ...payload });
  const change = (incidentId: string, payload: unknown, session: Session = dispatcher) => api<{ incident: Incident } & ErrorBody>(session, 'PATCH', `/api/incidents/${incidentId}`, payload as object);
  const eventsOf = (incidentId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['type', 'data']).where('subject_id', '=', incidentId).orderBy('seq').execute());

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
  });
  afterAll(() => app.close());

  it('changes type, summary and capabilities in one event with before and after, leaving the grade and countdown alone', async () => {
    const incident = await createIncident();
    clock.advance(MINUTE);
    heard.length = 0;
    const changed = await change(incident.id, { type: 'crime_violence', summary: 'Man with a knife threatening a woman', requiredCapabilities: ['firearms', 'taser'] });
    expect(changed.status, changed.raw).toBe(200);
    expect(changed.body.incident).toMatchObject({ type: 'crime_violence', summary: 'Man with a knife threatening a woman', requiredCapabilities: ['firearms', 'taser'], grade: { code: 'immediate' } });
    // Grading is its own route: the countdown started at creation runs on unchanged.
    expect(changed.body.incident.clock).toEqual(incident.clock);

    const events = await eventsOf(incident.id);
    expect(events.map((e) => e.type)).toEqual(['incident.created', 'incident.clock_started', 'incident.updated']);
    expect(events.at(-1)?.data).toEqual({
      changes: {
        type: { from: 'concern_for_safety', to: 'crime_violence' },
        summary: { from: 'Woman heard screaming', to: 'Man with a knife threatening a woman' },
        requiredCapabilities: { from: [], to: ['firearms', 'taser'] },
      },
    });
    // Consoles hear that the incident changed, as for every other event of an incident.
    expect(heard).toContainEqual({ type: 'incidents.changed', incidentId: incident.id });

    // The incident's history says what changed and who changed it.
    const shown = await api<{ incident: Incident }>(dispatcher, 'GET', `/api/incidents/${incident.id}`);
    const last = shown.body.incident.history.at(-1);
    expect(last).toMatchObject({ type: 'incident.updated', actor: 'Dan Dispatch' });
    expect(last?.summary).toBe('Type changed from Concern for safety to Violence against the person; summary changed; needs changed from nothing to firearms, taser');

    // The EIDO export names the type it is now.
    const eido = await api<{ incidentComponent: { incidentTypeInternalCode: string; incidentTypeInternalText: string } }>(dispatcher, 'GET', `/api/incidents/${incident.id}/eido`);
    expect(eido.status, eido.raw).toBe(200);
    expect(eido.body.incidentComponent).toMatchObject({ incidentTypeInternalCode: 'crime_violence', incidentTypeInternalText: 'Violence against the person' });
  });

  it('records only the fields that changed, and answers a change to what it already is with no event', async () => {
    const incident = await createIncident({ requiredCapabilities: ['taser'] });
    const one = await change(incident.id, { type: 'concern_for_safety', summary: 'Woman heard screaming', requiredCapabilities: ['dog', 'taser', 'dog'] });
    expect(one.status, one.raw).toBe(200);
    expect(one.body.incident.requiredCapabilities).toEqual(['dog', 'taser']);
    expect((await eventsOf(incident.id)).at(-1)?.data).toEqual({ changes: { requiredCapabilities: { from: ['taser'], to: ['dog', 'taser'] } } });

    const before = await eventTypes(incident.id);
    // The same values again (a retried request, say) change nothing and record nothing.
    const again = await change(incident.id, { type: 'concern_for_safety', requiredCapabilities: ['taser', 'dog'] });
    expect(again.status, again.raw).toBe(200);
    expect(again.body.incident.updatedAt).toBe(one.body.incident.updatedAt);
    expect(await eventTypes(incident.id)).toEqual(before);
  });

  it('refuses a type not on the force list and a capability no unit of the force has, naming it and the known ones, on creation too', async () => {
    const incident = await createIncident();
    const type = await change(incident.id, { type: 'crime_unknown' });
    expect(type.status).toBe(400);
    expect(type.body.error.fields).toMatchObject([{ path: 'type', message: "must be one of the force's incident types" }]);

    const capability = await change(incident.id, { requiredCapabilities: ['firearm', 'taser'] });
    expect(capability.status).toBe(400);
    expect(capability.body.error.fields?.[0]?.path).toBe('requiredCapabilities');
    expect(capability.body.error.message).toMatch(/no unit of this force has firearm\b/);
    expect(capability.body.error.message).toMatch(/dog, firearms, first_aid_1, first_aid_2, first_aid_3, pursuit, taser/);

    const created = await api<ErrorBody>(handler, 'POST', '/api/incidents', { type: 'crime_violence', summary: 'Armed man', requiredCapabilities: ['firearm'] });
    expect(created.status).toBe(400);
    expect(created.body.error.message).toMatch(/no unit of this force has firearm\b/);

    expect(await eventTypes(incident.id)).not.toContain('incident.updated');
  });

  it('refuses to change an incident that has ended, with the reason', async () => {
    const incident = await createIncident();
    const cancelled = await api(dispatcher, 'POST', `/api/incidents/${incident.id}/status`, { move: 'cancel', closingCode: 'hoax' });
    expect(cancelled.status, cancelled.raw).toBe(200);
    const refused = await change(incident.id, { summary: 'Too late' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/this incident has ended \(cancelled\)/);
    expect(await eventTypes(incident.id)).not.toContain('incident.updated');
  });

  it("refuses another force's incident (404), a role without incidents:write (403) and a malformed body (400)", async () => {
    const incident = await createIncident();
    const other = await createOtherForce(app, ['dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    expect((await change(incident.id, { summary: 'Not theirs' }, outsider)).status).toBe(404);
    expect((await change(incident.id, { summary: 'Not theirs' }, investigator)).status).toBe(403);

    for (const body of [{}, { summary: '' }, { type: 'Crime Violence' }, { requiredCapabilities: 'firearms' }, { colour: 'red' }, { grade: 'priority' }]) {
      const bad = await change(incident.id, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    expect((await change('not-an-id', { summary: 'x' })).status).toBe(400);
    expect(await eventTypes(incident.id)).not.toContain('incident.updated');
  });
});
