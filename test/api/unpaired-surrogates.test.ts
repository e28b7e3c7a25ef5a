import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';

/**
 * A lone UTF-16 surrogate is valid JSON (`"\ud800"`) but nothing PostgreSQL will store: `jsonb`
 * refuses the escape. Staff requests holding one are refused up front with the field named,
 * as a NUL is, where they reached the event log or a job's payload and failed there with a 500.
 */

type Session = Awaited<ReturnType<typeof signIn>>;
type ErrorBody = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
type InjectResponse = Awaited<ReturnType<TestApp['inject']>>;

const LONE_HIGH = 'x\ud800';
const LONE_LOW = '\udc00y';

function expectRefusedField(response: InjectResponse, path: string): void {
  expect(response.statusCode, response.body).toBe(400);
  const body = response.json<ErrorBody>();
  expect(body.error.code).toBe('validation_failed');
  expect(body.error.fields?.map((f) => f.path)).toEqual([path]);
  expect(body.error.fields?.[0]?.message).toMatch(/unpaired surrogate/);
}

describe(`refuses-unpaired-surrogates-in-staff-json (${ENGINE})`, () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let admin: Session;
  let caseId: string;

  const send = (session: Session, method: 'POST' | 'PUT', url: string, payload: object) => app.inject({ method, url, headers: session.headers, payload });
  const timelineLength = async () =>
    (await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers })).json<{ case: { timeline: unknown[] } }>().case.timeline.length;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    const created = await send(investigator, 'POST', '/api/cases', { crimeType: 'THF-BRE', summary: 'Shed broken into', victims: [{ name: 'Sam Victim' }] });
    expect(created.statusCode, created.body).toBe(201);
    caseId = created.json<{ case: { id: string } }>().case.id;
  });
  afterAll(() => app.close());

  it('refuses-a-milestone-note-place-or-team-holding-one-and-records-nothing', async () => {
    const before = await timelineLength();
    expectRefusedField(await send(investigator, 'POST', `/api/cases/${caseId}/milestones`, { type: 'investigate', note: LONE_HIGH }), 'body.note');
    expectRefusedField(await send(investigator, 'POST', `/api/cases/${caseId}/milestones`, { type: 'allocate', team: LONE_LOW }), 'body.team');
    const appointment = { type: 'appointment', at: '2030-01-02T10:00:00Z', place: `Station ${LONE_HIGH}` };
    expectRefusedField(await send(investigator, 'POST', `/api/cases/${caseId}/milestones`, appointment), 'body.place');
    expect(await timelineLength()).toBe(before);
  });

  it('refuses-a-people-link-reason-holding-one', async () => {
    const first = await submitPublicReport(app.deps, app.demoForceId, { submissionId: 'surrogate-a', whatHappened: 'A', where: 'Here', when: 'Now', name: 'Jo', email: 'jo.a@example.org' });
    const second = await submitPublicReport(app.deps, app.demoForceId, { submissionId: 'surrogate-b', whatHappened: 'B', where: 'Here', when: 'Now', name: 'Jo', email: 'jo.b@example.org' });
    const personOf = async (contactId: string) =>
      (await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers })).json<{ person: { id: string } }>().person.id;
    const linksOf = async (personId: string) =>
      (await app.inject({ method: 'GET', url: `/api/people/${personId}`, headers: handler.headers })).json<{ person: { links: unknown[] } }>().person.links;
    const [a, b] = [await personOf(first.contactId), await personOf(second.contactId)];
    expectRefusedField(await send(handler, 'POST', `/api/people/${a}/links`, { personId: b, reason: `Same ${LONE_HIGH} caller` }), 'body.reason');
    expect(await linksOf(a)).toEqual([]);
  });

  it('refuses-a-closing-code-label-holding-one-and-keeps-the-list', async () => {
    const before = (await app.inject({ method: 'GET', url: '/api/closing-codes', headers: admin.headers })).body;
    const entries = [{ code: 'nfa', label: 'No further action' }, { code: 'odd', label: LONE_LOW }];
    expectRefusedField(await send(admin, 'PUT', '/api/closing-codes', { entries }), 'body.entries.1.label');
    expect((await app.inject({ method: 'GET', url: '/api/closing-codes', headers: admin.headers })).body).toBe(before);
  });

  it('refuses-one-in-an-object-key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/milestones`,
      headers: { ...investigator.headers, 'content-type': 'application/json' },
      payload: '{"type":"investigate","\\ud800":"x"}',
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<ErrorBody>().error.code).toBe('validation_failed');
  });

  it('accepts-a-paired-surrogate-an-emoji', async () => {
    const response = await send(investigator, 'POST', `/api/cases/${caseId}/milestones`, { type: 'investigate', note: 'Door forced 🔪 and ŵ' });
    expect(response.statusCode, response.body).toBe(200);
    const timeline = (await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers })).json<{ case: { timeline: { note: string | null }[] } }>().case.timeline;
    expect(timeline.map((entry) => entry.note)).toContain('Door forced 🔪 and ŵ');
  });
});
