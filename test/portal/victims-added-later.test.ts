import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { Visitor } from '../portal-visitor.ts';
import { withSystem } from '../../src/platform/db/database.ts';

type Session = Awaited<ReturnType<typeof signIn>>;
type CasePerson = { id: string; role: string; name: string; personId: string | null };

// A victim an officer or the records system adds (not the person who reported it) can open the
// case page with a code sent to the address on their row; one with no address is never counted as
// told by a portal they cannot open (decision 0064).

describe(`victims added by an officer or the records system and their case page (${ENGINE})`, () => {
  let app: TestApp;
  let investigator: Session;
  let handler: Session;
  let admin: Session;
  let visitors = 0;

  beforeAll(async () => {
    app = await createTestApp();
    investigator = await signIn(app, 'investigator@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(() => app.close());

  const api = async <T>(session: Session | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers?: Record<string, string>) => {
    const response = await app.inject({ method, url, headers: headers ?? session?.headers ?? {}, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json<T>(), raw: response.body };
  };
  const runJobs = async () => {
    while (((await app.runner?.runDue()) ?? 0) > 0);
  };
  const directCase = async () => {
    const made = await api<{ case: { id: string; reference: string } }>(investigator, 'POST', '/api/cases', { summary: 'Assault outside the Crown', victims: [] });
    expect(made.status, made.raw).toBe(201);
    return made.body.case;
  };
  const peopleOf = async (caseId: string) => (await api<{ case: { people: CasePerson[] } }>(investigator, 'GET', `/api/cases/${caseId}`)).body.case.people;
  const codesSent = (caseId: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select(['channel', 'recipient', 'body']).where('purpose', '=', 'portal.access_code').where('case_id', '=', caseId).orderBy('created_at').orderBy('seq').execute());
  const codeIn = (body: string | undefined) => /is (\d{6})\./.exec(body ?? '')?.[1] ?? '';

  async function signInToCase(reference: string, caseId: string) {
    visitors += 1;
    const visitor = new Visitor(app, `10.45.0.${visitors}`);
    await visitor.open('/check');
    expect((await visitor.post('/check', { reference })).headers.location).toBe('/check/code');
    await visitor.open('/check/code');
    const sent = await codesSent(caseId);
    const answer = await visitor.post('/check/code', { code: codeIn(sent.at(-1)?.body) });
    return { visitor, answer, sent };
  }

  it('sends a code to a victim an officer added with an email address, which opens their case page', async () => {
    const theCase = await directCase();
    expect((await api(handler, 'POST', `/api/cases/${theCase.id}/people`, { role: 'victim', name: 'Alice Named', email: 'alice@example.com' })).status).toBe(403);
    const added = await api(investigator, 'POST', `/api/cases/${theCase.id}/people`, { role: 'victim', name: 'Alice Named', email: 'alice@example.com' });
    expect(added.status, added.raw).toBe(201);
    expect((await peopleOf(theCase.id))[0]?.personId).toEqual(expect.any(String));

    const { visitor, answer, sent } = await signInToCase(theCase.reference, theCase.id);
    expect(sent.map((m) => [m.channel, m.recipient])).toEqual([['email', 'alice@example.com']]);
    expect(answer.headers.location).toBe('/check/case');
    const page = await visitor.get('/check/case');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(theCase.reference);
  });

  it('links a victim named only once an officer gives their number, and texts them the code', async () => {
    const theCase = await directCase();
    const added = await api<{ id: string }>(investigator, 'POST', `/api/cases/${theCase.id}/people`, { role: 'victim', name: 'Bo Named' });
    const victimId = (await peopleOf(theCase.id))[0]?.id ?? '';
    expect(added.status).toBe(201);
    expect((await peopleOf(theCase.id))[0]?.personId).toBeNull();
    await signInToCase(theCase.reference, theCase.id);
    expect(await codesSent(theCase.id)).toEqual([]);

    expect((await api(investigator, 'PATCH', `/api/cases/${theCase.id}/people/${victimId}`, { phone: 'not a number' })).status).toBe(400);
    expect((await api(investigator, 'PATCH', `/api/cases/${theCase.id}/people/${victimId}`, { phone: '07700 900444' })).status).toBe(200);
    const { answer, sent } = await signInToCase(theCase.reference, theCase.id);
    expect(sent.map((m) => [m.channel, m.recipient])).toEqual([['sms', '+447700900444']]);
    expect(answer.headers.location).toBe('/check/case');
  });

  it("sends a code to a victim the records system named with an email address, and to no one another force's system named", async () => {
    const issued = await api<{ token: string }>(admin, 'POST', '/api/integrations/records/tokens', { label: 'Niche' });
    expect(issued.status, issued.raw).toBe(201);
    const bearer = { authorization: `Bearer ${issued.body.token}` };
    const created = await api<{ caseId: string; caseReference: string }>(
      null,
      'POST',
      '/api/integrations/records/cases',
      { system: 'niche', reference: 'NIC/26/9001', updatedAt: '2026-03-01T09:00:00Z', status: 'ALLOC', victims: [{ reference: 'V1', name: 'Casey Records', email: 'casey@example.org' }] },
      bearer,
    );
    expect(created.status, created.raw).toBe(201);
    const { answer, sent } = await signInToCase(created.body.caseReference, created.body.caseId);
    expect(sent.map((m) => [m.channel, m.recipient])).toEqual([['email', 'casey@example.org']]);
    expect(answer.headers.location).toBe('/check/case');
    const refused = await api(null, 'POST', '/api/integrations/records/cases', { system: 'niche', reference: 'NIC/26/9002', updatedAt: '2026-03-01T09:00:00Z', victims: [] }, { authorization: 'Bearer not-a-token' });
    expect(refused.status).toBe(401);
  });

  it('never counts the portal as telling a victim who cannot open it', async () => {
    const theCase = await directCase();
    await api(investigator, 'POST', `/api/cases/${theCase.id}/people`, { role: 'victim', name: 'Dee Unreachable' });
    expect((await api(investigator, 'POST', `/api/cases/${theCase.id}/milestones`, { type: 'allocate', officerInCase: investigator.user.id })).status).toBe(200);
    await runJobs();
    const portal = await withSystem(app.database.db, (tx) => tx.selectFrom('outbox').select(['status']).where('case_id', '=', theCase.id).where('channel', '=', 'portal').execute());
    expect(portal).toEqual([]);
    const suppressed = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('data').where('subject_id', '=', theCase.id).where('type', '=', 'journey.message_suppressed').execute(),
    );
    expect(suppressed.map((e) => e.data)).toEqual(expect.arrayContaining([expect.objectContaining({ step: 'case.allocated', channel: 'portal', reason: expect.stringContaining('sign-in code') })]));
  });
});
