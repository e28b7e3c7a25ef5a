// A text failed because whether it went was unknown (a delivery run stopped while handing it to
// Twilio, which cannot say: decision 0163) may have gone after all: the stopped run wakes with
// Twilio's id for it, and Twilio's receipt says it reached the person. That late word was refused,
// so the record said "failed" while the person had the text. Now it is kept (decision 0173): the
// row stays failed (what followed its failure stands), staff see that it went after all and
// when, and the case gets a note that the person may have two copies. Once, however often Twilio
// reports; never for a text that failed for a known reason; never across forces.
import { describe, expect, it } from 'vitest';
import { ENGINE, signIn } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { FORM, PUBLIC_URL, fixture, sign, withParams } from '../channels/twilio-kit.ts';
import { outboxEvents, outboxRow, queueWithDelivery, twilioForcesKit } from './outbox-kit.ts';

const LEASE_MS = 60_000;
/** Left to staff when in doubt (decision 0163): failed, not sent again. */
const AT_MOST_ONCE = 'journey:case.satisfaction_survey';
const NUMBER = '+447700900998';
const OTHER_NUMBER = '+447700900997';
/** `connectTwilio`'s auth token, which Twilio signs its callbacks with. */
const TOKEN = 'journeys-twilio-token';
/** The carrier's done date Twilio passes on (YYMMDDhhmm, UTC): 6 May 2026 at 09:03. */
const DONE_DATE = '2605060903';

type StaffMessage = { id: string; status: string; wentAfterAll: { sentAt: string | null; deliveredAt: string | null } | null };

