import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, mailText, startSmtpServer, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import {
  API_KEY,
  EMAIL_TEMPLATE_ID,
  SERVICE_ID,
  SMS_TEMPLATE_ID,
  connectNotify,
  connectTwilio,
  createForceWithCase,
  notifyFixture,
  outboxEvents,
  outboxRow,
  postNotifyReceipt,
  queueWithDelivery,
  verifyNotifyToken,
} from './outbox-kit.ts';

// Delivery of victims' messages through GOV.UK Notify, against a local server that answers as
// Notify's API documents (POST /v2/notifications/sms and /email, a JWT bearer, a 201 with the
// notification's id), with Notify's delivery receipts posted to the status webhook, and the
// fallback from a channel that fails for good to the next one the person allows.

const CALLBACK_TOKEN = 'journeys-notify-callback-token';
const NOTIFICATION_ID = '9d0a1c2e-0000-4000-8000-000000000001';

describe('outbox delivery through GOV.UK Notify', () => {
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let forceId: ForceId;
  let caseId: string;
  const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));

  beforeAll(async () => {
    notify = await startStandIn();
    smtp = await startSmtpServer();
    app = await createTestApp({ env: { SMTP_URL: smtp.url, MAIL_FROM: 'Demo-like Constabulary <updates@police.example>' }, overrides: { clock } });
    ({ forceId, caseId } = await createForceWithCase(app));
    await connectNotify(app, forceId, notify.url, CALLBACK_TOKEN);
    // The case's own journey messages (if any) go first, so each test sees only its own requests.
    notify.respondWith(201, (n: number) => ({ ...notifyFixture('notification-created.json'), id: `9d0a1c2e-0000-4000-8000-1000000000${String(n).padStart(2, '0')}` }));
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
    await smtp.close();
  });

  it('sends a text through the Notify API with a signed token and the outbox id as reference, and keeps Notify’s id', async () => {
    notify.requests.length = 0;
    notify.respondWith(201, { ...notifyFixture('notification-created.json'), id: NOTIFICATION_ID });
    const id = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900321', subject: '', body: 'Your case has been allocated to PC Jones.' }], { caseId });
    await app.runner?.runDue();

    expect(notify.requests).toHaveLength(1);
    const request = notify.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v2/notifications/sms');
    expect(verifyNotifyToken(request?.headers.authorization).iss).toBe(SERVICE_ID);
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      template_id: SMS_TEMPLATE_ID,
      phone_number: '+447700900321',
      personalisation: { body: 'Your case has been allocated to PC Jones.' },
      reference: id,
    });
    const row = await outboxRow(app, forceId, id);
    expect(row).toMatchObject({ status: 'sent', channel: 'sms', provider_message_id: NOTIFICATION_ID });
    expect(row.sent_at?.toISOString()).toBe(clock.now().toISOString());
    expect(await outboxEvents(app, forceId, id)).toEqual([
      expect.objectContaining({ type: 'outbox.sent', data: expect.objectContaining({ caseId, channel: 'sms', provider: 'notify', providerMessageId: NOTIFICATION_ID }) }),
    ]);
  });

  it('marks the text delivered when Notify’s delivery receipt says so, on the case’s timeline', async () => {
    const id = (await outboxRowByProviderId(NOTIFICATION_ID)).id;
    clock.advance(9_000);
    const receipt = { ...notifyFixture('delivery-receipt-delivered.json'), id: NOTIFICATION_ID, reference: id };
    expect((await postNotifyReceipt(app, CALLBACK_TOKEN, receipt)).statusCode).toBe(200);
    const row = await outboxRow(app, forceId, id);
    expect(row.status).toBe('delivered');
    expect(row.delivered_at?.toISOString()).toBe(clock.now().toISOString());
    const events = await outboxEvents(app, forceId, id);
    expect(events.at(-1)).toEqual(expect.objectContaining({ type: 'outbox.delivered', data: expect.objectContaining({ caseId, proof: 'receipt', providerMessageId: NOTIFICATION_ID }) }));
    // Notify retries a callback it thinks failed: the second changes nothing.
    expect((await postNotifyReceipt(app, CALLBACK_TOKEN, receipt)).statusCode).toBe(200);
    expect(await outboxEvents(app, forceId, id)).toHaveLength(events.length);
  });

  it('falls back to email by SMTP when Notify refuses the text for good (400), then fails when no channel is left', async () => {
    notify.requests.length = 0;
    notify.respondWith(400, notifyFixture('error-400.json'));
    const id = await queueWithDelivery(
      app,
      forceId,
      [
        { channel: 'sms', recipient: '+447700900322', subject: '', body: 'Text: a suspect has been arrested.' },
        { channel: 'email', recipient: 'victim@example.org', subject: 'Update on your case', body: 'Email: a suspect has been arrested.' },
      ],
      { caseId },
    );
    await app.runner?.runDue();

    expect(notify.requests.map((r) => r.url)).toEqual(['/v2/notifications/sms']);
    const mail = smtp.received.find((m) => m.to.includes('victim@example.org'));
    expect(mailText(mail?.raw ?? '')).toContain('Email: a suspect has been arrested.');
    const row = await outboxRow(app, forceId, id);
    expect(row).toMatchObject({ status: 'sent', channel: 'email', recipient: 'victim@example.org', fallbacks: 1, alternatives: [] });
    const events = await outboxEvents(app, forceId, id);
    expect(events.map((e) => e.type)).toEqual(['outbox.fell_back', 'outbox.sent']);
    expect(events[0]?.data).toMatchObject({ caseId, from: 'sms', to: 'email', step: 1 });
    expect(events[0]?.data.reason).toEqual(expect.stringContaining('Notify answered 400: BadRequestError'));
    expect(events[1]?.data).toMatchObject({ caseId, channel: 'email', provider: 'smtp' });

    const alone = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900323', subject: '', body: 'Only by text.' }], { caseId });
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, alone)).toMatchObject({ status: 'failed', channel: 'sms' });
    expect((await outboxEvents(app, forceId, alone)).map((e) => [e.type, e.data.caseId])).toEqual([['outbox.failed', caseId]]);
  });

  it('retries a text Notify could not take for now (500) without falling back', async () => {
    notify.requests.length = 0;
    notify.respondWith(500, { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] });
    const id = await queueWithDelivery(app, forceId, [
      { channel: 'sms', recipient: '+447700900324', subject: '', body: 'Retry me.' },
      { channel: 'portal', recipient: caseId, subject: 'Update', body: 'Retry me.' },
    ]);
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'pending', channel: 'sms', attempts: 1 });
    notify.respondWith(201, { ...notifyFixture('notification-created.json'), id: '9d0a1c2e-0000-4000-8000-000000000004' });
    clock.advance(60_000);
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'sent', channel: 'sms', fallbacks: 0 });
    expect(notify.requests).toHaveLength(2);
  });

  it('sends a text once when Notify answers with an id that cannot be stored, and records it sent without that id', async () => {
    notify.requests.length = 0;
    // A NUL character: valid JSON, refused by PostgreSQL in text and jsonb alike.
    notify.respondWith(201, { ...notifyFixture('notification-created.json'), id: '9d0a1c2e-0000\u0000-4000' });
    const id = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900325', subject: '', body: 'Once only.' }], { caseId });
    await app.runner?.runDue();
    for (let retry = 0; retry < 6; retry += 1) {
      clock.advance(30 * 60_000);
      await app.runner?.runDue();
    }
    expect(notify.requests).toHaveLength(1);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'sent', channel: 'sms', provider_message_id: null });
    expect(await outboxEvents(app, forceId, id)).toEqual([
      expect.objectContaining({ type: 'outbox.sent', data: expect.objectContaining({ provider: 'notify', providerMessageId: null }) }),
    ]);
  });

  it('falls back to the portal inbox when Notify reports a permanent failure, and ignores the old channel’s late receipts', async () => {
    const providerId = '9d0a1c2e-0000-4000-8000-000000000005';
    notify.respondWith(201, { ...notifyFixture('notification-created.json'), id: providerId });
    const id = await queueWithDelivery(
      app,
      forceId,
      [
        { channel: 'sms', recipient: '+447700900325', subject: '', body: 'Text: court date set.' },
        { channel: 'portal', recipient: caseId, subject: 'Court date set', body: 'Portal: court date set.' },
      ],
      { caseId },
    );
    await app.runner?.runDue();
    const failure = { ...notifyFixture('delivery-receipt-permanent-failure.json'), id: providerId, reference: id };
    expect((await postNotifyReceipt(app, CALLBACK_TOKEN, failure)).statusCode).toBe(200);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'pending', channel: 'portal', provider_message_id: null });
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered', channel: 'portal', body: 'Portal: court date set.' });
    const late = { ...notifyFixture('delivery-receipt-delivered.json'), id: providerId, reference: id };
    expect((await postNotifyReceipt(app, CALLBACK_TOKEN, late)).statusCode).toBe(200);
    const events = await outboxEvents(app, forceId, id);
    expect(events.map((e) => e.type)).toEqual(['outbox.sent', 'outbox.fell_back', 'outbox.delivered']);
    expect(events[1]?.data).toMatchObject({ from: 'sms', to: 'portal', reason: 'sms: permanent-failure', caseId });
    expect(events[2]?.data).toMatchObject({ proof: 'portal', caseId });
  });

  it('applies a receipt that arrives before the send is recorded once the send records Notify’s id', async () => {
    const providerId = '9d0a1c2e-0000-4000-8000-000000000006';
    const id = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900326', subject: '', body: 'Quick.' }], { caseId });
    const early = { ...notifyFixture('delivery-receipt-delivered.json'), id: providerId, reference: id };
    expect((await postNotifyReceipt(app, CALLBACK_TOKEN, early)).statusCode).toBe(200);
    notify.respondWith(201, { ...notifyFixture('notification-created.json'), id: providerId });
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered', provider_message_id: providerId });
    expect((await outboxEvents(app, forceId, id)).map((e) => e.type)).toEqual(['outbox.sent', 'outbox.delivered']);
  });

  async function outboxRowByProviderId(providerId: string) {
    const { withForce } = await import('../../src/platform/db/database.ts');
    return withForce(app.database.db, forceId, (tx) => tx.selectFrom('outbox').selectAll().where('provider_message_id', '=', providerId).executeTakeFirstOrThrow());
  }
});

