import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtherForce, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createCase } from '../../src/capabilities/cases/cases.service.ts';
import type { StaffId } from '../../src/platform/ids.ts';
import { connectNotify, notifyFixture, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';
import type { Session } from '../journeys/journey-kit.ts';

// Withdrawing a message before it goes (decision 0074): a supervisor, force admin or investigator
// who sees a wrong or unsafe message waiting stops it, with the reason; it is never sent, and the
// force's log says who withdrew it and why. A message that has gone, or is going at that moment,
// cannot be withdrawn, and the member of staff is told why.

const CALLBACK_TOKEN = 'withdraw-notify-callback-token';
let notificationIds = 0;
const accepted = () => ({ ...notifyFixture('notification-created.json'), id: `7e0a1c2e-0000-4000-8000-${String((notificationIds += 1)).padStart(12, '0')}` });
const refusedForGood = () => notifyFixture('error-400.json');
type Refusal = { error: { code: string; message: string } };

describe('withdrawing an outbox message before it goes', () => {
  let app: TestApp;
  let notify: Awaited<ReturnType<typeof startStandIn>>;
  let supervisor: Session;
  let investigator: Session;
  let admin: Session;
  let handler: Session;
  let dispatcher: Session;
  let caseId: string;
  let numbers = 0;
  const clock = fixedClock(new Date('2026-03-02T10:00:00Z'));

  beforeAll(async () => {
    notify = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    await connectNotify(app, app.demoForceId, notify.url, CALLBACK_TOKEN);
    notify.respondWith(201, accepted);
    supervisor = await signIn(app, 'supervisor@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
    admin = await signIn(app, 'admin@demo.police.uk');
    handler = await signIn(app, 'handler@demo.police.uk');
    dispatcher = await signIn(app, 'dispatch@demo.police.uk');
    // The signed-in investigator's id is a staff id.
    caseId = (await createCase(app.deps, app.demoForceId, investigator.user.id as StaffId, { summary: 'Threats by text message' })).id;
  });
  afterAll(async () => {
    await app.close();
    await notify.close();
  });

  const withdraw = (who: Session, id: string, reason: unknown = 'The victim says this number is no longer safe') =>
    app.inject({ method: 'POST', url: `/api/outbox/${id}/withdraw`, headers: who.headers, payload: { reason } });
  const row = (id: string) => outboxRow(app, app.demoForceId, id);
  const notifiedAbout = (id: string) => notify.requests.filter((r) => (JSON.parse(r.body || '{}') as { reference?: string }).reference === id);
  /** A text to the victim waiting to be sent, its delivery job due now. */
  const waitingText = () => {
    numbers += 1;
    return queueWithDelivery(app, app.demoForceId, [{ channel: 'sms', recipient: `+4477009005${String(numbers).padStart(2, '0')}`, subject: '', body: 'Your case has an update.' }], { caseId });
  };

  it('withdraws-a-waiting-text-with-the-reason-records-who-and-why-and-the-delivery-sends-nothing', async () => {
    const id = await waitingText();
    const response = await withdraw(supervisor, id, '  The victim says this number is no longer safe  ');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ message: { id, status: 'suppressed', reason: 'The victim says this number is no longer safe' } });
    expect(await row(id)).toMatchObject({ status: 'suppressed', last_error: 'The victim says this number is no longer safe' });

    await app.runner?.runDue();
    expect(notifiedAbout(id)).toHaveLength(0);
    expect(await row(id)).toMatchObject({ status: 'suppressed', sent_at: null });
    const events = await outboxEvents(app, app.demoForceId, id);
    expect(events).toEqual([
      { type: 'outbox.withdrawn', actor: 'staff', data: expect.objectContaining({ caseId, channel: 'sms', reason: 'The victim says this number is no longer safe' }) },
    ]);

    // The investigator's case screen shows it withdrawn, with the reason.
    const seen = await app.inject({ method: 'GET', url: `/api/cases/${caseId}/messages`, headers: investigator.headers });
    const message = seen.json<{ messages: { id: string; status: string; reason: string | null; sentAt: string | null }[] }>().messages.find((m) => m.id === id);
    expect(message).toMatchObject({ status: 'suppressed', reason: 'The victim says this number is no longer safe', sentAt: null });
    // And its timeline, that a member of staff did it.
    const shown = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers });
    const timeline = shown.json<{ case: { timeline: { type: string; actor: string }[] } }>().case.timeline;
    expect(timeline).toContainEqual(expect.objectContaining({ type: 'outbox.withdrawn', actor: 'staff' }));
  });

  it('lets-investigators-and-force-admins-withdraw-and-a-held-letter-leaves-the-print-queue', async () => {
    expect((await withdraw(investigator, await waitingText())).statusCode).toBe(200);
    expect((await withdraw(admin, await waitingText())).statusCode).toBe(200);

    const letter = await queueWithDelivery(app, app.demoForceId, [{ channel: 'letter', recipient: '4 Bridge Street, Demoton', subject: 'Update', body: 'An update.' }], { caseId });
    await app.runner?.runDue();
    expect(await row(letter)).toMatchObject({ status: 'held' });
    expect((await withdraw(investigator, letter, 'Wrong address: the victim has moved')).statusCode).toBe(200);
    const queue = await app.inject({ method: 'GET', url: '/api/outbox/letters', headers: investigator.headers });
    expect(queue.json<{ letters: { id: string }[] }>().letters.map((l) => l.id)).not.toContain(letter);
  });

  it('refuses-staff-whose-role-may-not-withdraw-with-403-and-leaves-the-message-waiting', async () => {
    const id = await waitingText();
    expect((await withdraw(handler, id)).statusCode).toBe(403);
    expect((await withdraw(dispatcher, id)).statusCode).toBe(403);
    expect(await row(id)).toMatchObject({ status: 'pending' });
    expect(await outboxEvents(app, app.demoForceId, id)).toEqual([]);
  });

  it('hides-another-forces-message-and-an-unknown-id-with-404', async () => {
    const id = await waitingText();
    const other = await createOtherForce(app, ['force_admin']);
    const stranger = await signIn(app, other.emails.force_admin ?? '', 'other-password');
    expect((await withdraw(stranger, id)).statusCode).toBe(404);
    expect((await withdraw(supervisor, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await withdraw(supervisor, 'not-an-id')).statusCode).toBe(400);
    expect(await row(id)).toMatchObject({ status: 'pending' });
  });

  it('rejects-a-missing-blank-or-overlong-reason-with-400-saying-why', async () => {
    const id = await waitingText();
    const noReason = await app.inject({ method: 'POST', url: `/api/outbox/${id}/withdraw`, headers: supervisor.headers, payload: {} });
    expect(noReason.statusCode).toBe(400);
    for (const reason of ['', '    ', 'x'.repeat(501), 42]) {
      const response = await withdraw(supervisor, id, reason);
      expect(response.statusCode, String(reason)).toBe(400);
      expect(response.json<Refusal>().error.message).toMatch(/reason|why|characters/);
    }
    expect((await withdraw(supervisor, id, 'x'.repeat(500))).statusCode).toBe(200);
  });

  it('refuses-a-message-sent-delivered-failed-or-withdrawn-already-with-409-and-why', async () => {
    const sent = await waitingText();
    const delivered = await queueWithDelivery(app, app.demoForceId, [{ channel: 'portal', recipient: 'CASE-1', subject: 'Update', body: 'An update.' }], { caseId });
    await app.runner?.runDue();
    notify.respondWith(400, refusedForGood);
    const failed = await waitingText();
    await app.runner?.runDue();
    notify.respondWith(201, accepted);
    const withdrawn = await waitingText();
    expect((await withdraw(supervisor, withdrawn)).statusCode).toBe(200);

    const expected: [string, string, string][] = [
      [sent, 'sent', 'it has gone, a provider took it'],
      [delivered, 'delivered', 'it was delivered'],
      [failed, 'failed', 'it has failed'],
      [withdrawn, 'suppressed', 'it was withdrawn already'],
    ];
    for (const [id, status, reason] of expected) {
      expect((await row(id)).status).toBe(status);
      const refused = await withdraw(supervisor, id);
      expect(refused.statusCode, `${status}: ${refused.body}`).toBe(409);
      expect(refused.json<Refusal>().error.message).toContain(reason);
      expect((await row(id)).status).toBe(status);
    }
    expect((await outboxEvents(app, app.demoForceId, withdrawn)).filter((e) => e.type === 'outbox.withdrawn')).toHaveLength(1);
  });

  it('refuses-while-the-delivery-job-is-sending-it-so-it-is-sent-once-and-never-also-marked-withdrawn', async () => {
    const id = await waitingText();
    const provider = notify.holdAnswers();
    const delivering = app.runner?.runDue();
    // The delivery read the message and is waiting for the provider's answer.
    await provider.arrived;
    const refused = await withdraw(supervisor, id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<Refusal>().error.message).toContain('being sent at this moment');
    provider.release();
    await delivering;

    expect(notifiedAbout(id)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'sent' });
    expect((await outboxEvents(app, app.demoForceId, id)).map((e) => e.type)).toEqual(['outbox.sent']);
  });

  it('withdraws-one-whose-send-failed-and-waits-to-be-tried-again-and-the-retry-sends-nothing', async () => {
    notify.respondWith(500, { status_code: 500, errors: [{ error: 'Exception', message: 'Internal server error' }] });
    const id = await waitingText();
    await app.runner?.runDue();
    notify.respondWith(201, accepted);
    expect(await row(id)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(notifiedAbout(id)).toHaveLength(1);

    expect((await withdraw(supervisor, id)).statusCode).toBe(200);
    clock.set(new Date(clock.now().getTime() + 3_600_000));
    await app.runner?.runDue();
    expect(notifiedAbout(id)).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'suppressed' });
  });
});
