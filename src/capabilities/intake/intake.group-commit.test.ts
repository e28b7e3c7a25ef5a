import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, submitPublicReport, type TestApp } from '../../../test/helpers.ts';
import { withForce, withSystem } from '../../platform/db/database.ts';
import { verifyChain } from '../../platform/events/event-log.ts';
import type { PublicReport } from './intake.schema.ts';

function report(id: string, overrides: Partial<PublicReport> = {}): PublicReport {
  return {
    submissionId: `00000000-0000-4000-8000-${id.padStart(12, '0')}`,
    whatHappened: `Report ${id}: someone keeps trying car door handles on our street.`,
    where: 'Acacia Avenue',
    when: 'tonight',
    name: 'Group Tester',
    email: `group-${id}@example.org`,
    ...overrides,
  };
}

describe('reports stored in groups (group commit)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  const referenceNumber = (reference: string) => Number(reference.slice(-6));

  it('stores concurrent reports once each, sharing transactions, in one chain that verifies', async () => {
    const reports = Array.from({ length: 24 }, (_, i) => report(`1${i}`, i % 3 === 0 ? { email: 'group-same@example.org' } : {}));
    // Each fourth report is posted twice at once (a double click): it must be stored once.
    const posted = [...reports, ...reports.filter((_, i) => i % 4 === 0)];
    const results = await Promise.all(posted.map((r) => submitPublicReport(app.deps, app.demoForceId, r)));

    const bySubmission = new Map<string, { reference: string; stored: number }>();
    posted.forEach((r, i) => {
      const result = results[i];
      if (!result) throw new Error('missing result');
      const seen = bySubmission.get(r.submissionId);
      if (seen) expect(result.reference).toBe(seen.reference);
      bySubmission.set(r.submissionId, { reference: result.reference, stored: (seen?.stored ?? 0) + (result.isDuplicate ? 0 : 1) });
    });
    for (const { stored } of bySubmission.values()) expect(stored).toBe(1);
    // References are unique and gap-free.
    const numbers = [...bySubmission.values()].map((v) => referenceNumber(v.reference)).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(reports.length);
    expect((numbers.at(-1) ?? 0) - (numbers[0] ?? 0)).toBe(reports.length - 1);

    const ids = reports.map((r) => r.submissionId);
    const rows = await withSystem(app.database.db, async (tx) => {
      const messages = await tx.selectFrom('messages').select(['contact_id', 'provider_message_id']).where('provider_message_id', 'in', ids).execute();
      // xmin names the transaction that wrote each row: fewer transactions than reports means groups formed.
      const transactions = await sql<{ n: number }>`select count(distinct xmin::text)::int as n from messages where provider_message_id in (${sql.join(ids)})`.execute(tx);
      return { messages, transactions: Number(transactions.rows[0]?.n) };
    });
    expect(rows.messages).toHaveLength(reports.length);
    expect(rows.transactions).toBeLessThan(reports.length);

    // One person for the one address used several times, created once.
    const people = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('identities').select('person_id').where('value', '=', 'group-same@example.org').execute(),
    );
    expect(people).toHaveLength(1);

    const chain = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(chain.ok).toBe(true);

    // Each contact's events come in the order one report alone would give them.
    const events = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('events')
        .select(['seq', 'type', 'subject_id'])
        .where('force_id', '=', app.demoForceId)
        .where('subject_id', 'in', rows.messages.map((m) => m.contact_id))
        .orderBy('seq')
        .execute(),
    );
    for (const message of rows.messages) {
      const types = events.filter((e) => e.subject_id === message.contact_id).map((e) => e.type);
      expect(types.slice(0, 3)).toEqual(['contact.received', 'contact.triaged', 'contact.routed']);
    }
    const personCreated = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('events').select('seq').where('type', '=', 'person.created').where('subject_id', '=', people[0]?.person_id ?? '').execute(),
    );
    expect(personCreated).toHaveLength(1);
  });

  it('counts earlier reports of the same person in the group as repeat contact, as one by one would', async () => {
    const email = 'group-repeat@example.org';
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => submitPublicReport(app.deps, app.demoForceId, report(`2${i}`, { email }))));
    const contacts = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('contacts').select(['reference', 'triage']).where('id', 'in', results.map((r) => r.contactId)).execute(),
    );
    const repeatLabels = contacts
      .sort((a, b) => a.reference.localeCompare(b.reference))
      .map((c) => /repeat contact \((\d+) recent contacts\)/.exec(JSON.stringify(c.triage))?.[1] ?? null);
    // A new person, then one, two, three and four earlier contacts; triage speaks from three.
    expect(repeatLabels).toEqual([null, null, null, '3', '4']);
  });

  it('fails-only-the-bad-report-of-a-group-and-stores-the-rest', async () => {
    // A NUL character gets past nothing at the HTTP edge; straight into the service it makes the
    // database refuse the whole transaction it is in.
    const good = [report('31'), report('32'), report('33'), report('34')];
    const bad = report('35', { whatHappened: 'broken \u0000 text' });
    const settled = await Promise.allSettled([good[0], good[1], bad, good[2], good[3]].map((r) => submitPublicReport(app.deps, app.demoForceId, r as PublicReport)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const stored = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('messages')
        .select('provider_message_id')
        .where('provider_message_id', 'in', [...good, bad].map((r) => r.submissionId))
        .execute(),
    );
    expect(stored.map((m) => m.provider_message_id).sort()).toEqual(good.map((r) => r.submissionId).sort());
    // The failed report took no reference: the others' are consecutive.
    const numbers = settled.flatMap((s) => (s.status === 'fulfilled' ? [referenceNumber(s.value.reference)] : [])).sort((a, b) => a - b);
    expect((numbers.at(-1) ?? 0) - (numbers[0] ?? 0)).toBe(good.length - 1);
    const chain = await withForce(app.database.db, app.demoForceId, (tx) => verifyChain(tx, app.demoForceId));
    expect(chain.ok).toBe(true);
  });
});
