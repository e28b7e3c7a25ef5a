import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { connectNotify, notifyFixture } from '../outbox/outbox-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { deliveryDue, journeyEventsOf, milestone, outboxOf, reportedCase, setPreferences, type Session } from './journey-kit.ts';

// A case's milestones become its victim's messages: in their language, on their channels in their
// order, never on a channel their safe-contact preferences rule out, and not before their safe time.

describe('victim journeys', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let handler: Session;
  let investigator: Session;
  let notify: Awaited<ReturnType<typeof startStandIn>>;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    // The force's own Notify service (the demo's stand-in sends nothing), answering as Notify does.
    notify = await startStandIn();
    notify.respondWith(201, () => notifyFixture('notification-created.json'));
    await connectNotify(app, app.demoForceId, notify.url, 'journeys-notify-callback-token');
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
  });

  it('tells a Welsh victim of an arrest in Welsh, by text first as they chose, with email and the portal behind it', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await reportedCase(app, handler, 'cy');
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['sms', 'email', 'portal'] });
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested', note: 'Arrested at his home address' });
    await app.runner?.runDue();

    const arrested = (await outboxOf(app, victim.caseId)).find((m) => m.purpose === 'journey:case.suspect_arrested');
    expect(arrested).toMatchObject({ channel: 'sms', recipient: victim.phone, person_id: victim.victimId, not_before: null });
    expect(arrested?.body).toContain('rydym wedi arestio rhywun');
    expect(arrested?.body).toContain(victim.reference);
    expect(arrested?.alternatives.map((a) => a.channel)).toEqual(['email', 'portal']);
    expect(arrested?.alternatives[0]).toMatchObject({ recipient: victim.email, subject: 'Mae rhywun wedi cael ei arestio' });
    expect(arrested?.alternatives[0]?.body).toMatch(/^Annwyl Rhian Example,/);
    expect(arrested?.alternatives[1]).toMatchObject({ recipient: victim.reference });

    // The report itself was acknowledged in Welsh too, and each message is an event naming its outbox row.
    const received = (await outboxOf(app, victim.caseId)).find((m) => m.purpose === 'journey:case.report_received');
    expect(received?.body).toContain('rydym wedi cofnodi eich adroddiad');
    const queued = (await journeyEventsOf(app, victim.caseId)).filter((e) => e.type === 'journey.message_queued');
    expect(queued.map((e) => e.data.outboxId)).toContain(arrested?.id);

    // A milestone's job run again sends nothing twice.
    const before = (await outboxOf(app, victim.caseId)).length;
    await milestone(app, investigator, victim.caseId, { type: 'suspect_interviewed' });
    await app.runner?.runDue();
    expect((await outboxOf(app, victim.caseId)).length).toBe(before + 1);
  });

  it('never texts or emails a domestic-abuse victim marked portal only, and records every suppression', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, {
      channels: ['sms', 'email', 'portal'],
      portalOnly: true,
      neverSms: true,
      domesticAbuse: true,
    });
    await milestone(app, investigator, victim.caseId, { type: 'allocate', officerInCase: investigator.user.id });
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await milestone(app, investigator, victim.caseId, { type: 'bailed' });
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '16', reason: 'You told us you did not want to go further.' });
    await app.runner?.runDue();

    const sent = await outboxOf(app, victim.caseId);
    expect(sent.length).toBeGreaterThanOrEqual(6);
    expect(sent.every((m) => m.channel === 'portal' && m.alternatives.length === 0)).toBe(true);
    expect(sent.some((m) => m.recipient === victim.email || m.recipient.startsWith('+44'))).toBe(false);
    expect(sent.map((m) => m.purpose)).toEqual(expect.arrayContaining(['journey:case.suspect_arrested', 'journey:case.bailed', 'journey:case.closed.evidential_difficulties']));
    // The specific closure, not the general one as well.
    expect(sent.map((m) => m.purpose)).not.toContain('journey:case.closed');

    const suppressed = (await journeyEventsOf(app, victim.caseId)).filter((e) => e.type === 'journey.message_suppressed');
    const arrest = suppressed.filter((e) => e.data.step === 'case.suspect_arrested').map((e) => [e.data.channel, e.data.reason]);
    expect(arrest).toEqual([
      ['sms', 'portal only: SMS never used'],
      ['email', 'portal only: email never used'],
    ]);
    expect(suppressed.length).toBe(2 * sent.length);
  });

  it('holds back non-statutory updates from a victim who opted out, never the Victims’ Code ones', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await reportedCase(app, handler);
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['email'], optOutNonStatutory: true });
    await milestone(app, investigator, victim.caseId, { type: 'allocate', team: 'CID North' });
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await app.runner?.runDue();

    const purposes = (await outboxOf(app, victim.caseId)).map((m) => m.purpose);
    expect(purposes).toContain('journey:case.suspect_arrested');
    expect(purposes).not.toContain('journey:case.allocated');
    const events = await journeyEventsOf(app, victim.caseId);
    expect(events).toContainEqual({ type: 'journey.message_suppressed', data: expect.objectContaining({ step: 'case.allocated', channel: null, reason: 'opted out of non-statutory updates' }) });
  });

  it('reads and refuses preferences as it should', async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await reportedCase(app, handler);
    const url = `/api/cases/${victim.caseId}/victims/${victim.victimId}/preferences`;
    const unset = await app.inject({ method: 'GET', url, headers: investigator.headers });
    expect(unset.json<{ preferences: { isSet: boolean; channels: string[] } }>().preferences).toMatchObject({ isSet: false, channels: ['email', 'sms', 'portal', 'letter'] });
    const backwards = await app.inject({
      method: 'PUT',
      url,
      headers: investigator.headers,
      payload: { channels: ['email'], language: 'cy', safeWindows: [{ days: ['mon'], from: '17:00', to: '09:00' }], neverSms: false, portalOnly: false, optOutNonStatutory: false, domesticAbuse: false },
    });
    expect(backwards.statusCode).toBe(400);
    const stranger = await app.inject({ method: 'GET', url: `/api/cases/${victim.caseId}/victims/${victim.caseId}/preferences`, headers: investigator.headers });
    expect(stranger.statusCode).toBe(404);
    const byHandler = await app.inject({
      method: 'PUT',
      url,
      headers: handler.headers,
      payload: { channels: ['email'], language: null, safeWindows: [], neverSms: false, portalOnly: false, optOutNonStatutory: false, domesticAbuse: false },
    });
    expect(byHandler.statusCode).toBe(403);
  });

  it('waits for the delay and the victim’s safe time, on UK time', async () => {
    // Friday 15 May 2026, 19:00 UK summer time: outside weekday 09:00 to 17:00.
    clock.set(new Date('2026-05-15T18:00:00Z'));
    // Sessions from nine days ago have lapsed: sign in again, now.
    handler = await signIn(app, 'handler@demo.police.uk', undefined, '10.0.0.21');
    investigator = await signIn(app, 'investigator@demo.police.uk', undefined, '10.0.0.22');
    const victim = await reportedCase(app, handler);
    const weekdays = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }];
    await setPreferences(app, investigator, victim.caseId, victim.victimId, { channels: ['email'], safeWindows: weekdays });
    await milestone(app, investigator, victim.caseId, { type: 'suspect_arrested' });
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-20T13:30:00Z', place: 'Demoton Police Station' });
    await app.runner?.runDue();

    const sent = await outboxOf(app, victim.caseId);
    const arrested = sent.find((m) => m.purpose === 'journey:case.suspect_arrested');
    // Monday 18 May, 09:00 BST.
    const monday = new Date('2026-05-18T08:00:00Z');
    expect(arrested?.not_before).toEqual(monday);
    expect(await deliveryDue(app, arrested?.id ?? '')).toEqual(monday);
    // The reminder: a day before the appointment (Tuesday 14:30 BST), which is inside the window.
    const reminder = sent.find((m) => m.purpose === 'journey:appointment.reminder');
    expect(reminder?.not_before).toEqual(new Date('2026-05-19T13:30:00Z'));
    expect(reminder?.body).toContain('Wednesday 20 May 2026 at 14:30, at Demoton Police Station');
    // "Report received" goes after no delay, so on Monday too; victim support has an hour's delay, also Monday.
    expect(sent.find((m) => m.purpose === 'journey:victim_support.offer')?.not_before).toEqual(monday);
  });
});
