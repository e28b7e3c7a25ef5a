import { describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { createMilestoneHandler } from '../../src/capabilities/journeys/journey-send.service.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';
import { notifyFixture, postNotifyReceipt } from '../outbox/outbox-kit.ts';
import { listedHearing } from './journey-kit.ts';
import { useNotifyJourneyApp } from './notify-journey-kit.ts';

// A victim whose first decision could not reach them (no address) is decided again when their
// details change (decision 0137). Should that change come while the same message to a row they
// were on before is with the provider, it is neither queued beside it nor lost: when that message
// does not reach them after all, they are told it, once, however often the provider says so
// (decision 0160).
//
// Two rows of one victim on the case at once: a child added twice, named only, by the officer
// (their number is their parent's, who is a victim too and holds it as a person), the duplicate
// removed while the reminder to it is being sent.

const REMINDER = 'journey:case.court_date.reminder';
const CALLBACK_TOKEN = 'reached-while-sending-callback-token';

describe(`a victim reached while the message to a row they were on is being sent (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the hearing is on Tuesday 12 May at 10:00, its reminder on Sunday 10 May.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const kit = useNotifyJourneyApp({ clock, callbackToken: CALLBACK_TOKEN, idStem: '9e0a1c2e' });
  const { inForce, runAll, call } = kit;

  const addVictim = async (caseId: string, particulars: Record<string, unknown>) => (await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', ...particulars })).json<{ casePersonId: string }>().casePersonId;
  const remindersOf = (caseId: string, victimId: string) =>
    inForce((tx) =>
      tx.selectFrom('outbox').select(['id', 'status', 'provider_message_id']).where('case_id', '=', caseId).where('purpose', '=', REMINDER).where('idempotency_key', 'like', `%:${victimId}`).execute(),
    );
  const referenceOf = (body: string) => (JSON.parse(body || '{}') as { reference?: string }).reference ?? '';
  const textsTaken = (ids: readonly string[]) => kit.notify.requests.filter((r) => r.url.includes('/sms') && ids.includes(referenceOf(r.body)));
  /** The journey job of a change of a victim's details, as the runner would claim it once the grace has passed. */
  const runContactChange = async (victimId: string) => {
    const job = await kit.pendingJourneyJob(`case.victim_contact_changed:${victimId}`);
    await createMilestoneHandler({ clock })({ job, inForce });
    await inForce((tx) => tx.updateTable('jobs').set({ state: 'done' }).where('id', '=', job.id).execute());
  };

  it('reminds-a-victim-reached-while-the-first-rows-reminder-was-with-the-provider-once-when-it-bounces-twice', async () => {
    const phone = '+447700900811';
    const { caseId } = await listedHearing(kit.app, clock);
    await runAll();
    await addVictim(caseId, { name: 'Dee Share', phone });
    const first = await addVictim(caseId, { name: 'Kit Share', phone });
    // The duplicate, added with no address: nothing can reach it, for now.
    const again = await addVictim(caseId, { name: 'kit share' });
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    const decided = () =>
      inForce((tx) => tx.selectFrom('journey_sends').select(['outcome', 'reason']).where('victim_id', '=', again).where('template_key', '=', 'case.court_date.reminder').orderBy('created_at').execute());
    expect(await decided()).toEqual([{ outcome: 'suppressed', reason: 'no address for any allowed channel' }]);

    // Sunday: the delivery has read the first row's reminder and Notify has not answered when the
    // officer removes that row and gives the one left the number.
    clock.set(new Date('2026-05-10T09:00:00Z'));
    const provider = kit.notify.holdAnswers();
    const delivering = kit.app.runner?.runDue();
    await provider.arrived;
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    await call('PATCH', `/api/cases/${caseId}/people/${again}`, { phone });
    await runContactChange(again);
    expect(await remindersOf(caseId, again)).toEqual([]);
    provider.release();
    await delivering;
    const [sent] = await remindersOf(caseId, first);
    expect(sent?.status).toBe('sent');

    // Two hours later Notify's receipt says it was never delivered, and says it again.
    clock.advance(2 * 3_600_000);
    const failure = { ...notifyFixture('delivery-receipt-permanent-failure.json'), id: sent?.provider_message_id, reference: sent?.id };
    expect((await postNotifyReceipt(kit.app, CALLBACK_TOKEN, failure)).statusCode).toBe(200);
    await runAll();
    expect((await postNotifyReceipt(kit.app, CALLBACK_TOKEN, failure)).statusCode).toBe(200);
    await runAll();

    expect((await remindersOf(caseId, first)).map((r) => r.status)).toEqual(['failed']);
    const reminded = await remindersOf(caseId, again);
    expect(reminded.map((r) => r.status)).toEqual(['sent']);
    expect(textsTaken(reminded.map((r) => r.id))).toHaveLength(1);
    expect(await decided()).toEqual([
      { outcome: 'suppressed', reason: 'no address for any allowed channel' },
      { outcome: 'queued', reason: null },
    ]);
  });
});
