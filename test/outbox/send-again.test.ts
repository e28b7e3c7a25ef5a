import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, startSmtpServer, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { withdrawQueuedMessages } from '../../src/capabilities/outbox/outbox-withdraw.service.ts';
import { connectNotify, notifyFixture, outboxEvents, outboxRow, postNotifyReceipt, queueWithDelivery } from './outbox-kit.ts';
import { milestone, reportedCase, setPreferences, type Session } from '../journeys/journey-kit.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';

// "Send again" on a failed outbox message (decision 0058): staff with the permission send it once
// its cause is mended, from the first channel the person allows now, through a local server that
// answers as GOV.UK Notify's API documents; the case's timeline says who did it.

const CALLBACK_TOKEN = 'send-again-notify-callback-token';
const refusedForGood = () => notifyFixture('error-400.json');
let notificationIds = 0;
const accepted = () => ({ ...notifyFixture('notification-created.json'), id: `5e0a1c2e-0000-4000-8000-${String((notificationIds += 1)).padStart(12, '0')}` });

describe('sending a failed outbox message again', () => {
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let handler: Session;
  let investigator: Session;
  let supervisor: Session;
  let admin: Session;
  const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));

  beforeAll(async () => {
    notify = await startStandIn();
    smtp = await startSmtpServer();
    app = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Demo Constabulary <updates@police.example>', PUBLIC_URL }, overrides: { clock } });
    await connectNotify(app, app.demoForceId, notify.url, CALLBACK_TOKEN);
    notify.respondWith(201, accepted);
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
    await smtp.close();
  });

  const sendAgain = (who: Session, id: string) => app.inject({ method: 'POST', url: `/api/outbox/${id}/send-again`, headers: who.headers });
  const row = (id: string) => outboxRow(app, app.demoForceId, id);
  const notifiedAbout = (id: string) => notify.requests.filter((r) => (JSON.parse(r.body || '{}') as { reference?: string }).reference === id);

  /** A victim who wants texts only, whose news of an arrest Notify refused for good: it has failed. Returns the victim and the message. */
  async function failedText() {
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms'] });
    await app.runner?.runDue();
    notify.respondWith(400, refusedForGood);
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();
    notify.respondWith(201, accepted);
    const message = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('outbox').selectAll().where('case_id', '=', victim.caseId).where('purpose', '=', 'journey:case.suspect_arrested').executeTakeFirstOrThrow(),
    );
    expect(message).toMatchObject({ status: 'failed', channel: 'sms', recipient: victim.phone });
    return { victim, id: message.id };
  }

  it('sends-a-failed-text-again-through-notify-and-marks-it-delivered-on-its-receipt-with-who-did-it-on-the-case', async () => {
    const { victim, id } = await failedText();
    expect(notifiedAbout(id)).toHaveLength(1);

    const response = await sendAgain(supervisor, id);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<{ message: unknown }>().message).toMatchObject({ id, status: 'pending', channel: 'sms', lastError: null });
    await app.runner?.runDue();

    const sent = notifiedAbout(id);
    expect(sent).toHaveLength(2);
    expect(JSON.parse(sent[1]?.body ?? '{}')).toMatchObject({ phone_number: victim.phone, reference: id });
    const providerId = (await row(id)).provider_message_id;
    expect(await row(id)).toMatchObject({ status: 'sent', channel: 'sms', fallbacks: 1 });
    const receipt = { ...notifyFixture('delivery-receipt-delivered.json'), id: providerId, reference: id };
    expect((await postNotifyReceipt(app, CALLBACK_TOKEN, receipt)).statusCode).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'delivered' });

    const events = await outboxEvents(app, app.demoForceId, id);
    expect(events.map((e) => e.type)).toEqual(['outbox.failed', 'outbox.sent_again', 'outbox.sent', 'outbox.delivered']);
    expect(events[1]).toEqual({ type: 'outbox.sent_again', actor: 'staff', data: expect.objectContaining({ caseId: victim.caseId, channel: 'sms', channels: ['sms'], step: 1, notBefore: null }) });
    const seen = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}`, headers: investigator.headers });
    const timeline = seen.json<{ case: { timeline: { type: string; actor: string }[] } }>().case.timeline;
    expect(timeline).toContainEqual(expect.objectContaining({ type: 'outbox.sent_again', actor: 'staff' }));
    // What the machinery did on its own stays on the case's messages, not its timeline.
    expect(timeline.map((e) => e.type)).not.toContain('outbox.sent');
  });

  it('sends-once-when-the-button-is-pressed-twice-or-by-two-people-at-once', async () => {
    const { id } = await failedText();
    const answers = await Promise.all([sendAgain(supervisor, id), sendAgain(admin, id), sendAgain(supervisor, id)]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    const refusal = answers.find((a) => a.statusCode === 409);
    expect(refusal?.json<{ error: { message: string } }>().error.message).toContain('waiting to be sent');
    await app.runner?.runDue();
    expect(notifiedAbout(id)).toHaveLength(2);
    expect((await outboxEvents(app, app.demoForceId, id)).filter((e) => e.type === 'outbox.sent_again')).toHaveLength(1);
  });

  it('honours-the-victims-preferences-address-and-safe-time-as-they-are-now', async () => {
    const { victim, id } = await failedText();
    // Since it failed: never by text, a new email address, and a safe time this evening only.
    await setPreferences(app, investigator, victim.caseId, victim.victimId, {
      channels: ['sms', 'email'],
      neverSms: true,
      safeWindows: [{ days: ['mon'], from: '18:00', to: '20:00' }],
    });
    const casePerson = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('case_people').select('id').where('case_id', '=', victim.caseId).where('role', '=', 'victim').executeTakeFirstOrThrow(),
    );
    const changed = await app.inject({ method: 'PATCH', url: `/api/cases/${victim.caseId}/people/${casePerson.id}`, headers: investigator.headers, payload: { email: 'rhian.new@example.org' } });
    expect(changed.statusCode, changed.body).toBe(200);

    const response = await sendAgain(admin, id);
    expect(response.statusCode, response.body).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'pending', channel: 'email', recipient: 'rhian.new@example.org', alternatives: [] });
    expect((await row(id)).not_before?.toISOString()).toBe('2026-03-02T18:00:00.000Z');
    const before = smtp.received.length;
    await app.runner?.runDue();
    expect(smtp.received.length).toBe(before);
    expect(notifiedAbout(id)).toHaveLength(1);

    clock.set(new Date('2026-03-02T18:00:00Z'));
    await app.runner?.runDue();
    const mails = smtp.received.filter((m) => m.to.includes('rhian.new@example.org'));
    expect(mails).toHaveLength(1);
    // A Message-ID of its own: a mail system that has seen the first one's would drop it.
    expect(mails[0]?.raw).toContain(`Message-ID: <${id}.1@bluelamp.outbox>`);
    expect(await row(id)).toMatchObject({ status: 'sent', channel: 'email' });
    expect(notifiedAbout(id)).toHaveLength(1);
  });

  it('refuses-when-no-channel-the-victim-allows-now-can-take-it-or-they-are-no-longer-a-victim', async () => {
    const { victim, id } = await failedText();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email'], neverSms: true, optOutNonStatutory: true });
    // The arrest is statutory: an opt-out of other updates does not stop it; never by SMS does stop texts.
    const email = await sendAgain(supervisor, id);
    expect(email.statusCode, email.body).toBe(200);
    await app.runner?.runDue();
    expect(await row(id)).toMatchObject({ status: 'sent', channel: 'email', recipient: victim.email });
    expect(notifiedAbout(id)).toHaveLength(1);

    const other = await failedText();
    const casePerson = await withForce(app.database.db, app.demoForceId, (tx) =>
      tx.selectFrom('case_people').select('id').where('case_id', '=', other.victim.caseId).where('role', '=', 'victim').executeTakeFirstOrThrow(),
    );
    const removed = await app.inject({ method: 'DELETE', url: `/api/cases/${other.victim.caseId}/people/${casePerson.id}`, headers: investigator.headers });
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    const refused = await sendAgain(supervisor, other.id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toContain('no longer a victim on the case');
    expect(await row(other.id)).toMatchObject({ status: 'failed' });
  });

  it('puts-it-in-the-portal-inbox-for-a-victim-who-now-allows-only-the-portal', async () => {
    const { victim, id } = await failedText();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['portal'], portalOnly: true });
    const response = await sendAgain(supervisor, id);
    expect(response.statusCode, response.body).toBe(200);
    await app.runner?.runDue();
    expect(await row(id)).toMatchObject({ status: 'delivered', channel: 'portal', recipient: victim.reference });
    expect(notifiedAbout(id)).toHaveLength(1);
  });

  it('refuses-a-message-that-has-not-failed-with-409-and-the-reason', async () => {
    const forceId = app.demoForceId;
    const text = { channel: 'sms' as const, recipient: '+447700900451', subject: '', body: 'Your case has been allocated.' };
    const sent = await queueWithDelivery(app, forceId, [text]);
    const delivered = await queueWithDelivery(app, forceId, [{ channel: 'portal', recipient: 'CASE-1', subject: 'Update', body: 'An update.' }]);
    const held = await queueWithDelivery(app, forceId, [{ channel: 'letter', recipient: '4 Bridge Street', subject: 'Update', body: 'An update.' }]);
    const pending = await queueWithDelivery(app, forceId, [text], { notBefore: new Date(clock.now().getTime() + 86_400_000) });
    const { caseId } = await reportedCase(app, handler);
    const withdrawn = await queueWithDelivery(app, forceId, [text], { caseId, notBefore: new Date(clock.now().getTime() + 86_400_000) });
    await app.runner?.runDue();
    const key = (await row(withdrawn)).idempotency_key;
    await withForce(app.database.db, forceId, (tx) => withdrawQueuedMessages(tx, forceId, app.deps.clock, { type: 'system', id: null }, { caseId, purpose: 'journey.test', keyPrefixes: [key] }, 'appointment cancelled'));

    const expected: [string, string, string][] = [
      [sent, 'sent', 'a provider took it'],
      [delivered, 'delivered', 'it was delivered'],
      [held, 'held', 'letter: print queue'],
      [pending, 'pending', 'waiting to be sent'],
      [withdrawn, 'suppressed', 'withdrawn'],
    ];
    for (const [id, status, reason] of expected) {
      expect((await row(id)).status).toBe(status);
      const refused = await sendAgain(supervisor, id);
      expect(refused.statusCode, `${status}: ${refused.body}`).toBe(409);
      expect(refused.json<{ error: { message: string } }>().error.message).toContain(reason);
      expect((await row(id)).status).toBe(status);
    }
  });

  it('sends-any-other-failed-message-again-on-the-channels-it-was-written-for', async () => {
    notify.respondWith(400, refusedForGood);
    const id = await queueWithDelivery(app, app.demoForceId, [{ channel: 'sms', recipient: '+447700900452', subject: '', body: 'We have your report.' }]);
    await app.runner?.runDue();
    notify.respondWith(201, accepted);
    expect(await row(id)).toMatchObject({ status: 'failed', channel: 'sms' });

    expect((await sendAgain(supervisor, id)).statusCode).toBe(200);
    await app.runner?.runDue();
    expect(await row(id)).toMatchObject({ status: 'sent', channel: 'sms', recipient: '+447700900452', fallbacks: 1 });
    expect(notifiedAbout(id)).toHaveLength(2);
  });

  it('refuses-a-one-time-code', async () => {
    notify.respondWith(400, refusedForGood);
    const id = await queueWithDelivery(app, app.demoForceId, [{ channel: 'sms', recipient: '+447700900453', subject: '', body: 'Your code is 123456' }]);
    await withForce(app.database.db, app.demoForceId, (tx) => tx.updateTable('outbox').set({ purpose: 'portal.access_code' }).where('id', '=', id).execute());
    await app.runner?.runDue();
    notify.respondWith(201, accepted);
    expect((await row(id)).status).toBe('failed');
    const refused = await sendAgain(supervisor, id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toContain('ask for a new code');
  });

  it('refuses-staff-whose-role-may-not-send-again-with-403', async () => {
    const { id } = await failedText();
    expect((await sendAgain(investigator, id)).statusCode).toBe(403);
    expect((await sendAgain(handler, id)).statusCode).toBe(403);
    expect(await row(id)).toMatchObject({ status: 'failed' });
  });

  it('hides-another-forces-message-and-an-unknown-id-with-404', async () => {
    const { id } = await failedText();
    const other = await createOtherForce(app, ['force_admin']);
    const stranger = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    expect((await sendAgain(stranger, id)).statusCode).toBe(404);
    expect((await sendAgain(supervisor, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await sendAgain(supervisor, 'not-an-id')).statusCode).toBe(400);
    expect(await row(id)).toMatchObject({ status: 'failed' });
  });

  // Last: it connects a Twilio number to the force, which the others do not want.
  it('passes-over-a-number-that-replied-stop-since-it-failed', async () => {
    const { victim, id } = await failedText();
    await connectDemoNumber(app, { apiBaseUrl: notify.url, statusCallbackUrl: null });
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMagain1', SmsSid: 'SMagain1', SmsMessageSid: 'SMagain1', From: victim.phone, Body: 'STOP' });
    const stop = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(stop.statusCode).toBe(200);
    await app.runner?.runDue();
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email'] });

    expect((await sendAgain(supervisor, id)).statusCode).toBe(200);
    expect(await row(id)).toMatchObject({ status: 'pending', channel: 'email', recipient: victim.email, alternatives: [] });
    await app.runner?.runDue();
    expect(await row(id)).toMatchObject({ status: 'sent', channel: 'email' });
    expect(notifiedAbout(id)).toHaveLength(1);
  });
});
