// Decision 0185. The people on a case are listed in the order they were added, ties broken by
// `seq` (decision 0157). Rows stored before migration 0074 gave case_people its `seq` have none,
// so people added in one transaction then (a case opened with its victims) tied, and came back in
// whatever order PostgreSQL met the rows: an update to one moved it. They are now in order of id.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { newId } from '../../src/platform/ids.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

describe(`the people on a case stored before their seq (${ENGINE})`, () => {
  const clock = fixedClock(new Date('2026-12-02T10:00:00Z'));
  let app: TestApp;
  let handler: Session;
  let investigator: Session;

  beforeAll(async () => {
    app = await createTestApp({ overrides: { clock } });
    handler = await signIn(app, 'handler@demo.police.uk');
    investigator = await signIn(app, 'investigator@demo.police.uk');
  });
  afterAll(() => app.close());

  it('lists-people-added-at-one-time-before-seq-in-order-of-id-whatever-order-the-rows-are-stored-in', async () => {
    const report = await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: 'before-seq-1',
      whatHappened: 'Someone keeps damaging my car and leaving notes',
      where: '4 Mill Lane, Demoton',
      when: 'Every night this week',
      name: 'Sam Reporter',
      email: 'sam.before.seq@example.org',
    });
    const created = await app.inject({ method: 'POST', url: `/api/contacts/${report.contactId}/case`, headers: handler.headers, payload: {} });
    expect(created.statusCode, created.body).toBe(201);
    const caseId = created.json<{ case: { id: string } }>().case.id;
    // Two more people added with the reporter in one transaction, all before case_people had a seq.
    await withSystem(app.database.db, async (tx) => {
      const reporter = await tx.selectFrom('case_people').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
      const { seq: _seq, ...row } = reporter;
      for (const name of ['Alex Witness', 'Jo Witness']) {
        await tx.insertInto('case_people').values({ ...row, id: newId(), role: 'witness', name, person_id: null, email: null, records_reference: null }).execute();
      }
      await sql`update case_people set seq = null, added_at = ${reporter.added_at} where case_id = ${caseId}`.execute(tx);
    });
    const listed = async () => {
      const response = await app.inject({ method: 'GET', url: `/api/cases/${caseId}`, headers: investigator.headers });
      expect(response.statusCode, response.body).toBe(200);
      return response.json<{ case: { people: { id: string }[] } }>().case.people.map((p) => p.id);
    };
    const byId = [...(await listed())].sort();
    expect(byId).toHaveLength(3);
    // Each row moved past the others, the highest id first, as a change to it and its undoing do.
    await withSystem(app.database.db, async (tx) => {
      for (const id of [...byId].reverse()) {
        // An indexed column: PostgreSQL cannot keep the new version beside the old (a HOT update).
        await sql`update case_people set records_reference = 'moved' where id = ${id}`.execute(tx);
        await sql`update case_people set records_reference = null where id = ${id}`.execute(tx);
      }
    });
    expect(await listed()).toEqual(byId);
    expect(await listed()).toEqual(byId);
  });
});
