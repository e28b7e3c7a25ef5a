import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import type { AdmissionGate, AdmissionTicket } from '../../src/platform/http/admission.ts';

type Response = Awaited<ReturnType<TestApp['inject']>>;

/** A browser without JavaScript: keeps cookies and the last form's CSRF token and submission id. */
class Visitor {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  submissionId = '';
  constructor(private readonly app: TestApp) {}

  private remember(response: Response): Response {
    for (const cookie of response.cookies) this.cookies.set(cookie.name, cookie.value);
    const csrf = /name="csrfToken" value="([^"]+)"/.exec(response.body)?.[1];
    if (csrf) this.csrfToken = csrf;
    const submission = /name="submissionId" value="([^"]+)"/.exec(response.body)?.[1];
    if (submission) this.submissionId = submission;
    return response;
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string): Promise<Response> {
    return this.remember(await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader } }));
  }

  async post(url: string, fields: Record<string, string>): Promise<Response> {
    const form = new URLSearchParams({ ...fields, csrfToken: this.csrfToken, submissionId: this.submissionId });
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        headers: { cookie: this.cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      }),
    );
  }
}

/** A 999 call offered by the telephony platform; its provider id is `<callId>:offered`. */
function offerCall(app: TestApp, callId: string) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/telephony/calls',
    headers: { 'x-bluelamp-telephony-secret': 'demo-telephony-secret', 'content-type': 'application/json' },
    payload: JSON.stringify({ callId, line: '999', callerNumber: '+447700900123', calledNumber: '999', startedAt: '2026-03-02T09:00:00Z', event: 'offered' }),
  });
}

