import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { listedHearing, type Session } from './journey-kit.ts';
import { VICTIM_ADDED_GRACE_MS } from '../../src/capabilities/journeys/journey.events.ts';

// A victim removed from a case (often one added in error: someone who must not learn of it) is
// sent nothing more about it. What waited for them when they were removed (a reminder waiting for
// its time, a letter in the print queue) is refused when it would go, and withdrawn saying why
// (decision 0143). A victim removed and added again is told once, on the row they are on now.

const REMOVED = 'the victim was removed from the case';
const REMINDER = 'journey:case.court_date.reminder';

describe(`messages for a victim removed from the case (${ENGINE})`, () => {
  // Wednesday 6 May 2026, 10:00 UK summer time; the hearing is on Tuesday 12 May at 10:00, its reminder on Sunday 10 May.
  const clock = fixedClock(new Date('2026-05-06T09:00:00Z'));
  let app: TestApp;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
  });
  afterAll(() => app?.close());

  const inForce = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(app.database.db, app.demoForceId, work);
  const runAll = async () => {
    for (let i = 0; i < 3; i += 1) await app.runner?.runDue();
  };
  const call = async (method: 'POST' | 'DELETE', url: string, payload?: object) => {
    // Signed in afresh: the clock moves on.
    investigator = await signIn(app, 'investigator@demo.police.uk');
    const response = await app.inject({ method, url, headers: investigator.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };
  /** A hearing listed, and a victim added with an email address told of it: its reminder waits for Sunday. */
  const victimReminded = async (name: string) => {
    const { caseId } = await listedHearing(app, clock);
    await runAll();
    const added = await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name, email: `${name.toLowerCase().replace(' ', '.')}@example.org` });
    const victimId = added.json<{ casePersonId: string }>().casePersonId;
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    expect((await remindersOf(caseId, victimId)).map((r) => r.status)).toEqual(['pending']);
    return { caseId, victimId };
  };
  const remindersOf = (caseId: string, victimId: string) =>
    inForce((tx) =>
      tx.selectFrom('outbox').select(['id', 'status', 'last_error', 'channel']).where('case_id', '=', caseId).where('purpose', '=', REMINDER).where('idempotency_key', 'like', `%:${victimId}`).execute(),
    );
  const withdrawnReasons = (outboxId: string) =>
    inForce((tx) => tx.selectFrom('events').select(sql<string>`data->>'reason'`.as('reason')).where('type', '=', 'outbox.withdrawn').where('subject_id', '=', outboxId).execute()).then((rows) => rows.map((r) => r.reason));
  const sentOrDelivered = (outboxId: string) =>
    inForce((tx) => tx.selectFrom('events').select('type').where('type', 'in', ['outbox.sent', 'outbox.delivered']).where('subject_id', '=', outboxId).execute());

  it('does-not-send-a-waiting-reminder-to-a-victim-removed-from-the-case-and-withdraws-it-saying-why', async () => {
    const { caseId, victimId } = await victimReminded('Sam Removed');
    const [reminder] = await remindersOf(caseId, victimId);
    if (!reminder) throw new Error('no reminder');
    await call('DELETE', `/api/cases/${caseId}/people/${victimId}`);
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    expect((await remindersOf(caseId, victimId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', REMOVED]]);
    expect(await withdrawnReasons(reminder.id)).toEqual([REMOVED]);
    expect(await sentOrDelivered(reminder.id)).toEqual([]);
  });

  it('still-sends-the-reminder-of-a-victim-who-stays-on-the-case', async () => {
    const { caseId, victimId } = await victimReminded('Kim Stays');
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    expect((await remindersOf(caseId, victimId)).map((r) => r.status)).not.toContain('suppressed');
    expect((await remindersOf(caseId, victimId)).map((r) => r.status)).not.toContain('pending');
  });

  it('refuses-to-print-a-letter-for-a-victim-removed-from-the-case-and-withdraws-it', async () => {
    const { caseId, victimId } = await victimReminded('Lee Letter');
    const [reminder] = await remindersOf(caseId, victimId);
    if (!reminder) throw new Error('no reminder');
    // The reminder is turned into a letter to the victim's own postal address (a letter to an
    // address changed since is refused for that reason instead), and its delivery holds it for print.
    await inForce(async (tx) => {
      await tx.updateTable('case_people').set({ postal_lines: ['4 Bridge Street'], postal_town: 'Demoton', postal_postcode: 'DE1 1AA' }).where('id', '=', victimId).execute();
      await tx.updateTable('outbox').set({ channel: 'letter', recipient: '4 Bridge Street\nDEMOTON\nDE1 1AA' }).where('id', '=', reminder.id).execute();
    });
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    expect((await remindersOf(caseId, victimId)).map((r) => r.status)).toEqual(['held']);
    await call('DELETE', `/api/cases/${caseId}/people/${victimId}`);

    investigator = await signIn(app, 'investigator@demo.police.uk');
    const queue = await app.inject({ method: 'GET', url: '/api/outbox/letters', headers: investigator.headers });
    expect(queue.json<{ letters: { id: string; doNotPrint: string | null }[] }>().letters.find((l) => l.id === reminder.id)).toMatchObject({ doNotPrint: REMOVED });
    const printed = await app.inject({ method: 'POST', url: `/api/outbox/letters/${reminder.id}/printed`, headers: investigator.headers });
    expect(printed.statusCode, printed.body).toBe(409);
    expect(printed.json<{ error: { message: string } }>().error.message).toBe(`This letter must not be posted: ${REMOVED}. It has been withdrawn.`);
    expect((await remindersOf(caseId, victimId)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', REMOVED]]);
    expect(await withdrawnReasons(reminder.id)).toEqual([REMOVED]);
  });

  it('reminds-a-victim-removed-and-added-again-once-on-the-row-they-are-on-now', async () => {
    const { caseId, victimId: first } = await victimReminded('Jo Again');
    await call('DELETE', `/api/cases/${caseId}/people/${first}`);
    const added = await call('POST', `/api/cases/${caseId}/people`, { role: 'victim', name: 'Jo Again', email: 'jo.again@example.org' });
    const again = added.json<{ casePersonId: string }>().casePersonId;
    clock.advance(VICTIM_ADDED_GRACE_MS);
    await runAll();
    clock.set(new Date('2026-05-10T09:00:00Z'));
    await runAll();
    // The reminder waiting for the first row never went to them: the row they are on now is reminded, once.
    expect((await remindersOf(caseId, first)).map((r) => [r.status, r.last_error])).toEqual([['suppressed', REMOVED]]);
    const reminded = await remindersOf(caseId, again);
    expect(reminded).toHaveLength(1);
    expect(reminded.map((r) => r.status)).not.toContain('suppressed');
  });
});