describe(`a text thought lost that reached the person after all (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const kit = twilioForcesKit({ clock, leaseMs: LEASE_MS, number: NUMBER, otherNumber: OTHER_NUMBER });
  const { texts } = kit;

  /**
   * A text whose first run stalls with Twilio's answer (Twilio has it), its lease running out; the
   * run that takes its job over fails it as outcome unknown. Returns its id, Twilio's sid for it,
   * and the stalled run, woken by `wake`.
   */
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
    const form = withParams(base, { MessageSid: sid, SmsSid: sid, From: from, ...(status === 'delivered' ? { RawDlrDoneDate: DONE_DATE } : {}) });
    return kit.app.inject({ method: 'POST', url: path, headers: { 'content-type': FORM, 'x-twilio-signature': sign(path, form, TOKEN) }, payload: form });
  };

  const typesOf = async (id: string) => (await outboxEvents(kit.app, kit.force.forceId, id)).map((event) => event.type);
  const caseNotes = (forceId: ForceId, caseId: string) =>
    withForce(kit.app.database.db, forceId, (tx) =>
      tx.selectFrom('events').select(['data']).where('subject_type', '=', 'case').where('subject_id', '=', caseId).where('type', '=', 'journey.message_reached_after_all').orderBy('seq').execute(),
    );
  const staffViews = async (slug: string, caseId: string) => {
    const supervisor = await signIn(kit.app, `supervisor@${slug}.police.uk`);
    const investigator = await signIn(kit.app, `investigator@${slug}.police.uk`);
    const outbox = await kit.app.inject({ method: 'GET', url: '/api/outbox', headers: supervisor.headers });
    const onCase = await kit.app.inject({ method: 'GET', url: `/api/cases/${caseId}/messages`, headers: investigator.headers });
    return { outbox, onCase };
  };

  it('records-a-text-failed-as-outcome-unknown-delivered-after-all-once-shows-staff-and-notes-the-case', async () => {
    const { id, sid, wakeStalledRun } = await failAsUnknown('+447700900801');

    // The stopped run wakes with Twilio's id: kept, and the row stays failed.
    await wakeStalledRun();
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'failed', provider_message_id: sid, last_error: expect.stringContaining('outcome unknown') });

    const delivered = await report(sid, 'delivered');
    expect(delivered.statusCode, delivered.body).toBe(200);
    const row = await outboxRow(kit.app, kit.force.forceId, id);
    expect(row).toMatchObject({ status: 'failed', delivered_at: null });
    expect(row.delivered_after_all_at?.toISOString()).toBe('2026-05-06T09:03:00.000Z');
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);

    // Twilio reports again (it retries callbacks): stored once.
    expect((await report(sid, 'delivered')).statusCode).toBe(200);
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);

    // The follow-up notes the case once, in staff's words.
    await kit.app.runner?.runDue();
    await kit.app.runner?.runDue();
    const notes = await caseNotes(kit.force.forceId, kit.force.caseId);
    expect(notes).toHaveLength(1);
    expect(notes[0]?.data).toMatchObject({ outboxId: id, deliveredAt: '2026-05-06T09:03:00.000Z', note: expect.stringContaining('reached the person after all on 6 May 2026 at 09:03 UTC') });
    expect(JSON.stringify(notes[0]?.data)).toContain('two copies');

    // Staff see it failed, and that it went after all, where failed messages are shown.
    const { outbox, onCase } = await staffViews(kit.force.slug, kit.force.caseId);
    expect(outbox.statusCode, outbox.body).toBe(200);
    expect(outbox.json<{ messages: StaffMessage[] }>().messages.find((m) => m.id === id)).toMatchObject({
      status: 'failed',
      wentAfterAll: { sentAt: expect.any(String), deliveredAt: '2026-05-06T09:03:00.000Z' },
    });
    expect(onCase.statusCode, onCase.body).toBe(200);
    expect(onCase.json<{ messages: StaffMessage[] }>().messages.find((m) => m.id === id)).toMatchObject({ status: 'failed', wentAfterAll: { deliveredAt: '2026-05-06T09:03:00.000Z' } });
    // The note is on the case's timeline, where staff read what happened to it.
    const investigator = await signIn(kit.app, `investigator@${kit.force.slug}.police.uk`);
    const detail = await kit.app.inject({ method: 'GET', url: `/api/cases/${kit.force.caseId}`, headers: investigator.headers });
    const { timeline } = detail.json<{ case: { timeline: { type: string; note: string | null }[] } }>().case;
    expect(timeline.filter((entry) => entry.type === 'journey.message_reached_after_all')).toEqual([expect.objectContaining({ note: expect.stringContaining('two copies') })]);
  });

  it('applies-a-delivered-receipt-that-came-while-the-stopped-run-slept-when-it-wakes', async () => {
    const { id, sid, wakeStalledRun } = await failAsUnknown('+447700900802');
    // Twilio delivers within seconds; its callback comes before anything here knows its sid.
    expect((await report(sid, 'delivered')).statusCode).toBe(200);
    expect(await typesOf(id)).toEqual(['outbox.failed']);

    await wakeStalledRun();
    const row = await outboxRow(kit.app, kit.force.forceId, id);
    expect(row).toMatchObject({ status: 'failed', provider_message_id: sid });
    expect(row.delivered_after_all_at?.toISOString()).toBe('2026-05-06T09:03:00.000Z');
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all', 'outbox.delivered_after_all']);
  });

  it('leaves-a-text-failed-for-a-known-reason-as-it-is-when-a-delivered-receipt-comes-late', async () => {
    const id = await queueWithDelivery(kit.app, kit.force.forceId, [{ channel: 'sms', recipient: '+447700900803', subject: '', body: 'An update on your case.' }], { purpose: AT_MOST_ONCE, caseId: kit.force.caseId });
    await texts.worker().runDue();
    const { provider_message_id: sid } = await outboxRow(kit.app, kit.force.forceId, id);
    expect(sid).toMatch(/^SMlate/);
    // Twilio could not deliver it (the carrier said so), then a stray "delivered" for the same sid.
    expect((await report(sid ?? '', 'undelivered')).statusCode).toBe(200);
    expect((await report(sid ?? '', 'delivered')).statusCode).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'failed', delivered_after_all_at: null, sent_after_all_at: null });
    expect(await typesOf(id)).toEqual(['outbox.sent', 'outbox.failed']);
    const { outbox } = await staffViews(kit.force.slug, kit.force.caseId);
    expect(outbox.json<{ messages: StaffMessage[] }>().messages.find((m) => m.id === id)).toMatchObject({ status: 'failed', wentAfterAll: null });
  });

  it('hides-a-text-delivered-after-all-from-another-force-whose-receipt-cannot-touch-it', async () => {
    const { id, sid, wakeStalledRun } = await failAsUnknown('+447700900804');
    await wakeStalledRun();
    // The other force's number reports on our sid: nothing of ours changes.
    expect((await report(sid, 'delivered', OTHER_NUMBER)).statusCode).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'failed', delivered_after_all_at: null });
    expect(await typesOf(id)).toEqual(['outbox.failed', 'outbox.sent_after_all']);
    await kit.app.runner?.runDue();
    // Our case holds no note of it: the other force's receipt reached nothing of ours.
    const notesOf = async () => (await caseNotes(kit.force.forceId, kit.force.caseId)).filter((note) => (note.data as { outboxId?: string }).outboxId === id);
    expect(await notesOf()).toHaveLength(0);

    // Delivered for real (through our own number), the note follows; the other force sees neither the message nor the case.
    expect((await report(sid, 'delivered')).statusCode).toBe(200);
    await kit.app.runner?.runDue();
    expect(await notesOf()).toHaveLength(1);
    const { outbox, onCase } = await staffViews(kit.other.slug, kit.force.caseId);
    expect(outbox.statusCode).toBe(200);
    expect(outbox.json<{ messages: StaffMessage[] }>().messages.map((m) => m.id)).not.toContain(id);
    expect(onCase.statusCode).toBe(404);
  });

  it('asks-twilio-for-reports-at-the-public-address-when-the-number-names-no-delivery-report-url', async () => {
    // The force's number was connected with no delivery-report URL; the service's public address is set.
    const recipient = '+447700900805';
    const id = await queueWithDelivery(kit.app, kit.force.forceId, [{ channel: 'sms', recipient, subject: '', body: 'An update on your case.' }], { purpose: AT_MOST_ONCE, caseId: kit.force.caseId });
    await kit.app.runner?.runDue();
    const sent = kit.twilio.requests.filter((request) => new URLSearchParams(request.body).get('To') === recipient);
    expect(sent).toHaveLength(1);
    expect(new URLSearchParams(sent[0]?.body ?? '').get('StatusCallback')).toBe(`${PUBLIC_URL}/webhooks/twilio/status?outbox=${id}`);
    // Its reports then reach the text.
    const { provider_message_id: sid } = await outboxRow(kit.app, kit.force.forceId, id);
    expect((await report(sid ?? '', 'delivered')).statusCode).toBe(200);
    expect(await outboxRow(kit.app, kit.force.forceId, id)).toMatchObject({ status: 'delivered' });
  });
});
