import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { appointmentIdOf, milestone, portalOnlyVictim, reminderReads, type Session } from './journey-kit.ts';

// A queued message is what its rule was when it was queued: a force admin changing the rule later
// ("messages it already queued are not rewritten") does not turn a reminder already waiting into
// something else. A reminder of an appointment queued under a rule since changed to answer another
// milestone is still taken back when the appointment changes, and still checked when it would go.

const DAY = 24 * 60;
const CHANGED = 'the appointment was changed; a reminder of the new time replaces this one';
const PASSED = 'the time of the appointment had come before this could be sent';

describe('a reminder queued under a rule changed since', () => {
  // Wednesday 6 May 2026, 10:00 UK summer time.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let admin: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const { inForce, eventsOf, giveUpWithdrawal } = reminderReads(() => app, 'journey:case.appointment_made');
  const queuedBy = (ruleId: string, caseId: string) =>
    inForce((tx) =>
      tx
        .selectFrom('outbox')
        .select(['status', 'last_error', 'not_before', 'delivered_at'])
        .where('case_id', '=', caseId)
        .where('idempotency_key', 'like', `journey:${caseId}:%:${ruleId}:%`)
        .execute(),
    );

  /**
   * A force rule reminding `days` days before an appointment, a victim with an appointment on
   * Tuesday 12 May at 11:00 UK time, then the rule changed to answer a charge instead (each test its
   * own rule: two rules sending the same message at the same time are refused).
   */
  const remindedThenRuleChanged = async (days: number) => {
    clock.set(new Date('2026-05-06T09:00:00Z'));
    admin = await signIn(app, 'admin@demo.police.uk');
    const added = await app.inject({
      method: 'POST',
      url: '/api/journey-rules',
      headers: admin.headers,
      payload: { milestone: 'case.appointment_made', templateKey: 'case.appointment_made', delayFrom: 'at', delayMinutes: -days * DAY },
    });
    expect(added.statusCode, added.body).toBe(201);
    const ruleId = added.json<{ rule: { id: string } }>().rule.id;
    const { caseId, investigator } = await portalOnlyVictim(app);
    await milestone(app, investigator, caseId, { type: 'appointment_made', at: '2026-05-12T10:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await queuedBy(ruleId, caseId)).map((r) => [r.status, r.not_before])).toEqual([['pending', new Date(Date.parse('2026-05-12T10:00:00Z') - days * DAY * 60_000)]]);

    const changed = await app.inject({
      method: 'POST',
      url: `/api/journey-rules/${ruleId}`,
      headers: admin.headers,
      payload: { milestone: 'case.charged', delayFrom: 'milestone', delayMinutes: days * 60 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    return { ruleId, caseId, investigator, appointmentId: await appointmentIdOf(app, investigator, caseId) };
  };

  it('takes the reminder back when the appointment changes', async () => {
    const { ruleId, caseId, investigator, appointmentId } = await remindedThenRuleChanged(3);
    await milestone(app, investigator, caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await app.runner?.runDue();
    expect((await queuedBy(ruleId, caseId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', CHANGED]]);
    expect((await eventsOf('outbox.withdrawn', caseId)).map((e) => e.data.reason)).toContain(CHANGED);
  });

  it('does not send the reminder of the old time when the withdrawal was given up', async () => {
    const { ruleId, caseId, investigator, appointmentId } = await remindedThenRuleChanged(2);
    await milestone(app, investigator, caseId, { type: 'appointment_changed', appointmentId, at: '2026-05-14T13:00:00Z', place: 'Low Road station' });
    await giveUpWithdrawal(caseId);
    await app.runner?.runDue();
    clock.set(new Date('2026-05-10T10:30:00Z'));
    await app.runner?.runDue();
    expect((await queuedBy(ruleId, caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', CHANGED, null]]);
  });

  it('does not send the reminder when its delivery first runs after the appointment (an outage)', async () => {
    const { ruleId, caseId } = await remindedThenRuleChanged(4);
    clock.set(new Date('2026-05-12T10:30:00Z'));
    await app.runner?.runDue();
    expect((await queuedBy(ruleId, caseId)).map((r) => [r.status, r.last_error, r.delivered_at])).toEqual([['suppressed', PASSED, null]]);
  });
});
