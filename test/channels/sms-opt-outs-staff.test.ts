import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from './twilio-kit.ts';
import { journeyEventsOf, milestone, reportedCase, setPreferences } from '../journeys/journey-kit.ts';

// A victim who asks the control room by phone to stop texting them, or texts "stop texting me"
// (not a keyword, so no opt-out is taken from it), is honoured by a member of staff recording the
// opt-out by hand, with why (decision 0071). Every path that texts a person passes the number over
// as it does a STOP; staff lift what staff recorded, never a STOP the person texted.

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
type Refusal = { error: { code: string; message: string; fields?: { path: string; message: string }[] } };

// Tuesday 8 December 2026, 10:00 UTC.
const START = new Date('2026-12-08T10:00:00Z');
const STAFF_REASON = 'asked us not to text it (recorded by staff)';

describe(`opt-outs from texts recorded and lifted by staff (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let supervisor: Session;
  let admin: Session;
  let handler: Session;
  let investigator: Session;
  let otherSupervisor: Session;
  let supervisorName: string;
  let texts = 0;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL }, overrides: { clock } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMoptstaffout${String(n).padStart(21, '0')}` }));
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const other = await createOtherForce(app, ['supervisor']);
    otherSupervisor = await signIn(app, other.emails.supervisor ?? '', 'other-password');
    supervisorName = (
      await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('staff').select('name').where('id', '=', supervisor.user.id).executeTakeFirstOrThrow())
    ).name;
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  /** A text from `from` to the demo number, a minute after the last one; its message id. */
  const textUs = async (from: string, body: string) => {
    texts += 1;
    clock.advance(60_000);
    const sid = `SMoptstaff${String(texts).padStart(4, '0')}`;
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body });
    const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
    return sid;
  };
  const recordOptOut = (session: Session, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/sms-opt-outs', headers: session.headers, payload });
  const liftOptOut = (session: Session, payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/sms-opt-outs/lift', headers: session.headers, payload });
  const lookUp = async (session: Session, number: string) =>
    (await app.inject({ method: 'GET', url: `/api/sms-opt-outs?number=${encodeURIComponent(number)}`, headers: session.headers })).json<Page>();
  const staffEvents = () =>
    withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('events').select(['type', 'actor_type', 'actor_id', 'subject_type', 'data']).where('type', 'in', ['sms.opt_out_recorded', 'sms.opt_out_lifted']).orderBy('seq').execute(),
    );

  it('records-an-opt-out-by-hand-and-lists-it-with-who-recorded-it-and-why', async () => {
    clock.advance(60_000);
    const before = (await staffEvents()).length;
    const recorded = await recordOptOut(supervisor, { number: '07700 900501', reason: 'Asked by phone' });
    expect(recorded.statusCode, recorded.body).toBe(201);
    const expected: OptOut = {
      phoneNumber: '+447700900501',
      optedOutAt: clock.now().toISOString(),
      source: 'staff',
      account: null,
      recordedBy: { id: supervisor.user.id, name: supervisorName },
      reason: 'Asked by phone',
    };
    expect(recorded.json()).toEqual(expected);
    expect(await lookUp(admin, '+44 7700 900501')).toEqual({ optOuts: [expected], total: 1, number: '+447700900501' });
    const list = (await app.inject({ method: 'GET', url: '/api/sms-opt-outs', headers: supervisor.headers })).json<Page>();
    expect(list.optOuts).toContainEqual(expected);
    expect((await staffEvents()).slice(before)).toEqual([
      { type: 'sms.opt_out_recorded', actor_type: 'staff', actor_id: supervisor.user.id, subject_type: 'sms_opt_out', data: { numberEnding: '0501', reason: 'Asked by phone' } },
    ]);
  });

  it('refuses-to-record-a-number-already-opted-out-with-409-and-no-event', async () => {
    await recordOptOut(admin, { number: '07700900502', reason: 'Asked by phone' });
    const before = (await staffEvents()).length;
    const again = await recordOptOut(supervisor, { number: '+447700900502', reason: 'Asked again' });
    expect(again.statusCode).toBe(409);
    expect(again.json<Refusal>().error.message).toMatch(/already opted out of texts \(staff recorded it\)/);
    await textUs('+447700900503', 'STOP');
    const overStop = await recordOptOut(supervisor, { number: '+447700900503', reason: 'Asked by phone' });
    expect(overStop.statusCode).toBe(409);
    expect(overStop.json<Refusal>().error.message).toMatch(/the person texted STOP/);
    expect((await staffEvents()).length).toBe(before);
    expect((await lookUp(supervisor, '07700900502')).optOuts[0]?.reason).toBe('Asked by phone');
  });

  it('lifts-an-opt-out-staff-recorded-with-why-and-one-event', async () => {
    await recordOptOut(supervisor, { number: '07700900504', reason: 'Texted "stop texting me"' });
    clock.advance(60_000);
    const lifted = await liftOptOut(admin, { number: '07700 900504', reason: 'Recorded against the wrong number' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toEqual({ phoneNumber: '+447700900504', liftedAt: clock.now().toISOString() });
    expect(await lookUp(supervisor, '07700900504')).toEqual({ optOuts: [], total: 0, number: '+447700900504' });
    const events = (await staffEvents()).filter((e) => (e.data as { numberEnding: string }).numberEnding === '0504');
    expect(events).toEqual([
      expect.objectContaining({ type: 'sms.opt_out_recorded', actor_id: supervisor.user.id }),
      { type: 'sms.opt_out_lifted', actor_type: 'staff', actor_id: admin.user.id, subject_type: 'sms_opt_out', data: { numberEnding: '0504', reason: 'Recorded against the wrong number' } },
    ]);
    // Opted out again: a new opt-out, recorded as before.
    expect((await recordOptOut(supervisor, { number: '07700900504', reason: 'Asked by phone after all' })).statusCode).toBe(201);
  });

  it('refuses-to-lift-a-number-not-opted-out-or-a-stop-the-person-texted', async () => {
    const before = (await staffEvents()).length;
    const none = await liftOptOut(supervisor, { number: '07700900505', reason: 'Wants texts' });
    expect(none.statusCode).toBe(409);
    expect(none.json<Refusal>().error.message).toMatch(/not opted out of texts/);
    await textUs('+447700900506', 'STOP');
    const stopped = await liftOptOut(admin, { number: '07700900506', reason: 'Phoned to ask for texts again' });
    expect(stopped.statusCode).toBe(409);
    expect(stopped.json<Refusal>().error.message).toMatch(/only their own START lifts it/);
    expect((await lookUp(supervisor, '07700900506')).optOuts).toEqual([expect.objectContaining({ source: 'keyword', recordedBy: null, reason: null })]);
    expect((await staffEvents()).length).toBe(before);
  });

  it('lets-the-persons-own-start-lift-a-staff-opt-out-and-their-stop-make-it-theirs', async () => {
    await recordOptOut(supervisor, { number: '07700900507', reason: 'Asked by phone' });
    await textUs('+447700900507', 'START');
    expect((await lookUp(supervisor, '07700900507')).total).toBe(0);

    await recordOptOut(supervisor, { number: '07700900508', reason: 'Asked by phone' });
    await textUs('+447700900508', 'STOP');
    expect((await lookUp(supervisor, '07700900508')).optOuts).toEqual([expect.objectContaining({ source: 'keyword', recordedBy: null, reason: null })]);
    expect((await liftOptOut(supervisor, { number: '07700900508', reason: 'Wants texts' })).statusCode).toBe(409);
  });

  it('takes-no-opt-out-from-a-text-that-only-mentions-stop', async () => {
    await textUs('+447700900509', 'stop he is hitting me');
    await textUs('+447700900509', 'STOP please');
    expect((await lookUp(supervisor, '07700900509')).total).toBe(0);
  });

  it('holds-a-journey-text-to-a-number-staff-opted-out-and-texts-it-again-once-lifted', async () => {
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email', 'portal'] });
    expect((await recordOptOut(supervisor, { number: victim.phone, reason: 'Victim asked by phone' })).statusCode).toBe(201);
    // The investigator sees why, on the victim.
    const shown = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}`, headers: investigator.headers });
    const people = shown.json<{ case: { people: { role: string; smsOptedOutAt: string | null; smsOptOutSource: string | null }[] } }>().case.people;
    expect(people.find((p) => p.role === 'victim')).toMatchObject({ smsOptedOutAt: clock.now().toISOString(), smsOptOutSource: 'staff' });
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();
    const arrest = (await journeyEventsOf(app, victim.caseId)).filter((e) => e.data.step === 'case.suspect_arrested');
    expect(arrest).toContainEqual({ type: 'journey.message_suppressed', data: expect.objectContaining({ channel: 'sms', reason: STAFF_REASON }) });
    expect(arrest).toContainEqual({ type: 'journey.message_queued', data: expect.objectContaining({ channel: 'email' }) });

    expect((await liftOptOut(supervisor, { number: victim.phone, reason: 'Victim asked for texts again' })).statusCode).toBe(200);
    const seen = (await journeyEventsOf(app, victim.caseId)).length;
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();
    const charge = (await journeyEventsOf(app, victim.caseId)).slice(seen);
    expect(charge.length).toBeGreaterThan(0);
    expect(charge.filter((e) => e.type === 'journey.message_suppressed')).toEqual([]);
    expect(charge).toContainEqual({ type: 'journey.message_queued', data: expect.objectContaining({ channel: 'sms' }) });
  });

  it('refuses-a-console-reply-by-text-to-a-number-staff-opted-out-and-sends-it-once-lifted', async () => {
    const from = '+447700900510';
    const sid = await textUs(from, 'stop texting me');
    await app.runner?.runDue();
    const contactId = (
      await withForce(app.database.db, app.demoForceId, (tx) => tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', sid).executeTakeFirstOrThrow())
    ).contact_id;
    expect((await recordOptOut(supervisor, { number: from, reason: 'Texted "stop texting me"' })).statusCode).toBe(201);

    const reply = async (body: string) => {
      const before = standIn.requests.length;
      const sent = await app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body } });
      expect(sent.statusCode, sent.body).toBe(201);
      const messageId = sent.json<{ message: { id: string } }>().message.id;
      await app.runner?.runDue();
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
      const message = detail.json<{ messages: { id: string; deliveryStatus: string | null; deliveryError: string | null }[] }>().messages.find((m) => m.id === messageId);
      return { message, providerCalls: standIn.requests.length - before };
    };
    const refused = await reply('We will not text you again.');
    expect(refused.providerCalls).toBe(0);
    expect(refused.message).toMatchObject({ deliveryStatus: 'failed' });
    expect(refused.message?.deliveryError).toMatch(/recorded by staff.*lift/);

    expect((await liftOptOut(supervisor, { number: from, reason: 'Opt-out recorded in error' })).statusCode).toBe(200);
    const sent = await reply('An officer will call.');
    expect(sent.providerCalls).toBe(1);
    expect(sent.message).toMatchObject({ deliveryStatus: 'sent', deliveryError: null });
  });

  it('hides-one-forces-staff-opt-out-from-another-which-cannot-lift-it', async () => {
    await recordOptOut(supervisor, { number: '07700900511', reason: 'Asked by phone' });
    expect(await lookUp(otherSupervisor, '07700900511')).toEqual({ optOuts: [], total: 0, number: '+447700900511' });
    const lifted = await liftOptOut(otherSupervisor, { number: '07700900511', reason: 'Wants texts' });
    expect(lifted.statusCode).toBe(409);
    expect((await lookUp(supervisor, '07700900511')).total).toBe(1);
    // The other force's own opt-out of the same number is its own, and ours is untouched by it.
    expect((await recordOptOut(otherSupervisor, { number: '07700900511', reason: 'Asked by phone' })).statusCode).toBe(201);
    expect((await liftOptOut(otherSupervisor, { number: '07700900511', reason: 'Recorded in error' })).statusCode).toBe(200);
    expect((await lookUp(supervisor, '07700900511')).optOuts).toEqual([expect.objectContaining({ recordedBy: expect.objectContaining({ id: supervisor.user.id }) })]);
  });

  it('refuses-roles-without-sms-opt-outs-manage', async () => {
    for (const session of [handler, investigator]) {
      expect((await recordOptOut(session, { number: '07700900512', reason: 'Asked by phone' })).statusCode).toBe(403);
      expect((await liftOptOut(session, { number: '07700900501', reason: 'Wants texts' })).statusCode).toBe(403);
    }
    expect((await lookUp(supervisor, '07700900512')).total).toBe(0);
    expect((await lookUp(supervisor, '07700900501')).total).toBe(1);
  });

  it('rejects-a-malformed-number-or-a-missing-reason-saying-which', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ number: 'not a number', reason: 'Asked by phone' }, 'body.number'],
      [{ number: '12', reason: 'Asked by phone' }, 'body.number'],
      [{ number: '+999 1234 5678', reason: 'Asked by phone' }, 'body.number'],
      [{ reason: 'Asked by phone' }, 'body.number'],
      [{ number: '07700900513' }, 'body.reason'],
      [{ number: '07700900513', reason: '   ' }, 'body.reason'],
      [{ number: '07700900513', reason: 'x'.repeat(501) }, 'body.reason'],
    ];
    for (const [payload, path] of cases) {
      for (const send of [recordOptOut, liftOptOut]) {
        const response = await send(supervisor, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json<Refusal>().error.fields).toEqual([expect.objectContaining({ path })]);
      }
    }
    expect((await lookUp(supervisor, '07700900513')).total).toBe(0);
  });
});
