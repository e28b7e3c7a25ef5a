import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, startStandIn, type TestApp } from '../helpers.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { FORM, PUBLIC_URL, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { connectTwilio, createForceWithCase, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';
import type { StaffId } from '../../src/platform/ids.ts';
import { liftSmsOptOut, recordSmsOptOut } from '../../src/capabilities/channels/sms-opt-outs.service.ts';

// A number that replied STOP is never handed to the text provider (Twilio would refuse it with
// 21610): the text fails for good on that channel, saying why, and the next channel tells them.

describe('outbox texts to a number that replied STOP', () => {
  const OUR_NUMBER = '+447700900960';
  const STOPPED = '+447700900961';
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let forceId: ForceId;
  let caseId: string;
  let staffId: StaffId;

  beforeAll(async () => {
    standIn = await startStandIn();
    standIn.respondWith(201, (n: number) => ({ ...(JSON.parse(fixture('message-created.json')) as object), sid: `SMoutbox${String(n).padStart(26, '0')}` }));
    app = await createTestApp({ env: { PUBLIC_URL }, overrides: { mailer: null } });
    ({ forceId, caseId, staffId } = await createForceWithCase(app));
    await connectTwilio(app, forceId, standIn.url, OUR_NUMBER);
    const body = withParams(fixture('inbound-sms.form'), { MessageSid: 'SMstop961', SmsSid: 'SMstop961', SmsMessageSid: 'SMstop961', From: STOPPED, To: OUR_NUMBER, Body: 'STOP' });
    const stop = await app.inject({
      method: 'POST',
      url: '/webhooks/twilio/sms',
      headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', body, 'journeys-twilio-token') },
      payload: body,
    });
    expect(stop.statusCode).toBe(200);
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const text = (recipient: string) => ({ channel: 'sms' as const, recipient, subject: '', body: 'Your case has been allocated.' });
  const portal = () => ({ channel: 'portal' as const, recipient: caseId, subject: 'Case allocated', body: 'Your case has been allocated.' });

  it('passes-over-a-stopped-number-to-the-next-channel-without-asking-the-provider', async () => {
    const before = standIn.requests.length;
    const id = await queueWithDelivery(app, forceId, [text(STOPPED), portal()], { caseId });
    await app.runner?.runDue();
    expect(standIn.requests.slice(before)).toEqual([]);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered', channel: 'portal' });
    expect(await outboxEvents(app, forceId, id)).toContainEqual(
      expect.objectContaining({ type: 'outbox.fell_back', data: expect.objectContaining({ from: 'sms', to: 'portal', reason: 'sms: replied STOP to our texts' }) }),
    );
  });

  it('fails-a-text-to-a-stopped-number-for-good-when-no-channel-is-left', async () => {
    const before = standIn.requests.length;
    const id = await queueWithDelivery(app, forceId, [text(STOPPED)], { caseId });
    await app.runner?.runDue();
    expect(standIn.requests.slice(before)).toEqual([]);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'failed', last_error: 'sms: replied STOP to our texts' });
  });

  it('passes-over-a-number-whose-opt-out-staff-recorded-and-texts-it-once-lifted', async () => {
    const asked = '+447700900963';
    await recordSmsOptOut(app.deps, forceId, staffId, { number: asked, reason: 'Asked by phone' });
    const before = standIn.requests.length;
    const held = await queueWithDelivery(app, forceId, [text(asked), portal()], { caseId });
    await app.runner?.runDue();
    expect(standIn.requests.slice(before)).toEqual([]);
    expect(await outboxRow(app, forceId, held)).toMatchObject({ status: 'delivered', channel: 'portal' });
    expect(await outboxEvents(app, forceId, held)).toContainEqual(
      expect.objectContaining({ type: 'outbox.fell_back', data: expect.objectContaining({ from: 'sms', reason: 'sms: asked us not to text it (recorded by staff)' }) }),
    );

    await liftSmsOptOut(app.deps, forceId, staffId, { number: asked, reason: 'Recorded in error' });
    const sent = await queueWithDelivery(app, forceId, [text(asked), portal()], { caseId });
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 1);
    expect(await outboxRow(app, forceId, sent)).toMatchObject({ status: 'sent', channel: 'sms' });
  });

  it('still-texts-a-number-that-never-said-stop', async () => {
    const before = standIn.requests.length;
    const id = await queueWithDelivery(app, forceId, [text('+447700900962'), portal()], { caseId });
    await app.runner?.runDue();
    expect(standIn.requests.length).toBe(before + 1);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'sent', channel: 'sms' });
  });
});