describe('load shedding (one public turn, no waiting)', () => {
  let app: TestApp;
  let gate: AdmissionGate;
  let held: AdmissionTicket | null = null;

  beforeAll(async () => {
    // The threshold set as small as it goes: one public request at a time, none queued. The
    // event-loop signal stays off, as the test machine's own lateness must not decide.
    app = await createTestApp({ env: { SHED_CONCURRENCY: '1', SHED_MAX_WAIT_MS: '0', SHED_EVENT_LOOP_DELAY_MS: '0', SHED_RETRY_AFTER: '45' } });
    if (!app.admission) throw new Error('the app has no admission gate');
    gate = app.admission;
  });
  afterAll(() => app.close());

  /** Takes the one public turn, as a report still being stored would. */
  async function occupyPublicTurn(): Promise<void> {
    held = await gate.admit();
    if (!held) throw new Error('the public turn was already taken');
  }
  function freePublicTurn(): void {
    held?.release();
    held = null;
  }

  const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
    withSystem(app.database.db, async (tx) => Number((await query.execute(tx)).rows[0]?.n ?? 0));
  const storedCalls = (callId: string) =>
    count(sql<{ n: number }>`select count(*)::int as n from messages where channel = 'phone' and provider_message_id = ${`${callId}:offered`}`);
  const storedRequests = () => count(sql<{ n: number }>`select count(*)::int as n from inbound_requests where channel = 'phone'`);
  const storedReports = (marker: string) =>
    count(sql<{ n: number }>`select count(*)::int as n from messages where channel = 'portal' and body like ${`%${marker}%`}`);

  it('sheds-webhook-with-503-and-retry-after-storing-nothing, then takes the provider’s retry', async () => {
    const callId = `shed-${randomUUID()}`;
    const requestsBefore = await storedRequests();
    await occupyPublicTurn();
    try {
      const shed = await offerCall(app, callId);
      expect(shed.statusCode, shed.body).toBe(503);
      expect(shed.headers['retry-after']).toBe('45');
      expect(shed.json()).toMatchObject({ error: { code: 'overloaded' } });
    } finally {
      freePublicTurn();
    }
    // Nothing of the shed request was kept: no raw request, no message.
    expect(await storedRequests()).toBe(requestsBefore);
    expect(await storedCalls(callId)).toBe(0);

    // The provider retries once the surge has passed: acknowledged means stored, once.
    const retried = await offerCall(app, callId);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(await storedCalls(callId)).toBe(1);
  });

  it('gives every turn back: requests one after another are all served', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of ids) expect((await offerCall(app, id)).statusCode).toBe(200);
    // A refused request gives its turn back too.
    const unsigned = await app.inject({ method: 'POST', url: '/webhooks/telephony/calls', headers: { 'content-type': 'application/json' }, payload: '{}' });
    expect(unsigned.statusCode).toBeGreaterThanOrEqual(400);
    expect(unsigned.statusCode).toBeLessThan(500);
    expect((await offerCall(app, randomUUID())).statusCode).toBe(200);
    expect(gate.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
  });

  it('shows a shed report form again with everything typed, in English, and stores nothing until it is sent again', async () => {
    const visitor = new Visitor(app);
    await visitor.get('/report/details');
    const marker = `bike-${randomUUID()}`;
    const fields = {
      whatHappened: `My bike was stolen from outside the "library" <b>${marker}</b> & nobody saw it\\n`,
      where: 'Library, Demoton',
      when: 'Yesterday about 3pm',
      name: 'Sam Public',
      email: 'sam.public@example.org',
    };
    const submissionId = visitor.submissionId;
    await occupyPublicTurn();
    let shed: Response;
    try {
      shed = await visitor.post('/report/details', fields);
    } finally {
      freePublicTurn();
    }
    expect(shed.statusCode).toBe(503);
    expect(shed.headers['retry-after']).toBe('45');
    expect(shed.headers['content-type']).toMatch(/^text\/html/);
    expect(shed.body).toContain('<html lang="en"');
    expect(shed.body).toContain('Sorry, the service is busy and your report has not been sent yet.');
    // The person's words come back in the form, escaped, with the same submission id and token.
    expect(shed.body).toContain(`My bike was stolen from outside the &quot;library&quot; &lt;b&gt;${marker}&lt;/b&gt; &amp; nobody saw it&#92;n</textarea>`);
    expect(shed.body).toContain('value="Library, Demoton"');
    expect(shed.body).toContain('value="Yesterday about 3pm"');
    expect(shed.body).toContain('value="sam.public@example.org"');
    expect(shed.body).toContain(`name="submissionId" value="${submissionId}"`);
    expect(shed.body).toContain('action="/report/details"');
    expect(await storedReports(marker)).toBe(0);

    // The next person shed sees their own words only, never the last person's.
    const other = new Visitor(app);
    await other.get('/report/details');
    await occupyPublicTurn();
    let otherShed: Response;
    try {
      otherShed = await other.post('/report/details', { ...fields, whatHappened: 'Someone else entirely', email: 'other@example.org' });
    } finally {
      freePublicTurn();
    }
    expect(otherShed.statusCode).toBe(503);
    expect(otherShed.body).toContain('Someone else entirely</textarea>');
    expect(otherShed.body).toContain(`name="submissionId" value="${other.submissionId}"`);
    expect(otherShed.body).not.toContain(marker);
    expect(otherShed.body).not.toContain('sam.public@example.org');

    // Sending the same form again a minute later stores the report, once.
    const sent = await visitor.post('/report/details', fields);
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toMatch(/data-testid="reference">DEMO-/);
    await app.reports.settled();
    expect(await storedReports(marker)).toBe(1);
  });

  it('shows the shed report form in Welsh to a visitor who chose Welsh', async () => {
    const visitor = new Visitor(app);
    await visitor.get('/report/details?lang=cy');
    const marker = `beic-${randomUUID()}`;
    await occupyPublicTurn();
    let shed: Response;
    try {
      shed = await visitor.post('/report/details', {
        whatHappened: `Cafodd fy meic ei ddwyn y tu allan i’r llyfrgell ${marker}`,
        where: 'Llyfrgell, Demoton',
        when: 'Ddoe',
        email: 'sam@example.org',
      });
    } finally {
      freePublicTurn();
    }
    expect(shed.statusCode).toBe(503);
    expect(shed.body).toContain('<html lang="cy"');
    expect(shed.body).toContain('Mae’n ddrwg gennym, mae’r gwasanaeth yn brysur ac nid yw eich adroddiad wedi’i anfon eto.');
    expect(shed.body).toContain(`Cafodd fy meic ei ddwyn y tu allan i’r llyfrgell ${marker}</textarea>`);
    expect(shed.body).toContain('value="Llyfrgell, Demoton"');
    expect(await storedReports(marker)).toBe(0);
  });

  it('shows a busy page with a way back for shed pages, in the visitor’s language', async () => {
    const visitor = new Visitor(app);
    await occupyPublicTurn();
    try {
      const english = await visitor.get('/check');
      expect(english.statusCode).toBe(503);
      expect(english.headers['retry-after']).toBe('45');
      expect(english.body).toContain('Sorry, the service is busy');
      expect(english.body).toContain('Try again in a minute.');
      expect(english.body).toContain('href="/check" data-testid="try-again"');
      const welsh = await visitor.get('/check?lang=cy');
      expect(welsh.statusCode).toBe(503);
      expect(welsh.body).toContain('<html lang="cy"');
      expect(welsh.body).toContain('Mae’n ddrwg gennym, mae’r gwasanaeth yn brysur');
      expect(welsh.body).toContain('Rhowch gynnig arall arni mewn munud.');
    } finally {
      freePublicTurn();
    }
  });

  it('does not show back a form posted without its own CSRF token', async () => {
    const visitor = new Visitor(app);
    await visitor.get('/report/details');
    visitor.csrfToken = 'x'.repeat(43);
    await occupyPublicTurn();
    try {
      const shed = await visitor.post('/report/details', { whatHappened: 'planted text from another site', where: 'a', when: 'b', email: 'c@example.org' });
      expect(shed.statusCode).toBe(503);
      expect(shed.body).toContain('Sorry, the service is busy');
      expect(shed.body).not.toContain('planted text from another site');
    } finally {
      freePublicTurn();
    }
  });

  it('keeps serving signed-in staff while public requests are shed', async () => {
    const handler = await signIn(app, 'handler@demo.police.uk');
    await occupyPublicTurn();
    try {
      expect((await offerCall(app, randomUUID())).statusCode).toBe(503);
      const contacts = await app.inject({ method: 'GET', url: '/api/contacts', headers: handler.headers });
      expect(contacts.statusCode, contacts.body).toBe(200);
      expect(contacts.json<{ contacts: unknown[] }>().contacts.length).toBeGreaterThan(0);
      // A member of staff can still sign in during a surge.
      expect((await signIn(app, 'supervisor@demo.police.uk')).csrfToken).not.toBe('');
      // Without a session, an API call is refused at once, as always (it never reaches the gate).
      expect((await app.inject({ method: 'GET', url: '/api/contacts' })).statusCode).toBe(401);
      // Probes are never shed, so a surge does not make the node look dead.
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      freePublicTurn();
    }
  });

  it('keeps taking vehicle positions and records updates posted with their integration tokens while public requests are shed', async () => {
    const admin = await signIn(app, 'admin@demo.police.uk');
    const issue = async (url: string) => {
      const response = await app.inject({ method: 'POST', url, headers: admin.headers, payload: { label: 'Surge gateway' } });
      expect(response.statusCode, response.body).toBe(201);
      return response.json<{ token: string }>().token;
    };
    const trackingToken = await issue('/api/integrations/tracking/tokens');
    const recordsToken = await issue('/api/integrations/records/tokens');
    const units = await app.inject({ method: 'GET', url: '/api/units', headers: admin.headers });
    const unitId = units.json<{ units: { id: string }[] }>().units[0]?.id;
    if (!unitId) throw new Error('the demo force has no units');
    const recordedAt = new Date(app.deps.clock.now().getTime() + 60_000).toISOString();
    const reference = `NIC/SURGE/${randomUUID()}`;
    await occupyPublicTurn();
    try {
      const positions = await app.inject({
        method: 'POST',
        url: '/api/units/positions',
        headers: { authorization: `Bearer ${trackingToken}` },
        payload: { positions: [{ unitId, lat: 52.63, lon: 1.29, recordedAt }] },
      });
      expect(positions.statusCode, positions.body).toBe(200);
      expect(positions.json()).toMatchObject({ stored: 1 });
      const records = await app.inject({
        method: 'POST',
        url: '/api/integrations/records/cases',
        headers: { authorization: `Bearer ${recordsToken}` },
        payload: { system: 'niche', reference, updatedAt: '2026-03-01T09:00:00Z', status: 'ALLOC' },
      });
      expect(records.statusCode, records.body).toBe(201);
      // The same moment, a public request is still told to come back.
      const shed = await offerCall(app, randomUUID());
      expect(shed.statusCode, shed.body).toBe(503);
      expect(shed.headers['retry-after']).toBe('45');
      // A bad token is refused by the route, which checks it before the gate is reached.
      const forged = await app.inject({ method: 'POST', url: '/api/units/positions', headers: { authorization: 'Bearer bltrk_forged' }, payload: { positions: [] } });
      expect(forged.statusCode, forged.body).toBe(401);
      // Elsewhere a token that looks like ours is no claim to the staff queue: the generic API
      // channel's partners send their own bearer tokens, and their surge is the public's.
      const partner = await app.inject({ method: 'POST', url: '/api/channels/api/messages', headers: { authorization: `Bearer ${trackingToken}` }, payload: { text: 'help' } });
      expect(partner.statusCode, partner.body).toBe(503);
    } finally {
      freePublicTurn();
    }
    const latest = await withSystem(app.database.db, (tx) => tx.selectFrom('unit_positions_latest').select('recorded_at').where('unit_id', '=', unitId).executeTakeFirst());
    expect(latest?.recorded_at.toISOString()).toBe(recordedAt);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from cases where records_reference = ${reference}`)).toBe(1);
  });
});
