// A text failed because whether it went was unknown (decision 0163) that Twilio took after all
// (decision 0173) may still not reach the person: the carrier says "undelivered". Staff read "taken
// by the provider after all, not yet known to have reached them" for ever, though Twilio said it
// did not. Now the carrier's word is recorded once (decision 0176): the row stays failed, staff
// read that the person does not have it, and no note about two copies goes on the case. Never for
// a text that failed for a known reason; never through another force's number.
import { describe, expect, it } from 'vitest';
import { ENGINE, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { FORM, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { outboxEvents, outboxRow, queueWithDelivery, twilioForcesKit } from './outbox-kit.ts';

const LEASE_MS = 60_000;
/** Left to staff when in doubt (decision 0163): failed, not sent again. */
const AT_MOST_ONCE = 'journey:case.satisfaction_survey';
const NUMBER = '+447700900996';
const OTHER_NUMBER = '+447700900995';
/** `connectTwilio`'s auth token, which Twilio signs its callbacks with. */
const TOKEN = 'journeys-twilio-token';
/** The carrier's done date Twilio passes on (YYMMDDhhmm, UTC): 6 May 2026 at 09:03. */
const DONE_DATE = '2605060903';

type WentAfterAll = { sentAt: string | null; deliveredAt: string | null; undeliveredAt?: string | null; undeliveredReason?: string | null };
type StaffMessage = { id: string; status: string; wentAfterAll: WentAfterAll | null };

describe(`a text taken after all that did not reach the person (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const kit = twilioForcesKit({ clock, leaseMs: LEASE_MS, number: NUMBER, otherNumber: OTHER_NUMBER });
  const { texts } = kit;

  /** A text failed as outcome unknown while its first run stalled with Twilio's answer (see delivered-after-all). */
  const failAsUnknown = async (recipient: string) => {
    const { id, stalled, wake } = await texts.failAsUnknown(kit.force.forceId, kit.force.caseId, recipient, AT_MOST_ONCE);
    const sid = `SMlate${String(kit.sids).padStart(28, '0')}`;
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'failed', last_error: expect.stringContaining('outcome unknown') });
    return { id, sid, wakeStalledRun: async () => (wake(), await stalled) };
  };

  /** Posts Twilio's status callback for `sid` from `from`, as Twilio signs it. */
  const report = (sid: string, status: 'delivered' | 'undelivered', from = NUMBER) => {
    const path = '/webhooks/twilio/status';
    const base = fixture(status === 'delivered' ? 'status-delivered.form' : 'status-undelivered.form');
    const form = withParams(base, { MessageSid: sid, SmsSid: sid, From: from, RawDlrDoneDate: DONE_DATE });
    return kit.app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, form, TOKEN) }, payload: form });
  };

  const typesOf = async (id: string) => (await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type);
  const notesOf = async (id: string) =>
    (
      await withForce(kit.app.database.db, kit.force.forceId, (tx) =>
        tx.selectFrom('events').select(['type', 'data']).where('subject_type', '=', 'case').where('subject_id', '=', kit.force.caseId).where('type', 'like', 'journey.message_%').execute(),
      )
    ).filter((note) => (note.data as { outboxId?: string }).outboxId === id);
  const staffViews = async (id: string) => {
    const supervisor = await signIn(kit.app, `supervisor@${kit.force.slug}.police.uk`);
    const investigator = await signIn(kit.app, `investigator@${kit.force.slug}.police.uk`);
    const outbox = await kit.app.inject({ method: 'GET', url: '/api/outbox', headers: supervisor.headers });
    const onCase = await kit.app.inject({ method: 'GET', url: `/api/cases/${kit.force.caseId}/messages`, headers: investigator.headers });
    expect(outbox.statusCode, outbox.body).toBe(200);
    expect(onCase.statusCode, onCase.body).toBe(200);
    return {
      outbox: outbox.json<{ messages: StaffMessage[] }>().messages.find((m) => m.id === id),
      onCase: onCase.json<{ messages: StaffMessage[] }>().messages.find((m) => m.id === id),
    };
  };

  it('records-once-that-a-text-taken-after-all-was-not-delivered-and-shows-staff-they-do-not-have-it', async () => {
    const { id, sid, wakeStalledRun } = await failAsUnknown('+447700900811');
    await wakeStalledRun();
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);

    // Another force's number reports on our sid: nothing of ours changes.
    expect((await report(sid, 'undelivered', OTHER_NUMBER)).statusCode).toBe(200);
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);

    const heardAt = clock.now().toISOString();
    const undelivered = await report(sid, 'undelivered');
    expect(undelivered.statusCode, undelivered.body).toBe(200);
    const row = await outboxRow(kit.app, kit.force.forceId, id);
    expect(row).toMatchObject({ status: 'failed', delivered_after_all_at: null, undelivered_after_all_reason: expect.stringContaining('30003') });
    // The carrier's time, which Twilio passes on with an undelivered report as with a delivered one.
    expect(row.undelivered_after_all_at?.toISOString()).toBe('2026-05-06T09:03:00.000Z');
    expect(heardAt).not.toBe('2026-05-06T09:03:00.000Z');
    const events = await outboxEvents(kit.app, kit.force.forceId, id);
    expect(events.map((event) => event.type)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.undelivered_after_all']);
    expect(events[2]?.data).toMatchObject({ providerMessageId: sid, undeliveredAt: '2026-05-06T09:03:00.000Z', reason: expect.stringContaining('30003') });

    // Twilio reports again, and a stray "delivered" follows: the carrier's first final word stands, once.
    expect((await report(sid, 'undelivered')).statusCode).toBe(200);
    expect((await report(sid, 'delivered')).statusCode).toBe(200);
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.undelivered_after_all']);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ delivered_after_all_at: null });

    // The case is not told of two copies: the person has none.
    await kit.app.runner?.runDue();
    await kit.app.runner?.runDue();
    expect((await notesOf(id)).map((note) => note.type)).not.toContain('journey.message_reached_after_all');

    // Staff read, where "sent after all" is shown, that it did not reach them and why.
    const shown = { sentAt: expect.any(String), deliveredAt: null, undeliveredAt: '2026-05-06T09:03:00.000Z', undeliveredReason: expect.stringContaining('30003') };
    const { outbox, onCase } = await staffViews(id);
    expect(outbox).toMatchObject({ status: 'failed', wentAfterAll: shown });
    expect(onCase).toMatchObject({ status: 'failed', wentAfterAll: shown });
  });

  it('applies-an-undelivered-report-that-came-while-the-stopped-run-slept-when-it-wakes', async () => {
    const { id, sid, wakeStalledRun } = await failAsUnknown('+447700900812');
    expect((await report(sid, 'undelivered')).statusCode).toBe(200);
    expect(await typesOf(id)).toEqual(['outbox.failed']);

    await wakeStalledRun();
    const row = await outboxRow(kit.app, kit.force.forceId, id);
    expect(row).toMatchObject({ status: 'failed', provider_message_id: sid, delivered_after_all_at: null });
    expect(row.undelivered_after_all_at?.toISOString()).toBe('2026-05-06T09:03:00.000Z');
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.undelivered_after_all']);
  });

  it('keeps-delivered-after-all-when-an-undelivered-report-comes-after-it', async () => {
    const { id, sid, wakeStalledRun } = await failAsUnknown('+447700900813');
    await wakeStalledRun();
    expect((await report(sid, 'delivered')).statusCode).toBe(200);
    expect((await report(sid, 'undelivered')).statusCode).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'failed', undelivered_after_all_at: null, undelivered_after_all_reason: null });
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);
  });

  it('leaves-a-text-failed-for-a-known-reason-as-it-is-when-undelivered-is-reported-again', async () => {
    const id = await queueWithDelivery(kit.app, kit.force.forceId, [{ channel: 'sms', recipient: '+447700900814', subject: '', body: 'An update on your case.' }], { purpose: AT_MOST_ONCE, caseId: kit.force.caseId });
    await texts.worker().runDue();
    const { provider_message_id: sid } = await outboxRow(kit.app, kit.force.forceId, id);
    expect(sid).toMatch(/^SMlate/);
    expect((await report(sid ?? '', 'undelivered')).statusCode).toBe(200);
    expect((await report(sid ?? '', 'undelivered')).statusCode).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'failed', undelivered_after_all_at: null, undelivered_after_all_reason: null });
    expect(await typesOf(id)).toEqual(['outbox.sent', 'outbox.failed']);
    const { outbox } = await staffViews(id);
    expect(outbox).toMatchObject({ status: 'failed', wentAfterAll: null });
    // The other force, on whose number nothing was sent, sees none of it.
    const supervisor = await signIn(kit.app, `supervisor@${kit.other.slug}.police.uk`);
    const theirs = await kit.app.inject({ method: 'GET', url: '/api/outbox', headers: supervisor.headers });
    expect(theirs.json<{ messages: StaffMessage[] }>().messages.map((m) => m.id)).not.toContain(id);
  });
});
