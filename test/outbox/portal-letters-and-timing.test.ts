import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { listPortalMessages } from '../../src/capabilities/outbox/outbox.service.ts';
import { createForceWithCase, outboxEvents, outboxRow, queueWithDelivery } from './outbox-kit.ts';

// The channels no provider carries (the victim's portal inbox, letters staff print), and a
// message held back until the time it may go (a journey's delay, the start of a safe time).

describe('portal messages, letters and not-before times', () => {
  let app: TestApp;
  let forceId: ForceId;
  let caseId: string;
  let slug: string;
  const clock = fixedClock(new Date('2026-03-02T21:30:00Z'));

  beforeAll(async () => {
    // No mail server and no text provider: nothing here may need one.
    app = await createTestApp({ overrides: { clock, mailer: null } });
    ({ forceId, caseId, slug } = await createForceWithCase(app));
    await app.runner?.runDue();
  });
  afterAll(async () => {
    await app.close();
  });

  it('delivers a portal message the moment it is stored', async () => {
    const id = await queueWithDelivery(app, forceId, [{ channel: 'portal', recipient: caseId, subject: 'Case allocated', body: 'PC Jones is looking into your report.' }], { caseId });
    await app.runner?.runDue();
    const row = await outboxRow(app, forceId, id);
    expect(row).toMatchObject({ status: 'delivered', channel: 'portal' });
    expect(row.delivered_at?.toISOString()).toBe(clock.now().toISOString());
    expect(await outboxEvents(app, forceId, id)).toEqual([
      expect.objectContaining({ type: 'outbox.delivered', data: expect.objectContaining({ caseId, channel: 'portal', proof: 'portal' }) }),
    ]);
  });

  it('holds a message until its not-before time, whenever its job runs', async () => {
    const notBefore = new Date('2026-03-03T08:00:00Z');
    // Its job was created to run now (a caller that did not pass runAt): it defers itself.
    const id = await queueWithDelivery(app, forceId, [{ channel: 'portal', recipient: caseId, subject: 'Suspect charged', body: 'Sent in the morning.' }], { caseId, notBefore });
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'pending', delivered_at: null });
    expect(await outboxEvents(app, forceId, id)).toEqual([
      expect.objectContaining({ type: 'outbox.deferred', data: expect.objectContaining({ caseId, until: notBefore.toISOString() }) }),
    ]);

    clock.set(new Date('2026-03-03T07:59:59Z'));
    await app.runner?.runDue();
    expect((await outboxRow(app, forceId, id)).status).toBe('pending');

    clock.set(notBefore);
    await app.runner?.runDue();
    const row = await outboxRow(app, forceId, id);
    expect(row.status).toBe('delivered');
    expect(row.delivered_at?.toISOString()).toBe(notBefore.toISOString());
    expect((await outboxEvents(app, forceId, id)).map((e) => e.type)).toEqual(['outbox.deferred', 'outbox.delivered']);
  });

  it('lists a case’s delivered portal messages for its inbox, newest first', async () => {
    const inbox = await withForce(app.database.db, forceId, (tx) => listPortalMessages(tx, forceId, caseId));
    expect(inbox.map((m) => m.body)).toEqual(['Sent in the morning.', 'PC Jones is looking into your report.']);
    const otherCase = await createForceWithCase(app);
    expect(await withForce(app.database.db, otherCase.forceId, (tx) => listPortalMessages(tx, otherCase.forceId, caseId))).toEqual([]);
  });

  it('honours a delivery job created with runAt at the not-before time', async () => {
    const notBefore = new Date(clock.now().getTime() + 2 * 60 * 60 * 1000);
    const id = await queueWithDelivery(app, forceId, [{ channel: 'portal', recipient: caseId, subject: 'Later', body: 'Two hours later.' }], { caseId, notBefore, runAt: notBefore });
    await app.runner?.runDue();
    expect((await outboxRow(app, forceId, id)).status).toBe('pending');
    clock.set(notBefore);
    await app.runner?.runDue();
    expect((await outboxRow(app, forceId, id)).status).toBe('delivered');
    expect((await outboxEvents(app, forceId, id)).map((e) => e.type)).toEqual(['outbox.delivered']);
  });

  it('puts a letter in the print queue, and delivers it when staff mark it printed', async () => {
    const address = 'A. Victim\n1 High Street\nAnytown\nAB1 2CD';
    const id = await queueWithDelivery(app, forceId, [{ channel: 'letter', recipient: address, subject: 'Your case is closed', body: 'Dear A. Victim, …' }], { caseId });
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'held', last_error: 'letter: print queue' });
    expect((await outboxEvents(app, forceId, id)).map((e) => [e.type, e.data.reason, e.data.caseId])).toEqual([['outbox.held', 'letter: print queue', caseId]]);

    const investigator = await signIn(app, `investigator@${slug}.police.uk`);
    const queue = await app.inject({ method: 'GET', url: '/api/outbox/letters', headers: investigator.headers });
    expect(queue.statusCode).toBe(200);
    expect(queue.json<{ letters: { id: string; recipient: string; caseId: string }[] }>().letters).toEqual([
      expect.objectContaining({ id, recipient: address, caseId }),
    ]);

    const printed = await app.inject({ method: 'POST', url: `/api/outbox/letters/${id}/printed`, headers: investigator.headers });
    expect(printed.statusCode).toBe(204);
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered' });
    const events = await outboxEvents(app, forceId, id);
    expect(events.at(-1)).toEqual({ type: 'outbox.delivered', actor: 'staff', data: expect.objectContaining({ proof: 'printed', caseId }) });
    const left = await app.inject({ method: 'GET', url: '/api/outbox/letters', headers: investigator.headers });
    expect(left.json<{ letters: unknown[] }>().letters).toEqual([]);
  });

  it('refuses-to-mark-printed-twice-or-a-message-that-is-not-a-letter', async () => {
    const investigator = await signIn(app, `investigator@${slug}.police.uk`);
    const letter = await queueWithDelivery(app, forceId, [{ channel: 'letter', recipient: 'B. Victim\n2 High Street', subject: 'Update', body: 'Dear B. Victim' }], { caseId });
    const portal = await queueWithDelivery(app, forceId, [{ channel: 'portal', recipient: caseId, subject: 'Update', body: 'Hello' }], { caseId });
    await app.runner?.runDue();
    expect((await app.inject({ method: 'POST', url: `/api/outbox/letters/${letter}/printed`, headers: investigator.headers })).statusCode).toBe(204);
    expect((await app.inject({ method: 'POST', url: `/api/outbox/letters/${letter}/printed`, headers: investigator.headers })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: `/api/outbox/letters/${portal}/printed`, headers: investigator.headers })).statusCode).toBe(404);
    // Another force's staff cannot see or mark this force's letters.
    const other = await signIn(app, 'investigator@demo.police.uk');
    const another = await queueWithDelivery(app, forceId, [{ channel: 'letter', recipient: 'C. Victim', subject: 'Update', body: 'Dear C. Victim' }], { caseId });
    await app.runner?.runDue();
    expect((await app.inject({ method: 'POST', url: `/api/outbox/letters/${another}/printed`, headers: other.headers })).statusCode).toBe(404);
    // A call handler does not print victims' letters.
    const handler = await signIn(app, `handler@${slug}.police.uk`);
    expect((await app.inject({ method: 'POST', url: `/api/outbox/letters/${another}/printed`, headers: handler.headers })).statusCode).toBe(403);
  });

  it('falls back from a channel nothing can carry, and holds the message when it was the only one', async () => {
    const id = await queueWithDelivery(
      app,
      forceId,
      [
        { channel: 'sms', recipient: '+447700900400', subject: '', body: 'Text' },
        { channel: 'portal', recipient: caseId, subject: 'Update', body: 'Portal' },
      ],
      { caseId },
    );
    const only = await queueWithDelivery(app, forceId, [{ channel: 'email', recipient: 'victim@example.org', subject: 'Update', body: 'Email' }], { caseId });
    await app.runner?.runDue();
    expect(await outboxRow(app, forceId, id)).toMatchObject({ status: 'delivered', channel: 'portal', fallbacks: 1 });
    const fellBack = (await outboxEvents(app, forceId, id))[0];
    expect(fellBack).toEqual(expect.objectContaining({ type: 'outbox.fell_back', data: expect.objectContaining({ from: 'sms', to: 'portal' }) }));
    expect(fellBack?.data.reason).toEqual(expect.stringContaining('no text message provider'));
    expect(await outboxRow(app, forceId, only)).toMatchObject({ status: 'held', last_error: 'no outbound mail server is configured (SMTP_URL)' });
  });
});
