// Merging a duplicate loses nothing it said (decision 0061): the incident kept takes the more urgent
// grade (a regrade, so its countdown is recomputed), the capabilities the duplicate needed and a
// note with its summary; a merge into an incident whose job is done is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { controlRoomOn, dispatchKit, type Session, type ErrorBody } from './dispatch-kit.ts';

type Incident = {
  id: string;
  reference: string;
  status: string;
  grade: { code: string } | null;
  clock: { kind: string; dueAt: string } | null;
  requiredCapabilities: string[];
  notes: { body: string }[];
  mergedIntoId: string | null;
};

const MINUTE = 60_000;
const START = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);

describe(`merging keeps the duplicate's urgency (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let handler: Session;
  let dispatcher: Session;
  let supervisor: Session;

  const kit = dispatchKit(() => app);
  const { api, eventTypes } = kit;
  const createIncident = (payload: object) => kit.createIncident<Incident>(handler, { type: 'crime_violence', ...payload });
  const getIncident = (id: string) => kit.getIncident<Incident>(dispatcher, id);

  beforeAll(async () => {
    ({ app, handler, dispatcher, supervisor } = await controlRoomOn(clock));
  });
  afterAll(() => app.close());

  it('gives the incident kept the more urgent grade, its countdown, the capabilities needed and the summary', async () => {
    const kept = await createIncident({ summary: 'Shouting in the street', grade: 'scheduled', requiredCapabilities: ['first_aid_1'] });
    clock.advance(MINUTE);
    const duplicate = await createIncident({ summary: 'Man now stabbing someone', grade: 'immediate', requiredCapabilities: ['taser', 'first_aid_1'] });

    const merged = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id });
    expect(merged.status, merged.raw).toBe(200);
    const after = merged.body.incident;
    expect(after.grade?.code).toBe('immediate');
    // Recomputed as a regrade is: the immediate deploy target, from the kept incident's creation.
    expect(after.clock?.kind).toBe('deploy');
    expect(new Date(after.clock?.dueAt ?? '').getTime()).toBe(START.getTime() + 3 * MINUTE);
    expect(after.requiredCapabilities).toEqual(['first_aid_1', 'taser']);
    expect(after.notes.map((n) => n.body)).toEqual([`Merged from ${duplicate.reference}: Man now stabbing someone`]);
    expect(await eventTypes(kept.id)).toEqual(expect.arrayContaining(['incident.merged', 'incident.regraded']));
    expect((await getIncident(duplicate.id)).mergedIntoId).toBe(kept.id);
  });

  it('leaves a more urgent incident kept at its own grade, with no regrade', async () => {
    const kept = await createIncident({ summary: 'Car crash, people trapped', grade: 'immediate' });
    const duplicate = await createIncident({ summary: 'Heard a bang on the bypass', grade: 'priority' });
    const merged = await api<{ incident: Incident }>(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id });
    expect(merged.status, merged.raw).toBe(200);
    expect(merged.body.incident.grade?.code).toBe('immediate');
    expect(await eventTypes(kept.id)).not.toContain('incident.regraded');
  });

  it('refuses-merging-into-a-resolved-or-ended-incident with a reason, and changes neither', async () => {
    const done = await createIncident({ summary: 'Shop theft', grade: 'priority' });
    const unit = await api<{ unit: { id: string } }>(supervisor, 'POST', '/api/units', { callSign: 'MG01', type: 'response' });
    expect(unit.status, unit.raw).toBe(201);
    expect((await api(dispatcher, 'POST', `/api/incidents/${done.id}/dispatch`, { unitIds: [unit.body.unit.id] })).status).toBe(200);
    expect((await api(dispatcher, 'POST', `/api/incidents/${done.id}/status`, { move: 'resolve' })).status).toBe(200);
    const duplicate = await createIncident({ summary: 'Shoplifter running off', grade: 'immediate' });

    const refused = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: done.id });
    expect(refused.status, refused.raw).toBe(409);
    expect(refused.body.error.message).toMatch(/resolved/);
    expect(await getIncident(duplicate.id)).toMatchObject({ status: 'open', mergedIntoId: null });
    expect((await getIncident(done.id)).grade?.code).toBe('priority');

    const closed = await createIncident({ summary: 'Advice given', grade: 'scheduled' });
    expect((await api(dispatcher, 'POST', `/api/incidents/${closed.id}/status`, { move: 'resolve_without_deployment', closingCode: 'advice' })).status).toBe(200);
    const ended = await api<ErrorBody>(dispatcher, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: closed.id });
    expect(ended.status).toBe(409);
    expect(ended.body.error.message).toMatch(/has ended/);
  });

  it("refuses-a-merge-by-a-role-without-incidents-write-or-of-another-force's-incidents", async () => {
    const kept = await createIncident({ summary: 'Noise', grade: 'scheduled' });
    const duplicate = await createIncident({ summary: 'Screaming', grade: 'immediate' });
    const investigator = await signIn(app, 'investigator@demo.police.uk');
    expect((await api(investigator, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id })).status).toBe(403);
    const other = await createOtherForce(app, ['dispatcher']);
    const outsider = await signIn(app, other.emails.dispatcher ?? '', 'other-password');
    expect((await api(outsider, 'POST', `/api/incidents/${duplicate.id}/merge`, { intoIncidentId: kept.id })).status).toBe(404);
    expect((await getIncident(kept.id)).grade?.code).toBe('scheduled');
  });
});
