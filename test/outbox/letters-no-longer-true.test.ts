import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads, type Session } from '../journeys/journey-kit.ts';
import { listenForSockets, openLiveSocket } from '../live-socket.ts';
import { createForceWithCase } from './outbox-kit.ts';

// A letter waits in the print queue for a member of staff. Like a message any other channel
// carries when it goes (decision 0117), it is asked when it would go (printed) whether what it
// tells still stands: a letter reminding of an appointment since moved or cancelled, whose
// withdrawal has not run yet or was given up, is not printed as if nothing had happened. The print
// queue hears of the change as it is recorded, before the withdrawal runs (decision 0156).

const CHANGED = 'the appointment was changed; a reminder of the new time replaces this one';
const CANCELLED = 'the appointment was cancelled';
/** The victim's postal address, and the letter's address block written from it (decision 0136). */
const POSTAL = { postal_lines: ['4 Bridge Street'], postal_town: 'Demoton', postal_postcode: 'DE1 1AA' };
const ADDRESS = '4 Bridge Street\nDEMOTON\nDE1 1AA';

type Letter = { id: string; doNotPrint: string | null };
type Refusal = { error: { code: string; message: string } };

describe('a letter no longer true is not printed', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const { inForce, eventsOf, reminders, shownReminders, giveUpWithdrawal } = reminderReads(() => app, 'journey:appointment.reminder');
  const printQueue = async () => {
    const response = await app.inject({ method: 'GET', url: '/api/outbox/letters', headers: investigator.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ letters: Letter[] }>().letters;
  };
  const print = (id: string) => app.inject({ method: 'POST', url: `/api/outbox/letters/${id}/printed`, headers: investigator.headers });

  /**
   * A victim whose reminder of an appointment on 10 May is a letter in the print queue: the
   * journey queued it for the day before; it is written to the victim's postal address (no
   * journey writes letters yet, so the row is turned into one) and its delivery held it for print.
   */
  const reminderLetter = async () => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    const victim = await portalOnlyVictim(app);
    investigator = victim.investigator;
    await milestone(app, investigator, victim.caseId, { type: 'appointment_made', at: '2026-05-10T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    const [reminder] = await reminders(victim.caseId);
    if (!reminder) throw new Error('no reminder queued');
    await inForce(async (tx) => {
      const { idempotency_key: key } = await tx.selectFrom('outbox').select('idempotency_key').where('id', '=', reminder.id).executeTakeFirstOrThrow();
      // Its victim's address is the one it carries: a letter to an address changed since is not posted.
      await tx.updateTable('case_people').set(POSTAL).where('id', '=', key.slice(key.lastIndexOf(':') + 1)).execute();
      await tx.updateTable('outbox').set({ channel: 'letter', recipient: ADDRESS }).where('id', '=', reminder.id).execute();
    });
    clock.set(new Date('2026-05-09T11:00:00Z'));
    await app.runner?.runDue();
    // Days on, the morning's session has ended: the investigator signs in again.
    investigator = await signIn(app, 'investigator@demo.police.uk');
    expect(await reminders(victim.caseId).then((rows) => rows.map((r) => [r.status, r.last_error]))).toEqual([['held', 'letter: print queue']]);
    return { ...victim, letterId: reminder.id };
  };

  it('refuses-to-print-a-reminder-letter-of-a-moved-appointment-whose-withdrawal-was-given-up-and-withdraws-it-saying-why', async () => {
    const victim = await reminderLetter();
    const appointmentId = await appointmentIdOf(app, investigator, victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    await giveUpWithdrawal(victim.caseId);
    await app.runner?.runDue();

    // Staff see it in the print queue with why it must not be printed.
    expect((await printQueue()).find((l) => l.id === victim.letterId)).toMatchObject({ doNotPrint: CHANGED });

    const printed = await print(victim.letterId);
    expect(printed.statusCode, printed.body).toBe(409);
    expect(printed.json<Refusal>().error.message).toBe(`This letter must not be posted: ${CHANGED}. It has been withdrawn.`);
    const [letter] = await reminders(victim.caseId);
    expect(letter).toMatchObject({ id: victim.letterId, status: 'suppressed', last_error: CHANGED, delivered_at: null });
    expect((await eventsOf('outbox.withdrawn', victim.caseId)).map((e) => [e.subject_id, e.data.reason])).toEqual([[victim.letterId, CHANGED]]);
    expect(await eventsOf('outbox.delivered', victim.caseId).then((rows) => rows.filter((r) => r.subject_id === victim.letterId))).toEqual([]);
    expect((await printQueue()).map((l) => l.id)).not.toContain(victim.letterId);
    expect(await shownReminders(victim.caseId)).toEqual(expect.arrayContaining([['suppressed', CHANGED]]));

    // Asked again, it is no letter waiting to be printed.
    const again = await print(victim.letterId);
    expect(again.statusCode, again.body).toBe(409);
    expect(await eventsOf('outbox.withdrawn', victim.caseId)).toHaveLength(1);
  });

  it('refuses-to-print-a-reminder-letter-of-a-cancelled-appointment-whose-withdrawal-has-not-run', async () => {
    const victim = await reminderLetter();
    // The withdrawal job is queued and has not run (a busy worker, another node).
    await milestone(app, investigator, victim.caseId, { type: 'appointment_cancelled', appointmentId: await appointmentIdOf(app, investigator, victim.caseId) });
    expect((await printQueue()).find((l) => l.id === victim.letterId)).toMatchObject({ doNotPrint: CANCELLED });
    const printed = await print(victim.letterId);
    expect(printed.statusCode, printed.body).toBe(409);
    expect(printed.json<Refusal>().error.message).toContain(CANCELLED);
    expect((await reminders(victim.caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CANCELLED]]);

    // The withdrawal runs after: it finds nothing left to take back.
    await app.runner?.runDue();
    expect(await eventsOf('outbox.withdrawn', victim.caseId)).toHaveLength(1);
  });

  it('tells-the-force’s-print-queue-readers-at-once-when-a-change-of-appointment-overtakes-a-letter-and-no-one-else', async () => {
    const victim = await reminderLetter();
    const base = await listenForSockets(app);
    const other = await createForceWithCase(app);
    type Heard = { type: string; caseId?: string; change?: string };
    const reader = await openLiveSocket<Heard>(base, investigator);
    // A call handler is on the stream but may not read the print queue (no cases:read); another force's investigator may read only theirs.
    const handler = await openLiveSocket<Heard>(base, await signIn(app, 'handler@demo.police.uk'));
    const otherForce = await openLiveSocket<Heard>(base, await signIn(app, `investigator@${other.slug}.police.uk`));
    const printQueueHeard = (messages: readonly Heard[]) => messages.filter((m) => m.type === 'print_queue.changed');

    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: await appointmentIdOf(app, investigator, victim.caseId), at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    // No job has run: the letter is still held, its withdrawal waits, and the print queue already knows.
    await expect.poll(() => printQueueHeard(reader.messages), { timeout: 20_000 }).toEqual([{ type: 'print_queue.changed', caseId: victim.caseId, change: 'overtaken' }]);
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['held']);
    expect((await printQueue()).find((l) => l.id === victim.letterId)).toMatchObject({ doNotPrint: CHANGED });

    // A message every console hears, sent after: once it arrives, nothing earlier is on its way.
    for (const force of [app.demoForceId, other.forceId]) app.hub.deliver(JSON.stringify({ forceId: force, type: 'routing.changed' }));
    for (const socket of [handler, otherForce]) await expect.poll(() => socket.messages.some((m) => m.type === 'routing.changed'), { timeout: 20_000 }).toBe(true);
    expect(printQueueHeard(handler.messages)).toEqual([]);
    expect(printQueueHeard(otherForce.messages)).toEqual([]);

    // Marked printed from the page as it now is, or from an older one: refused, saying why, and withdrawn.
    const printed = await print(victim.letterId);
    expect(printed.statusCode, printed.body).toBe(409);
    expect(printed.json<Refusal>().error.message).toBe(`This letter must not be posted: ${CHANGED}. It has been withdrawn.`);
    for (const socket of [reader, handler, otherForce]) socket.close();
  });

  it('tells-the-print-queue-at-once-when-a-letter’s-victim-moves-house-or-is-removed', async () => {
    const victim = await reminderLetter();
    const heard: { type: string; caseId?: string; change?: string }[] = [];
    const stop = app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    const overtaken = () => heard.filter((m) => m.type === 'print_queue.changed' && m.caseId === victim.caseId && m.change === 'overtaken');
    const victimId = await inForce(async (tx) => {
      const { idempotency_key: key } = await tx.selectFrom('outbox').select('idempotency_key').where('id', '=', victim.letterId).executeTakeFirstOrThrow();
      return key.slice(key.lastIndexOf(':') + 1);
    });
    const moved = await app.inject({ method: 'PATCH', url: `/api/cases/${victim.caseId}/people/${victimId}`, headers: investigator.headers, payload: { postalAddress: { lines: ['9 Mill Lane'], town: 'Demoton', postcode: 'DE1 2BB' } } });
    expect(moved.statusCode, moved.body).toBe(200);
    await expect.poll(() => overtaken().length, { timeout: 20_000 }).toBe(1);
    expect((await printQueue()).find((l) => l.id === victim.letterId)?.doNotPrint).toBe('the victim’s postal address has changed since it was written');
    const removed = await app.inject({ method: 'DELETE', url: `/api/cases/${victim.caseId}/people/${victimId}`, headers: investigator.headers });
    expect(removed.statusCode, removed.body).toBeLessThan(300);
    await expect.poll(() => overtaken().length, { timeout: 20_000 }).toBe(2);
    stop();
  });

  it('tells-no-print-queue-of-a-milestone-or-a-move-of-house-on-a-case-with-no-letter-waiting', async () => {
    const victim = await reminderLetter();
    // Another case of the force, its victim told in the portal: nothing of it is in the print queue.
    const portal = await portalOnlyVictim(app);
    await milestone(app, investigator, portal.caseId, { type: 'appointment_made', at: '2026-05-12T10:00:00Z', place: 'Low Road station' });
    const heard: { type: string; caseId?: string; change?: string }[] = [];
    const stop = app.hub.subscribe(app.demoForceId, (message) => heard.push(message));
    const printQueueHeard = () => heard.filter((m) => m.type === 'print_queue.changed');

    // Its appointment moved and its victim moved house: each would overtake a letter, had it one (decision 0159).
    await milestone(app, investigator, portal.caseId, { type: 'appointment_changed', appointmentId: await appointmentIdOf(app, investigator, portal.caseId), at: '2026-05-13T10:00:00Z', place: 'Low Road station' });
    const onCase = await inForce((tx) => tx.selectFrom('case_people').select('id').where('case_id', '=', portal.caseId).where('role', '=', 'victim').executeTakeFirstOrThrow());
    const moved = await app.inject({ method: 'PATCH', url: `/api/cases/${portal.caseId}/people/${onCase.id}`, headers: investigator.headers, payload: { postalAddress: { lines: ['9 Mill Lane'], town: 'Demoton', postcode: 'DE1 2BB' } } });
    expect(moved.statusCode, moved.body).toBe(200);
    // Then the letter's own case: its message comes after theirs would have, so once it is heard none of theirs is on its way.
    await milestone(app, investigator, victim.caseId, { type: 'appointment_changed', appointmentId: await appointmentIdOf(app, investigator, victim.caseId), at: '2026-05-12T14:00:00Z', place: 'Low Road station' });
    await expect.poll(() => printQueueHeard().length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(printQueueHeard()).toEqual([{ type: 'print_queue.changed', caseId: victim.caseId, change: 'overtaken' }]);
    stop();
  });

  it('prints-a-reminder-letter-still-true', async () => {
    const victim = await reminderLetter();
    expect((await printQueue()).find((l) => l.id === victim.letterId)).toMatchObject({ doNotPrint: null });
    const printed = await print(victim.letterId);
    expect(printed.statusCode, printed.body).toBe(204);
    expect((await reminders(victim.caseId)).map((r) => r.status)).toEqual(['delivered']);
    expect((await eventsOf('outbox.delivered', victim.caseId)).filter((e) => e.subject_id === victim.letterId).map((e) => e.data.proof)).toEqual(['printed']);
    expect((await printQueue()).map((l) => l.id)).not.toContain(victim.letterId);
  });
});
