import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { FORM, PUBLIC_URL, connectDemoNumber, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { journeyEventsOf, milestone, reportedCase, setPreferences, type Session } from './journey-kit.ts';

// A victim whose number replied STOP to the force's texts is not texted by a journey: SMS is a
// suppressed channel, with the reason, and the message goes by their next channel.

describe('journeys and a number that replied STOP', () => {
  let app: TestApp;
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  let handler: Session;
  let investigator: Session;
  let texts = 0;

  beforeAll(async () => {
    standIn = await startStandIn();
    app = await createTestApp({ env: { PUBLIC_URL } });
    await connectDemoNumber(app, { apiBaseUrl: standIn.url, statusCallbackUrl: null });
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await standIn.close();
  });

  const textUs = async (from: string, body: string) => {
    texts += 1;
    const sid = `SMjourney${texts}`;
    const form = withParams(fixture('inbound-sms.form'), { MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, From: from, Body: body });
    const response = await app.inject({ method: 'POST', url: '/webhooks/twilio/sms', headers: { 'content-type': FORM, 'x-twilio-signature': sign('/webhooks/twilio/sms', form) }, payload: form });
    expect(response.statusCode).toBe(200);
  };
  const arrestNews = async (caseId: string) => (await journeyEventsOf(app, caseId)).filter((e) => e.data.step === 'case.suspect_arrested');

  it('suppresses-sms-for-a-victim-who-replied-stop-and-sends-by-their-next-channel', async () => {
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email', 'portal'] });
    await textUs(victim.phone, 'STOP');
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();

    const events = await arrestNews(victim.caseId);
    expect(events).toContainEqual({ type: 'journey.message_suppressed', data: expect.objectContaining({ channel: 'sms', reason: 'replied STOP to our texts' }) });
    expect(events).toContainEqual({ type: 'journey.message_queued', data: expect.objectContaining({ channel: 'email' }) });
  });

  it('texts-the-victim-again-once-they-text-start', async () => {
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email', 'portal'] });
    await textUs(victim.phone, 'STOP');
    await textUs(victim.phone, 'START');
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();

    const events = await arrestNews(victim.caseId);
    expect(events.filter((e) => e.type === 'journey.message_suppressed')).toEqual([]);
    expect(events).toContainEqual({ type: 'journey.message_queued', data: expect.objectContaining({ channel: 'sms' }) });
  });
});
