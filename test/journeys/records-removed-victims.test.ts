// A victim staff removed from a case stays removed when the force's records system still lists
// them: a routine sync neither adds them back nor changes the removed row, and the first update
// that lists them says so once on the case's timeline, so staff can add them again on purpose.
// See docs/decisions/0080.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, type TestApp } from '../helpers.ts';
import { connectRecordsSystem, type Session } from './journey-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';

// A Monday morning in March (GMT).
const START = new Date('2026-03-02T10:00:00Z');

type CaseBody = { people: { id: string; name: string }[]; timeline: { type: string; actor: string; details: Record<string, string> }[] };

describe(`a victim the records system names again after staff removed them (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let records: Awaited<ReturnType<typeof connectRecordsSystem>>;
  let investigator: Session;

  const send = (reference: string, payload: Record<string, unknown>) => records.send(reference, payload);
  const eventsOf = (caseId: string, type: string) =>
    withSystem(app.database.db, (tx) => tx.selectFrom('events').select(['data', 'actor_type']).where('subject_id', '=', caseId).where('type', '=', type).orderBy('seq').execute());
  const rowsOf = (caseId: string) =>
    withSystem(app.database.db, (tx) =>
      tx.selectFrom('case_people').select(['id', 'name', 'email', 'enhanced_rights', 'removed_at', 'records_reference']).where('case_id', '=', caseId).orderBy('added_at').execute(),
    );
  const readCase = async (caseId: string) => {
    const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ case: CaseBody }>().case;
  };
  /** The messages of a case to the person a victim row is linked to (by any channel). */
  const messagesTo = (caseId: string, casePersonId: string) =>
    withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('outbox')
        .select(['purpose', 'created_at'])
        .where('case_id', '=', caseId)
        .where('person_id', '=', tx.selectFrom('case_people').select('person_id').where('id', '=', casePersonId))
        .execute(),
    );

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    records = await connectRecordsSystem(app, clock, START);
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(() => app.close());

  it('keeps the removed victim removed and unchanged, says so once on the timeline, and tells them nothing more', async () => {
    const victims = [
      { reference: 'V1', name: 'Sam Removed', email: 'sam.removed@example.org' },
      { reference: 'V2', name: 'Kim Kept', email: 'kim.kept@example.org' },
    ];
    const created = await send('NIC/26/8801', { status: 'ARR', victims });
    const removed = (await rowsOf(created.caseId)).find((row) => row.records_reference === 'V1');
    const gone = await app.inject({ method: 'DELETE', url: `/api/cases/${created.caseId}/people/${removed?.id ?? ''}`, headers: investigator.headers });
    expect(gone.statusCode, gone.body).toBe(200);
    const removedAt = (await rowsOf(created.caseId)).find((row) => row.id === removed?.id)?.removed_at;
    expect(removedAt).toBeInstanceOf(Date);

    // The records system still lists them, with new details; and charges the suspect.
    const listed = await send('NIC/26/8801', {
      status: 'CHG',
      victims: [{ reference: 'V1', name: 'Samuel Removed', email: 'sam.removed@example.org', enhancedRights: true }, victims[1]],
    });
    expect(listed.result).toBe('updated');
    const rows = await rowsOf(created.caseId);
    // No second row, and the removed one is as staff left it.
    expect(rows.filter((row) => row.records_reference === 'V1')).toEqual([expect.objectContaining({ id: removed?.id, name: 'Sam Removed', enhanced_rights: false, removed_at: removedAt })]);
    expect(await eventsOf(created.caseId, 'case.person_changed')).toEqual([]);
    expect(await eventsOf(created.caseId, 'case.person_added')).toHaveLength(2);

    // One event says the records system still lists them, on the timeline staff read.
    const said = await eventsOf(created.caseId, 'case.removed_person_still_listed');
    expect(said).toEqual([
      expect.objectContaining({ actor_type: 'system', data: expect.objectContaining({ casePersonId: removed?.id, role: 'victim', source: 'records_system', recordsReference: 'V1' }) }),
    ]);
    const view = await readCase(created.caseId);
    expect(view.people.map((p) => p.name)).toEqual(['Kim Kept']);
    expect(view.timeline.filter((e) => e.type === 'case.removed_person_still_listed')).toEqual([
      expect.objectContaining({ actor: 'system', details: expect.objectContaining({ name: 'Sam Removed', recordsReference: 'V1' }) }),
    ]);

    // Every later sync lists them again: nothing more is said or changed.
    await send('NIC/26/8801', { victims: [{ reference: 'V1', name: 'Samuel Removed', email: 'sam.removed@example.org' }, victims[1]] });
    await send('NIC/26/8801', { victims: [{ reference: 'V1', name: 'Sam R', email: 'sam.removed@example.org' }, victims[1]] });
    expect(await eventsOf(created.caseId, 'case.removed_person_still_listed')).toHaveLength(1);
    expect(await eventsOf(created.caseId, 'case.person_changed')).toEqual([]);
    expect((await rowsOf(created.caseId)).find((row) => row.id === removed?.id)).toMatchObject({ name: 'Sam Removed', removed_at: removedAt });

    // The charge was told to the victim on the case, and to nobody removed from it.
    const kept = (await rowsOf(created.caseId)).find((row) => row.records_reference === 'V2');
    const samMessages = await messagesTo(created.caseId, removed?.id ?? '');
    expect(samMessages.length).toBeGreaterThan(0);
    expect(samMessages.filter((m) => m.created_at.getTime() > (removedAt?.getTime() ?? 0))).toEqual([]);
    expect((await messagesTo(created.caseId, kept?.id ?? '')).map((m) => m.purpose)).toContain('journey:case.charged');
    // Their Victims' Code clocks stay withdrawn: none is open for them.
    const open = await withSystem(app.database.db, (tx) => tx.selectFrom('victim_updates').select('id').where('case_person_id', '=', removed?.id ?? '').where('satisfied_at', 'is', null).execute());
    expect(open).toEqual([]);
  });

  it('takes a victim the records system names for the first time as it always did, removed or not elsewhere', async () => {
    const created = await send('NIC/26/8802', { status: 'ARR', victims: [{ reference: 'V1', name: 'Ali First' }] });
    const first = (await rowsOf(created.caseId))[0];
    await app.inject({ method: 'DELETE', url: `/api/cases/${created.caseId}/people/${first?.id ?? ''}`, headers: investigator.headers });
    // A victim under another reference is another victim: added, and on the timeline as added.
    await send('NIC/26/8802', { victims: [{ reference: 'V2', name: 'Bo Second' }] });
    expect((await readCase(created.caseId)).people.map((p) => p.name)).toEqual(['Bo Second']);
    expect(await eventsOf(created.caseId, 'case.removed_person_still_listed')).toEqual([]);
    // A removed person cannot be removed again, nor changed: 404, as for no such person.
    expect((await app.inject({ method: 'DELETE', url: `/api/cases/${created.caseId}/people/${first?.id ?? ''}`, headers: investigator.headers })).statusCode).toBe(404);
    expect((await app.inject({ method: 'PATCH', url: `/api/cases/${created.caseId}/people/${first?.id ?? ''}`, headers: investigator.headers, payload: { name: 'X' } })).statusCode).toBe(404);
  });
});
