import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { CRIME_TYPES, OUTCOME_TYPES } from '../../src/capabilities/cases/case-catalogues.repository.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type CaseBody = {
  id: string;
  reference: string;
  status: string;
  suspect: string;
  charged: boolean;
  officerInCase: string | null;
  team: string | null;
  outcomeCode: string | null;
  closedReason: string | null;
  crimeType: string | null;
  people: { role: string; name: string; enhancedRights: boolean }[];
  timeline: { type: string; note: string | null; details: Record<string, string> }[];
};

describe('cases: recorded, moved through their milestones, each one an event', () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let otherInvestigator: Session;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    const other = await createOtherForce(app, ['investigator']);
    otherInvestigator = await signIn(app, other.emails.investigator!, 'other-password');
  });
  afterAll(() => app.close());

  const post = (session: Session, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: session.headers, payload: payload as object });
  const get = (session: Session, url: string) => app.inject({ method: 'GET', url, headers: session.headers });
  const milestone = async (caseId: string, payload: Record<string, unknown>, status = 200) => {
    const response = await post(investigator, `/api/cases/${caseId}/milestones`, payload);
    expect(response.statusCode, response.body).toBe(status);
    return response;
  };
  const newCase = async () => {
    const response = await post(investigator, '/api/cases', {
      crimeType: 'THF-BRE',
      summary: 'Back door forced overnight; laptop and jewellery taken',
      victims: [{ name: 'Alex Victim', enhancedRights: true }],
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ case: CaseBody }>().case;
  };

  it('seeds every force with the Home Office crime and outcome types', async () => {
    const response = await get(investigator, '/api/cases/catalogues');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ crimeTypes: { code: string; labelCy: string }[]; outcomeTypes: { code: string }[] }>();
    expect(body.crimeTypes.map((t) => t.code)).toEqual(CRIME_TYPES.map((t) => t.code));
    expect(body.outcomeTypes.map((t) => t.code)).toEqual(OUTCOME_TYPES.map((t) => t.code));
    expect(body.crimeTypes.every((t) => t.labelCy.length > 0)).toBe(true);
    const other = await get(otherInvestigator, '/api/cases/catalogues');
    expect(other.json<{ crimeTypes: unknown[] }>().crimeTypes).toHaveLength(CRIME_TYPES.length);
  });

  it('takes a burglary from recorded to charged, to court and to closed, then reopens it; the timeline says who did what', async () => {
    const created = await newCase();
    expect(created).toMatchObject({ status: 'recorded', suspect: 'none', charged: false, crimeType: 'THF-BRE' });
    expect(created.people).toEqual([{ id: expect.any(String), role: 'victim', name: 'Alex Victim', enhancedRights: true, personId: null, email: null, phone: null, postalAddress: null, smsOptedOutAt: null, smsOptOutSource: null }]);

    await milestone(created.id, { type: 'allocate', officerInCase: investigator.user.id, team: 'CID North' });
    const mine = await get(investigator, '/api/cases?which=mine');
    expect(mine.json<{ cases: { id: string; status: string }[] }>().cases).toContainEqual(expect.objectContaining({ id: created.id, status: 'allocated' }));

    // A charge needs a suspect: the refusal says what to do instead.
    const refused = await milestone(created.id, { type: 'charged' }, 409);
    expect(refused.json<{ error: { message: string } }>().error.message).toContain('record the suspect as identified');

    await milestone(created.id, { type: 'suspect_arrested', note: 'Arrested at his home address' });
    await milestone(created.id, { type: 'bailed' });
    const charged = (await milestone(created.id, { type: 'charged' })).json<{ case: CaseBody }>().case;
    expect(charged).toMatchObject({ status: 'charged', suspect: 'arrested', charged: true });
    // A hearing two months ahead: a court date is for a time to come.
    const hearingAt = new Date(Date.now() + 60 * 86_400_000).toISOString();
    await milestone(created.id, { type: 'court_date_set', at: hearingAt, place: 'Demoton Magistrates’ Court' });

    expect((await milestone(created.id, { type: 'close', outcomeCode: '1' }, 400)).body).toContain('reason');
    expect((await milestone(created.id, { type: 'close', outcomeCode: '99', reason: 'made up' }, 400)).body).toContain('outcome');
    const closed = (await milestone(created.id, { type: 'close', outcomeCode: '1', reason: 'Charged with burglary' })).json<{ case: CaseBody }>().case;
    expect(closed).toMatchObject({ status: 'closed', outcomeCode: '1', closedReason: 'Charged with burglary' });
    expect((await milestone(created.id, { type: 'appointment_made', at: hearingAt }, 409)).body).toContain('reopen');

    const reopened = (await milestone(created.id, { type: 'reopen', note: 'New CCTV' })).json<{ case: CaseBody }>().case;
    expect(reopened).toMatchObject({ status: 'under_investigation', outcomeCode: null, closedReason: null, charged: true });
    expect(reopened.timeline.map((entry) => entry.type)).toEqual([
      'case.created',
      'case.person_added',
      'case.allocated',
      'case.suspect_arrested',
      'case.bailed',
      'case.charged',
      'case.court_date_set',
      'case.closed',
      'case.reopened',
    ]);
    const byType = Object.fromEntries(reopened.timeline.map((entry) => [entry.type, entry]));
    expect(byType['case.allocated']?.details).toMatchObject({ officerName: 'Ian Investigator', team: 'CID North' });
    expect(byType['case.suspect_arrested']?.note).toBe('Arrested at his home address');
    expect(byType['case.court_date_set']?.details).toMatchObject({ at: hearingAt });
    expect(byType['case.closed']?.details).toMatchObject({ outcomeCode: '1', reason: 'Charged with burglary' });

    // The events are in the force's chain, one per move, by the investigator.
    const events = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select(['type', 'actor_id']).where('subject_type', '=', 'case').where('subject_id', '=', created.id).orderBy('seq').execute(),
    );
    // One per move, and one for the victim named when it was recorded.
    expect(events).toHaveLength(9);
    expect(new Set(events.map((e) => e.actor_id))).toEqual(new Set([investigator.user.id]));
  });

  it('refuses bad input with a reason, never a 500', async () => {
    const created = await newCase();
    expect((await post(investigator, '/api/cases', { crimeType: 'NOT-A-TYPE' })).statusCode).toBe(400);
    expect((await post(investigator, '/api/cases', { summary: 'x'.repeat(5000) })).statusCode).toBe(400);
    expect((await milestone(created.id, { type: 'record' }, 400)).statusCode).toBe(400);
    expect((await milestone(created.id, { type: 'allocate' }, 400)).body).toContain('officer');
    expect((await milestone(created.id, { type: 'allocate', officerInCase: '00000000-0000-4000-8000-000000000000' }, 400)).body).toContain('staff');
    expect((await milestone(created.id, { type: 'court_date_set', at: 'next tuesday' }, 400)).statusCode).toBe(400);
    expect((await milestone(created.id, { type: 'court_date_set' }, 409)).body).toContain('charge');
    expect((await post(investigator, '/api/cases/not-an-id/milestones', { type: 'investigate' })).statusCode).toBe(400);
  });

  it('keeps cases to their force and to the roles that work them', async () => {
    const created = await newCase();
    expect((await get(otherInvestigator, `/api/cases/${created.id}`)).statusCode).toBe(404);
    expect((await post(otherInvestigator, `/api/cases/${created.id}/milestones`, { type: 'investigate' })).statusCode).toBe(404);
    expect((await get(otherInvestigator, '/api/cases?which=all')).json<{ cases: { id: string }[] }>().cases.map((c) => c.id)).not.toContain(created.id);
    // A call handler creates cases from contacts but does not investigate them.
    expect((await get(handler, '/api/cases')).statusCode).toBe(403);
    expect((await post(handler, `/api/cases/${created.id}/milestones`, { type: 'investigate' })).statusCode).toBe(403);
  });

  it('a case made from a contact is recorded too, and starts the victim’s journey', async () => {
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: 'cases-from-contact',
      whatHappened: 'My car was broken into on the drive',
      where: '2 Mill Lane, Demoton',
      when: 'Last night',
      name: 'Chris Owner',
      email: 'owner@example.org',
    });
    const created = await post(handler, `/api/contacts/${report.contactId}/case`, {});
    expect(created.statusCode, created.body).toBeLessThan(300);
    const list = (await get(investigator, '/api/cases?which=open')).json<{ cases: { id: string; contactId: string | null; status: string }[] }>().cases;
    const fromContact = list.find((c) => c.contactId === report.contactId);
    expect(fromContact?.status).toBe('recorded');
    const jobs = await withSystem(app.database.db, (tx) => tx.selectFrom('jobs').select('type').where('idempotency_key', '=', `${fromContact?.id}:created`).execute());
    expect(jobs.map((j) => j.type)).toEqual(['journey.milestone']);
  });
});
