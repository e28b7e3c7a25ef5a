// What the force's records system says of a victim it named before is recorded as an officer's
// change is: one `case.person_changed` with what differs, from and to, and a change of their
// enhanced rights re-times their open Victims' Code clocks, each with the event saying why.
// See docs/decisions/0077.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { sweepVictimUpdates } from '../../src/capabilities/cases/victim-updates.jobs.ts';

// A Monday morning in March (GMT).
const START = new Date('2026-03-02T10:00:00Z');
const DAY = 86_400_000;

describe(`a victim's details changed by the records system (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let records: Awaited<ReturnType<typeof connectRecordsSystem>>;

  const send = (reference: string, payload: Record<string, unknown>) => records.send(reference, payload);
  const eventsOf = (caseId: string, type: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['data', 'actor_type']).where('subject_id', '=', caseId).where('type', '=', type).orderBy('seq').execute());
  const victimOf = (caseId: string, reference: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('case_people').select(['id', 'name', 'phone', 'language', 'enhanced_rights']).where('case_id', '=', caseId).where('records_reference', '=', reference).executeTakeFirstOrThrow());
  const clocksOf = (caseId: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('victim_updates').select(['id', 'duty', 'working_days', 'due_at', 'enhanced_rights', 'breached_at', 'satisfied_at']).where('case_id', '=', caseId).orderBy('milestone_at').execute(),
    );
  const sweepAt = (at: Date) => withForce(app.database.db, app.demoForceId, (tx) => sweepVictimUpdates(tx, app.demoForceId, fixedClock(at)));

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    records = await connectRecordsSystem(app, clock, START);
  });
  afterAll(() => app.close());

  it('records only what differs, from and to, once; the same victims again record nothing', async () => {
    const created = await send('NIC/26/7701', { status: 'ARR', victims: [{ reference: 'V1', name: 'Sam Exmple', phone: '07700 900001', language: 'en' }] });
    const changed = await send('NIC/26/7701', { victims: [{ reference: 'V1', name: 'Sam Example', phone: '07700 900002', language: 'cy' }] });
    expect(changed.result).toBe('updated');
    const victim = await victimOf(created.caseId, 'V1');
    expect(victim).toMatchObject({ name: 'Sam Example', phone: '07700 900002', language: 'cy' });
    const recorded = await eventsOf(created.caseId, 'case.person_changed');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.actor_type).toBe('system');
    expect(recorded[0]?.data).toMatchObject({
      casePersonId: victim.id,
      role: 'victim',
      source: 'records_system',
      changed: ['name', 'phone', 'language'],
      from: { name: 'Sam Exmple', language: 'en' },
      to: { name: 'Sam Example', language: 'cy' },
      retimed: 0,
    });
    // Fields that did not change are not in it, and no address is written into the log.
    expect(Object.keys((recorded[0]?.data as { to: object }).to)).toEqual(['name', 'language']);
    expect(JSON.stringify(recorded[0]?.data).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')).not.toContain('0770');

    // The same victims in a later update, and the same update again: nothing more.
    await send('NIC/26/7701', { status: 'INT', victims: [{ reference: 'V1', name: 'Sam Example', phone: '07700 900002', language: 'cy' }] });
    expect(await eventsOf(created.caseId, 'case.person_changed')).toHaveLength(1);
  });

  it('re-times the open clocks of a victim the records system gives enhanced rights, and back, each with its reason', async () => {
    const created = await send('NIC/26/7702', { status: 'ARR', victims: [{ reference: 'V1', name: 'Kim Noaddress' }] });
    const arrest = (await clocksOf(created.caseId)).find((c) => c.duty === 'arrest');
    // Arrested on Monday 2 March: five working days end with Monday 9 March.
    expect(arrest).toMatchObject({ working_days: 5, enhanced_rights: false, due_at: new Date('2026-03-10T00:00:00Z') });

    await send('NIC/26/7702', { victims: [{ reference: 'V1', name: 'Kim Noaddress', enhancedRights: true }] });
    const clocks = await clocksOf(created.caseId);
    expect(clocks.find((c) => c.duty === 'arrest')).toMatchObject({ working_days: 1, enhanced_rights: true, due_at: new Date('2026-03-04T00:00:00Z') });
    expect(clocks.find((c) => c.duty === 'referral')).toMatchObject({ working_days: 2 });
    const victim = await victimOf(created.caseId, 'V1');
    expect((await eventsOf(created.caseId, 'case.person_changed')).map((e) => e.data)).toEqual([
      expect.objectContaining({ changed: ['enhancedRights'], from: { enhancedRights: 'no' }, to: { enhancedRights: 'yes' }, retimed: 1, source: 'records_system' }),
    ]);
    expect((await eventsOf(created.caseId, 'case.victim_update_retimed')).map((e) => e.data)).toEqual([
      expect.objectContaining({
        updateId: arrest?.id,
        duty: 'arrest',
        casePersonId: victim.id,
        reason: 'enhanced_rights_given',
        source: 'records_system',
        previousDueAt: '2026-03-10T00:00:00.000Z',
        dueAt: '2026-03-04T00:00:00.000Z',
        workingDays: 1,
      }),
    ]);

    await send('NIC/26/7702', { victims: [{ reference: 'V1', name: 'Kim Noaddress', enhancedRights: false }] });
    expect((await clocksOf(created.caseId)).find((c) => c.duty === 'arrest')).toMatchObject({ working_days: 5, due_at: new Date('2026-03-10T00:00:00Z') });
    expect((await eventsOf(created.caseId, 'case.victim_update_retimed')).map((e) => (e.data as { reason: string }).reason)).toEqual(['enhanced_rights_given', 'enhanced_rights_withdrawn']);
  });

  it('leaves a clock already met or already breached as it was', async () => {
    // One victim the officer told by phone, one nobody told.
    const created = await send('NIC/26/7703', {
      status: 'ARR',
      victims: [
        { reference: 'V1', name: 'Told Victim' },
        { reference: 'V2', name: 'Untold Victim' },
      ],
    });
    const officer = await signIn(app, 'investigator@demo.police.uk');
    const toldClock = (await withSystem(app.database.db, (tx) => tx.selectFrom('victim_updates').select('id').where('case_person_id', '=', tx.selectFrom('case_people').select('id').where('case_id', '=', created.caseId).where('records_reference', '=', 'V1')).where('duty', '=', 'arrest').executeTakeFirstOrThrow())).id;
    const informed = await app.inject({ method: 'POST', url: `/api/cases/${created.caseId}/victim-updates/${toldClock}/informed`, headers: officer.headers, payload: { how: 'phone' } });
    expect(informed.statusCode, informed.body).toBe(200);
    // Eight days on, the sweep finds the untold victim's arrest update late.
    const later = await connectRecordsSystem(app, clock, new Date(START.getTime() + 8 * DAY));
    await sweepAt(new Date(START.getTime() + 8 * DAY));
    const before = await clocksOf(created.caseId);
    const told = await victimOf(created.caseId, 'V1');
    const untold = await victimOf(created.caseId, 'V2');
    const byVictim = async (id: string) => (await withSystem(app.database.db, (tx) => tx.selectFrom('victim_updates').select(['duty', 'working_days', 'due_at', 'breached_at', 'satisfied_at']).where('case_person_id', '=', id).where('duty', '=', 'arrest').executeTakeFirstOrThrow()));
    const toldBefore = await byVictim(told.id);
    const untoldBefore = await byVictim(untold.id);
    expect(toldBefore.satisfied_at).not.toBeNull();
    expect(untoldBefore.breached_at).not.toBeNull();

    // A charge now opens a fresh clock for each; then both are given enhanced rights.
    await later.send('NIC/26/7703', { status: 'CHG', victims: [{ reference: 'V1', name: 'Told Victim' }, { reference: 'V2', name: 'Untold Victim' }] });
    await later.send('NIC/26/7703', {
      victims: [
        { reference: 'V1', name: 'Told Victim', enhancedRights: true },
        { reference: 'V2', name: 'Untold Victim', enhancedRights: true },
      ],
    });
    expect(await byVictim(told.id)).toEqual(toldBefore);
    expect(await byVictim(untold.id)).toEqual(untoldBefore);
    const retimed = (await eventsOf(created.caseId, 'case.victim_update_retimed')).map((e) => e.data as { duty: string; casePersonId: string });
    // Only the charge's clocks, open, moved.
    expect(retimed.map((r) => [r.duty, r.casePersonId]).sort()).toEqual([['charge', told.id], ['charge', untold.id]].sort());
    expect(before.length).toBeGreaterThan(0);
  });
});
