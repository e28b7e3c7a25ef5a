import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { listedHearing, milestone, reminderReads, type Session } from './journey-kit.ts';

// The news of a hearing ("a court date has been set") may wait for the victim's safe time. A case
// closed meanwhile takes it back (decision 0126). Reopened while the hearing is still to come, the
// case lists that hearing again and reminds of it (decision 0121): the victim must be told of it
// first, so the news the closing took back is queued again, once, in their language, at their safe
// time; news that went before the closing is not sent twice (decision 0127).

describe(`the news of a hearing taken back by a closing, on reopening (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the evening victims are safe to contact from 18:00 to 20:00.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  const SAFE = new Date('2026-05-06T17:00:00Z');
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const news = reminderReads(() => app, 'journey:case.court_date_set');
  const { giveUpWithdrawal } = news;
  const reminder = reminderReads(() => app, 'journey:case.court_date.reminder');
  const runAll = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };

  /** A victim told in the portal inbox, someone charged, a hearing listed for Tuesday 12 May at 10:00 UK time. */
  const listedCase = async (language: 'en' | 'cy', preferences: Record<string, unknown> = {}) => {
    const victim = await listedHearing(app, clock, { language, preferences });
    investigator = victim.investigator;
    await runAll();
    return victim;
  };
  const closeAndReopen = async (caseId: string) => {
    await milestone(app, investigator, caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await runAll();
    await milestone(app, investigator, caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await runAll();
  };

  for (const [language, subject, day] of [
    ['cy', 'Mae dyddiad llys wedi’i bennu', '12 Mai 2026'],
    ['en', 'A court date has been set', '12 May 2026'],
  ] as const) {
    it(`queues again, once and at the safe time, the news a closing took back while it waited (${language})`, async () => {
      const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
      const victim = await listedCase(language, { safeWindows: [{ days: every, from: '18:00', to: '20:00' }] });
      expect((await news.reminders(victim.caseId)).map((m) => [m.status, m.not_before])).toEqual([['pending', SAFE]]);

      await closeAndReopen(victim.caseId);
      // Run again (a worker that lost its lease): still one.
      await runAll();
      const [withdrawn, again] = await news.reminders(victim.caseId);
      expect(withdrawn).toMatchObject({ status: 'suppressed', last_error: 'the case was closed', delivered_at: null });
      expect(again).toMatchObject({ status: 'pending', not_before: SAFE, subject });
      expect(again?.body).toContain(day);
      expect(again?.body).toContain('Demoton Magistrates’ Court');
      expect(await news.reminders(victim.caseId)).toHaveLength(2);

      clock.set(SAFE);
      await runAll();
      expect((await news.reminders(victim.caseId)).map((m) => m.status)).toEqual(['suppressed', 'delivered']);
      // The reminder the reopening restored still waits for its time.
      expect((await reminder.reminders(victim.caseId)).map((m) => m.status)).toEqual(['suppressed', 'pending']);

      // Closed after it went, and reopened: it is not sent twice.
      investigator = await signIn(app, 'investigator@demo.police.uk');
      await closeAndReopen(victim.caseId);
      expect((await news.reminders(victim.caseId)).map((m) => m.status)).toEqual(['suppressed', 'delivered']);
    });
  }

  it('queues again the news a closing overtook whose withdrawal had not run when the case was reopened', async () => {
    // The closing's withdrawal given up (or not yet run, on a busy worker): its news still waits
    // when the reopening's journey runs, and is taken back at its delivery. The victim is told once.
    const every = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    const victim = await listedCase('en', { safeWindows: [{ days: every, from: '18:00', to: '20:00' }] });
    await milestone(app, investigator, victim.caseId, { type: 'close', outcomeCode: '1', reason: 'Closed by mistake.' });
    await giveUpWithdrawal(victim.caseId);
    await milestone(app, investigator, victim.caseId, { type: 'reopen', note: 'Closed by mistake: the trial goes ahead.' });
    await runAll();
    expect((await news.reminders(victim.caseId)).map((m) => m.status)).toEqual(['pending', 'pending']);

    clock.set(SAFE);
    await runAll();
    const [first, again] = await news.reminders(victim.caseId);
    expect(first).toMatchObject({ status: 'suppressed', last_error: 'the case was closed before this could be sent', delivered_at: null });
    expect(again).toMatchObject({ status: 'delivered', subject: 'A court date has been set' });
    expect(again?.body).toContain('12 May 2026');
  });

  it('does not send again news that went before the closing', async () => {
    const victim = await listedCase('en');
    expect((await news.reminders(victim.caseId)).map((m) => m.status)).toEqual(['delivered']);
    await closeAndReopen(victim.caseId);
    expect((await news.reminders(victim.caseId)).map((m) => m.status)).toEqual(['delivered']);
    expect((await reminder.reminders(victim.caseId)).map((m) => m.status)).toEqual(['suppressed', 'pending']);
  });
});
