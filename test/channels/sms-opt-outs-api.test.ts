import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from './twilio-kit.ts';
import { reportedCase } from '../journeys/journey-kit.ts';

// Staff can see who has replied STOP to the force's texts (decision 0059): supervisors and force
// admins list the numbers and look one up however it is written; whoever looks at a person on a
// case or a contact sees that their number gets no texts until they text START.

type Session = Awaited<ReturnType<typeof signIn>>;
type OptOut = {
  phoneNumber: string;
  optedOutAt: string;
  source: 'keyword' | 'staff';
  account: { id: string; channel: string; label: string } | null;
  recordedBy: { id: string; name: string } | null;
  reason: string | null;
};
type Page = { optOuts: OptOut[]; total: number; number: string | null };
type CasePerson = { id: string; role: string; phone: string | null; smsOptedOutAt: string | null };

// Monday 7 December 2026, 09:00 UTC.
const START = new Date('2026-12-07T09:00:00Z');

describe(`the force's numbers that replied STOP, for staff (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let accountId: string;
  let supervisor: Session;
  let admin: Session;
  let handler: Session;
  let investigator: Session;
  let otherSupervisor: Session;
  let texts = 0;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL }, overrides: { clock } });
    accountId = (await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null })).id;
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const other = await createOtherForce(app, ['supervisor']);
    otherSupervisor = await signIn(app, other.emails.supervisor ?? '', 'other-password');
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  /** A text from `from` to the demo number, a minute after the last one. */
  const textUs = async (from: string, body: string) => {
    texts += 1;
    clock.advance(60_000);
    const sid = `SMoptlist${String(texts).padStart(4, '0')}`;
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body });
    const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
    return clock.now().toISOString();
  };
  const list = async (session: Session, query = '') => {
    const response = await app.inject({ method: 'GET', url: `/api/sms-opt-outs${query}`, headers: session.headers });
    return { status: response.statusCode, body: response.json<Page & { error?: { fields?: { path: string; message: string }[] } }>() };
  };
  const numbersIn = (page: Page) => page.optOuts.map((o) => o.phoneNumber);

  it('lists-the-numbers-that-replied-stop-newest-first-with-when-and-the-number-they-texted', async () => {
    const first = await textUs('+447700900401', 'STOP');
    await textUs('+447700900402', 'Stop');
    const last = await textUs('+447700900403', 'unsubscribe');

    const { status, body } = await list(supervisor);
    expect(status).toBe(200);
    expect(body.number).toBeNull();
    expect(numbersIn(body).slice(0, 3)).toEqual(['+447700900403', '+447700900402', '+447700900401']);
    expect(body.optOuts[0]).toEqual({
      phoneNumber: '+447700900403',
      optedOutAt: last,
      source: 'keyword',
      account: { id: accountId, channel: 'sms_twilio', label: 'Demo Twilio number' },
      recordedBy: null,
      reason: null,
    });
    expect(body.optOuts.find((o) => o.phoneNumber === '+447700900401')?.optedOutAt).toBe(first);
    expect((await list(admin)).body).toEqual(body);
  });

  it('gives-the-list-a-page-at-a-time-with-the-total', async () => {
    const all = (await list(supervisor)).body;
    expect(all.total).toBeGreaterThanOrEqual(3);
    const firstTwo = (await list(supervisor, '?limit=2')).body;
    const rest = (await list(supervisor, '?limit=2&offset=2')).body;
    expect(firstTwo.total).toBe(all.total);
    expect([...numbersIn(firstTwo), ...numbersIn(rest)]).toEqual(numbersIn(all).slice(0, 2 + rest.optOuts.length));
    expect((await list(supervisor, '?limit=201')).status).toBe(400);
    expect((await list(supervisor, '?offset=-1')).status).toBe(400);
  });

  it('finds-one-number-however-it-is-written', async () => {
    for (const written of ['07700 900402', '+44 7700 900402', '07700-900-402', '+447700900402']) {
      const { status, body } = await list(supervisor, `?number=${encodeURIComponent(written)}`);
      expect(status, written).toBe(200);
      expect(body.number).toBe('+447700900402');
      expect(body.total).toBe(1);
      expect(numbersIn(body)).toEqual(['+447700900402']);
    }
  });

  it('answers-none-for-a-number-that-never-replied-stop', async () => {
    const { status, body } = await list(supervisor, `?number=${encodeURIComponent('07700 900499')}`);
    expect(status).toBe(200);
    expect(body).toEqual({ optOuts: [], total: 0, number: '+447700900499' });
  });

  it('rejects-a-search-for-something-that-is-not-a-phone-number-saying-why', async () => {
    for (const bad of ['not a number', '12', 'x'.repeat(41)]) {
      const { status, body } = await list(supervisor, `?number=${encodeURIComponent(bad)}`);
      expect(status, bad).toBe(400);
      expect(body.error?.fields).toEqual([expect.objectContaining({ path: 'query.number', message: expect.stringMatching(/phone number/) })]);
    }
  });

  it('drops-a-number-from-the-list-once-it-texts-start', async () => {
    await textUs('+447700900404', 'STOP');
    expect((await list(supervisor, '?number=07700900404')).body.total).toBe(1);
    await textUs('+447700900404', 'START');
    expect((await list(supervisor, '?number=07700900404')).body).toEqual({ optOuts: [], total: 0, number: '+447700900404' });
  });

  it('hides-other-force-opt-outs-and-shows-an-empty-list', async () => {
    expect((await list(otherSupervisor)).body).toEqual({ optOuts: [], total: 0, number: null });
    expect((await list(otherSupervisor, '?number=07700900401')).body).toEqual({ optOuts: [], total: 0, number: '+447700900401' });
  });

  it('refuses-roles-without-outbox-read', async () => {
    for (const session of [handler, investigator]) {
      const { status } = await list(session);
      expect(status).toBe(403);
    }
    expect((await app.inject({ method: 'GET', url: '/api/sms-opt-outs' })).statusCode).toBe(401);
  });

  it('offers-staff-no-way-to-remove-a-stop-the-person-texted', async () => {
    for (const method of ['DELETE', 'PUT', 'PATCH'] as const) {
      const response = await app.inject({ method, url: '/api/sms-opt-outs', headers: admin.headers, payload: { number: '+447700900401' } });
      expect(response.statusCode, method).toBe(404);
    }
    // Staff lift only what staff recorded (decision 0071): only the person's START lifts their STOP.
    const lift = await app.inject({ method: 'POST', url: '/api/sms-opt-outs/lift', headers: admin.headers, payload: { number: '+447700900401', reason: 'Asked for texts again' } });
    expect(lift.statusCode).toBe(409);
    expect((await list(admin, '?number=07700900401')).body.total).toBe(1);
  });

  it('marks-a-victim-on-a-case-and-the-person-on-a-contact-whose-number-replied-stop', async () => {
    const victim = await reportedCase(app, handler);
    const caseOf = async () =>
      (await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}`, headers: investigator.headers })).json<{ case: { contactId: string; people: CasePerson[] } }>().case;
    const victimOn = async () => (await caseOf()).people.find((p) => p.role === 'victim');
    expect(await victimOn()).toMatchObject({ phone: victim.phone, smsOptedOutAt: null });

    const at = await textUs(victim.phone, 'STOP');
    expect(await victimOn()).toMatchObject({ smsOptedOutAt: at });
    const { contactId } = await caseOf();
    const contact = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    const phones = contact.json<{ person: { identities: { kind: string; value: string; smsOptedOutAt: string | null }[] } }>().person.identities.filter((i) => i.kind === 'phone');
    expect(phones).toEqual([expect.objectContaining({ value: victim.phone, smsOptedOutAt: at })]);

    await textUs(victim.phone, 'START');
    expect(await victimOn()).toMatchObject({ smsOptedOutAt: null });
  });

  it('marks-a-person-added-to-a-case-with-their-number-written-nationally', async () => {
    const { caseId } = await reportedCase(app, handler);
    const at = await textUs('+447700900405', 'STOP');
    const added = await app.inject({
      method: 'POST',
      url: `/api/cases/${caseId}/people`,
      headers: investigator.headers,
      payload: { role: 'witness', name: 'Wyn Witness', phone: '07700 900405' },
    });
    expect(added.statusCode, added.body).toBe(201);
    const people = added.json<{ case: { people: (CasePerson & { name: string })[] } }>().case.people;
    expect(people.find((p) => p.name === 'Wyn Witness')).toMatchObject({ phone: '07700 900405', smsOptedOutAt: at });
  });
});