describe('outbox emails through GOV.UK Notify, and texts through Twilio', () => {
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let twilio: Awaited<ReturnType<typeof startStandIn>>;

  beforeAll(async () => {
    notify = await startStandIn();
    twilio = await startStandIn();
    app = await createTestApp({ overrides: { clock: fixedClock(new Date('2026-03-02T10:00:00Z')) } });
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
    await twilio.close();
  });

  it('sends an email from the force’s journey email template and applies Notify’s email receipt', async () => {
    const { forceId, caseId } = await createForceWithCase(app);
    await connectNotify(app, forceId, notify.url, 'journeys-email-callback-token', { journeyEmailTemplateId: EMAIL_TEMPLATE_ID });
    await app.runner?.runDue();
    notify.requests.length = 0;
    const providerId = '5f3a4b2c-1d0e-4f9a-8b7c-6d5e4f3a2b1c';
    notify.respondWith(201, {
      id: providerId,
      reference: null,
      content: { subject: 'Your case', body: 'Closed.', from_email: 'updates@notifications.service.gov.uk' },
      uri: `https://api.notifications.service.gov.uk/v2/notifications/${providerId}`,
      template: { id: EMAIL_TEMPLATE_ID, version: 1, uri: 'https://api.notifications.service.gov.uk/templates/x' },
    });
    const id = await queueWithDelivery(app, forceId, [{ channel: 'email', recipient: 'hello@gov.uk', subject: 'Your case', body: 'Closed.' }], { caseId });
    await app.runner?.runDue();
    expect(notify.requests.map((r) => r.url)).toEqual(['/v2/notifications/email']);
    expect(verifyNotifyToken(notify.requests[0]?.headers.authorization).iss).toBe(API_KEY.slice(-73, -37));
    expect(JSON.parse(notify.requests[0]?.body ?? '{}')).toEqual({
      template_id: EMAIL_TEMPLATE_ID,
      email_address: 'hello@gov.uk',
      personalisation: { subject: 'Your case', body: 'Closed.' },
      reference: id,
    });
    const receipt = { ...notifyFixture('delivery-receipt-email.json'), reference: id };
    expect((await postNotifyReceipt(app, 'journeys-email-callback-token', receipt)).statusCode).toBe(200);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered', provider_message_id: providerId });
  });

  it('sends a text through the force’s Twilio number when it has no Notify service', async () => {
    const { forceId, caseId } = await createForceWithCase(app);
    await connectTwilio(app, forceId, twilio.url, '+447700900042');
    twilio.respondWith(201, { sid: 'SM00000000000000000000000000000042', status: 'queued' });
    const id = await queueWithDelivery(app, forceId, [{ channel: 'sms', recipient: '+447700900327', subject: '', body: 'By Twilio.' }], { caseId });
    await app.runner?.runDue();
    const request = twilio.requests.find((r) => r.body.includes('By+Twilio.'));
    expect(request?.url).toBe('/2010-04-01/Accounts/AC00000000000000000000000000000042/Messages.json');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toMatchObject({ To: '+447700900327', From: '+447700900042', Body: 'By Twilio.' });
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'sent', provider_message_id: 'SM00000000000000000000000000000042' });
    expect((await outboxEvents(app, forceId, id)).map((e) => [e.type, e.data.provider])).toEqual([['outbox.sent', 'twilio']]);
  });
});
