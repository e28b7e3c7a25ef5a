import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createOtherForce, createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import { withForce, withSystem } from '../../src/platform/db/database.ts';
import { newId, type ForceId } from '../../src/platform/ids.ts';

/**
 * Two forces in one database. A member of the other force must get nothing of the demo force
 * through any endpoint, and the database itself must enforce that for the application role.
 */

type Session = Awaited<ReturnType<typeof signIn>>;
type ErrorBody = { error: { code: string; message: string } };
type ContactDetail = {
  contact: { id: string; reference: string; status: string; outcome: string | null; caseId: string | null };
  messages: { id: string; direction: string; body: string }[];
};

/** Thrown to roll back a probe transaction, carrying what the probe saw. */
class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rollback');
  }
}
async function inRolledBackForce<T>(app: TestApp, forceId: ForceId, work: Parameters<typeof withForce<T>>[2]): Promise<T> {
  try {
    await withForce(app.database.db, forceId, async (tx) => {
      throw new Rollback(await work(tx));
    });
  } catch (error) {
    if (error instanceof Rollback) return error.value as T;
    throw error;
  }
  throw new Error('unreachable');
}

const TENANT_TABLES = [
  'staff', 'staff_sessions', 'events', 'event_chain_heads', 'jobs', 'reference_counters', 'people', 'identities',
  'triage_rule_sets', 'triage_rules', 'contacts', 'messages', 'cases', 'message_templates', 'outbox', 'portal_codes',
] as const;

describe('tenancy between two forces', () => {
  let app: TestApp;
  let demoForceId: ForceId;
  let otherForceId: ForceId;
  let demoHandler: Session;
  let demoAdmin: Session;
  let otherHandler: Session;
  let otherAdmin: Session;

  /** Demo contacts: one replied to (has outbox + jobs), one untouched target, one closed. */
  const demo = { replied: '', target: '', closed: '', targetReference: '' };
  const other = { contactIds: [] as string[], outboxIds: [] as string[] };
  let demoOutboxIds: string[] = [];
  let demoPendingJobIds: string[] = [];
  let demoDeadJobId = '';

  const get = (session: Session, url: string) => app.inject({ method: 'GET', url, headers: session.headers });
  const post = (session: Session, url: string, payload: object) =>
    app.inject({ method: 'POST', url, headers: session.headers, payload });

  const report = (forceId: ForceId, key: string, email: string) =>
    submitPublicReport(app.deps, forceId, {
      submissionId: `tenancy-${key}`,
      whatHappened: `Report ${key}: my bicycle was stolen from outside the library`,
      where: 'Library',
      when: 'yesterday',
      name: `Person ${key}`,
      email,
    });

  const countWhere = async (table: (typeof TENANT_TABLES)[number], forceId: ForceId) => {
    const row = await withSystem(app.database.db, (tx) =>
      sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)} where force_id = ${forceId}`.execute(tx),
    );
    return Number(row.rows[0]?.n);
  };

  beforeAll(async () => {
    app = await createTestApp();
    demoForceId = app.demoForceId;
    const created = await createOtherForce(app, ['call_handler', 'force_admin']);
    otherForceId = created.forceId;

    demoHandler = await signIn(app, 'handler@demo.police.uk');
    demoAdmin = await signIn(app, 'admin@demo.police.uk');
    otherHandler = await signIn(app, created.emails.call_handler!, 'other-password');
    otherAdmin = await signIn(app, created.emails.force_admin!, 'other-password');
    expect(otherHandler.user.forceId).toBe(otherForceId);
    expect(otherHandler.user.forceId).not.toBe(demoForceId);

    demo.replied = (await report(demoForceId, 'demo-1', 'demo-victim@example.org')).contactId;
    const target = await report(demoForceId, 'demo-2', 'demo-target@example.org');
    demo.target = target.contactId;
    demo.targetReference = target.reference;
    demo.closed = (await report(demoForceId, 'demo-3', 'demo-closed@example.org')).contactId;
    for (let i = 1; i <= 2; i += 1) other.contactIds.push((await report(otherForceId, `other-${i}`, `other-victim-${i}@example.org`)).contactId);

    // Demo: two replies (two outbox rows, two delivery jobs) and one closed contact.
    for (const text of ['First demo reply', 'Second demo reply']) {
      expect((await post(demoHandler, `/api/contacts/${demo.replied}/replies`, { body: text })).statusCode).toBe(201);
    }
    expect((await post(demoHandler, `/api/contacts/${demo.closed}/close`, { outcome: 'advice_given' })).statusCode).toBe(200);
    // Other: one reply, so the other force has outbox rows and jobs of its own to see.
    expect((await post(otherHandler, `/api/contacts/${other.contactIds[0]}/replies`, { body: 'Other force reply' })).statusCode).toBe(201);

    demoOutboxIds = await withSystem(app.database.db, async (tx) =>
      (await tx.selectFrom('outbox').select('id').where('force_id', '=', demoForceId).execute()).map((r) => r.id),
    );
    other.outboxIds = await withSystem(app.database.db, async (tx) =>
      (await tx.selectFrom('outbox').select('id').where('force_id', '=', otherForceId).execute()).map((r) => r.id),
    );
    expect(demoOutboxIds).toHaveLength(2);
    expect(other.outboxIds).toHaveLength(1);

    // One of the demo delivery jobs is made dead, so a cross-force retry would have something to revive.
    const demoJobs = await withSystem(app.database.db, (tx) =>
      tx.selectFrom('jobs').select(['id', 'state']).where('force_id', '=', demoForceId).orderBy('created_at').execute(),
    );
    expect(demoJobs.length).toBeGreaterThanOrEqual(2);
    demoDeadJobId = demoJobs[0]!.id;
    await withSystem(app.database.db, (tx) =>
      tx.updateTable('jobs').set({ state: 'dead', last_error: 'made dead by the tenancy test' }).where('id', '=', demoDeadJobId).execute(),
    );
    demoPendingJobIds = demoJobs.slice(1).filter((j) => j.state === 'pending').map((j) => j.id);
    expect(demoPendingJobIds.length).toBeGreaterThanOrEqual(1);
  });
  afterAll(() => app.close());

  describe('through the API', () => {
    it('lists-only-own-contacts-in-the-open-queue', async () => {
      const response = await get(otherHandler, '/api/contacts');
      expect(response.statusCode).toBe(200);
      const ids = response.json<{ contacts: { id: string }[] }>().contacts.map((c) => c.id);
      expect(ids.sort()).toEqual([...other.contactIds].sort());
      // Control: the demo force does see its own open contacts.
      const demoIds = (await get(demoHandler, '/api/contacts')).json<{ contacts: { id: string }[] }>().contacts.map((c) => c.id);
      expect(demoIds).toEqual(expect.arrayContaining([demo.replied, demo.target]));
      for (const id of other.contactIds) expect(demoIds).not.toContain(id);
    });

    it('hides-other-force-closed-contacts', async () => {
      const response = await get(otherHandler, '/api/contacts?status=closed');
      expect(response.statusCode).toBe(200);
      expect(response.json<{ contacts: unknown[] }>().contacts).toEqual([]);
      const demoClosed = (await get(demoHandler, '/api/contacts?status=closed')).json<{ contacts: { id: string }[] }>();
      expect(demoClosed.contacts.map((c) => c.id)).toContain(demo.closed);
    });

    it('answers-404-for-a-demo-contact-by-id', async () => {
      for (const session of [otherHandler, otherAdmin]) {
        for (const id of [demo.replied, demo.target, demo.closed]) {
          const response = await get(session, `/api/contacts/${id}`);
          expect(response.statusCode).toBe(404);
          expect(response.json<ErrorBody>().error.code).toBe('not_found');
          expect(response.body).not.toContain(demo.targetReference);
        }
      }
      // Same answer as for an id that exists nowhere: the other force cannot tell "exists elsewhere".
      const nowhere = await get(otherHandler, `/api/contacts/${newId()}`);
      expect(nowhere.statusCode).toBe(404);
      expect(nowhere.json()).toEqual((await get(otherHandler, `/api/contacts/${demo.target}`)).json());
    });

    it('refuses-reply-close-and-case-on-a-demo-contact-and-changes-nothing', async () => {
      const eventsBefore = await countWhere('events', demoForceId);
      const messagesBefore = await countWhere('messages', demoForceId);
      const outboxBefore = await countWhere('outbox', demoForceId);
      const casesBefore = await countWhere('cases', demoForceId);

      const replyAttempt = await post(otherHandler, `/api/contacts/${demo.target}/replies`, { body: 'Cross-force reply' });
      expect(replyAttempt.statusCode).toBe(404);
      expect(replyAttempt.json<ErrorBody>().error.code).toBe('not_found');
      const closeAttempt = await post(otherHandler, `/api/contacts/${demo.target}/close`, { outcome: 'duplicate', note: 'x' });
      expect(closeAttempt.statusCode).toBe(404);
      expect(closeAttempt.json<ErrorBody>().error.code).toBe('not_found');
      const caseAttempt = await post(otherHandler, `/api/contacts/${demo.target}/case`, {});
      expect(caseAttempt.statusCode).toBe(404);
      expect(caseAttempt.json<ErrorBody>().error.code).toBe('not_found');
      // Also on the already-closed demo contact: no 409 that would reveal its state.
      const closeClosed = await post(otherHandler, `/api/contacts/${demo.closed}/close`, { outcome: 'duplicate' });
      expect(closeClosed.statusCode).toBe(404);
      const replyClosed = await post(otherHandler, `/api/contacts/${demo.closed}/replies`, { body: 'x' });
      expect(replyClosed.statusCode).toBe(404);

      expect(await countWhere('events', demoForceId)).toBe(eventsBefore);
      expect(await countWhere('messages', demoForceId)).toBe(messagesBefore);
      expect(await countWhere('outbox', demoForceId)).toBe(outboxBefore);
      expect(await countWhere('cases', demoForceId)).toBe(casesBefore);
      // Nor did anything land in the other force under the demo contact's id.
      const strays = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('messages').select('id').where('contact_id', '=', demo.target).where('force_id', '=', otherForceId).execute(),
      );
      expect(strays).toEqual([]);

      // The demo handler's view of the contact is as it was.
      const view = await get(demoHandler, `/api/contacts/${demo.target}`);
      expect(view.statusCode).toBe(200);
      const detail = view.json<ContactDetail>();
      expect(detail.contact.status).toBe('open');
      expect(detail.contact.outcome).toBeNull();
      expect(detail.contact.caseId).toBeNull();
      expect(detail.messages.map((m) => m.direction)).toEqual(['inbound']);
      expect(detail.messages.map((m) => m.body).join('\n')).not.toContain('Cross-force reply');
    });

    it('shows-no-demo-outbox-rows', async () => {
      const response = await get(otherAdmin, '/api/outbox');
      expect(response.statusCode).toBe(200);
      const messages = response.json<{ messages: { id: string; recipient: string; body: string }[] }>().messages;
      expect(messages.map((m) => m.id).sort()).toEqual([...other.outboxIds].sort());
      for (const message of messages) {
        expect(demoOutboxIds).not.toContain(message.id);
        expect(message.recipient).not.toMatch(/^demo-/);
        expect(message.body).not.toContain('demo reply');
      }
      // Control: the demo admin sees the demo rows.
      const demoView = (await get(demoAdmin, '/api/outbox')).json<{ messages: { id: string }[] }>().messages.map((m) => m.id);
      expect(demoView.sort()).toEqual([...demoOutboxIds].sort());
    });

    it('shows-no-demo-jobs-in-any-state', async () => {
      const otherJobIds = await withSystem(app.database.db, async (tx) =>
        (await tx.selectFrom('jobs').select('id').where('force_id', '=', otherForceId).where('state', '=', 'pending').execute()).map((r) => r.id),
      );
      expect(otherJobIds.length).toBeGreaterThanOrEqual(1);
      const pending = await get(otherAdmin, '/api/jobs?state=pending');
      expect(pending.statusCode).toBe(200);
      const pendingIds = pending.json<{ jobs: { id: string }[] }>().jobs.map((j) => j.id);
      expect(pendingIds.sort()).toEqual([...otherJobIds].sort());
      for (const id of demoPendingJobIds) expect(pendingIds).not.toContain(id);

      const dead = await get(otherAdmin, '/api/jobs?state=dead');
      expect(dead.statusCode).toBe(200);
      expect(dead.json<{ jobs: unknown[] }>().jobs).toEqual([]);

      // Control: the demo admin sees its pending and dead jobs.
      const demoPending = (await get(demoAdmin, '/api/jobs?state=pending')).json<{ jobs: { id: string }[] }>().jobs.map((j) => j.id);
      expect(demoPending).toEqual(expect.arrayContaining(demoPendingJobIds));
      const demoDead = (await get(demoAdmin, '/api/jobs?state=dead')).json<{ jobs: { id: string }[] }>().jobs.map((j) => j.id);
      expect(demoDead).toEqual([demoDeadJobId]);
    });

    it('refuses-to-retry-a-demo-job-with-404-and-leaves-it-dead', async () => {
      const eventsBefore = await countWhere('events', demoForceId);
      for (const id of [demoDeadJobId, demoPendingJobIds[0]!]) {
        const response = await app.inject({ method: 'POST', url: `/api/jobs/${id}/retry`, headers: otherAdmin.headers });
        expect(response.statusCode).toBe(404);
        expect(response.json<ErrorBody>().error.code).toBe('not_found');
      }
      const job = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('jobs').select(['state', 'attempts', 'last_error']).where('id', '=', demoDeadJobId).executeTakeFirstOrThrow(),
      );
      expect(job.state).toBe('dead');
      expect(job.last_error).toBe('made dead by the tenancy test');
      expect(await countWhere('events', demoForceId)).toBe(eventsBefore);

      // Control: the demo admin can retry it, so the 404 above was tenancy, not a broken route.
      const own = await app.inject({ method: 'POST', url: `/api/jobs/${demoDeadJobId}/retry`, headers: demoAdmin.headers });
      expect(own.statusCode).toBe(200);
      expect(own.json<{ job: { id: string; state: string } }>().job).toMatchObject({ id: demoDeadJobId, state: 'pending' });
    });

    it('verifies-only-its-own-audit-events', async () => {
      const response = await get(otherAdmin, '/api/audit/verify');
      expect(response.statusCode).toBe(200);
      const result = response.json<{ ok: boolean; checked: number }>();
      const otherCount = await countWhere('events', otherForceId);
      const demoCount = await countWhere('events', demoForceId);
      expect(result.ok).toBe(true);
      expect(result.checked).toBe(otherCount);
      expect(otherCount).toBeGreaterThan(0);
      expect(demoCount).not.toBe(otherCount);

      const demoResult = (await get(demoAdmin, '/api/audit/verify')).json<{ ok: boolean; checked: number }>();
      expect(demoResult.ok).toBe(true);
      expect(demoResult.checked).toBe(await countWhere('events', demoForceId));
    });

    it('reports-its-own-force-in-me', async () => {
      const me = (await get(otherHandler, '/api/auth/me')).json<{ user: { forceId: string; forceName: string } }>();
      expect(me.user.forceId).toBe(otherForceId);
      expect(me.user.forceName).toBe('Other Police');
    });
  });

  describe('in the database (row-level security for the application role)', () => {
    it('returns-only-own-contacts-from-a-query-without-a-where-clause', async () => {
      const rows = await withForce(app.database.db, otherForceId, (tx) => tx.selectFrom('contacts').selectAll().execute());
      expect(rows.length).toBe(await countWhere('contacts', otherForceId));
      expect(rows.map((r) => r.id).sort()).toEqual([...other.contactIds].sort());
      for (const row of rows) expect(row.force_id).toBe(otherForceId);
      // Control: the demo force's rows are really there.
      expect(await countWhere('contacts', demoForceId)).toBeGreaterThanOrEqual(3);
    });

    it('scopes-every-tenant-table-and-the-forces-table', async () => {
      for (const table of TENANT_TABLES) {
        const seen = await withForce(app.database.db, otherForceId, (tx) =>
          sql<{ force_id: string }>`select force_id::text as force_id from ${sql.table(table)}`.execute(tx),
        );
        const foreign = seen.rows.filter((r) => r.force_id !== otherForceId);
        expect(foreign, `${table} leaks ${foreign.length} rows of another force`).toEqual([]);
        expect(seen.rows.length, table).toBe(await countWhere(table, otherForceId));
      }
      const forces = await withForce(app.database.db, otherForceId, (tx) => tx.selectFrom('forces').select('id').execute());
      expect(forces.map((f) => f.id)).toEqual([otherForceId]);
    });

    it('rejects-inserting-a-demo-force-row-inside-the-other-force', async () => {
      const attempt = withForce(app.database.db, otherForceId, (tx) =>
        tx
          .insertInto('contacts')
          .values({
            id: newId(),
            force_id: demoForceId,
            reference: 'PLANTED-1',
            channel: 'portal',
            status: 'open',
            person_id: null,
            summary: 'planted by another force',
            location: null,
            occurred_text: null,
            priority: 1,
            score: 100,
            triage: null,
            rule_set_version: null,
            received_at: new Date(),
          })
          .execute(),
      );
      await expect(attempt).rejects.toThrow(/row-level security/i);
      const planted = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('contacts').select('id').where('reference', '=', 'PLANTED-1').execute(),
      );
      expect(planted).toEqual([]);
    });

    it('rejects-moving-an-own-row-into-the-demo-force', async () => {
      const attempt = withForce(app.database.db, otherForceId, (tx) =>
        tx.updateTable('contacts').set({ force_id: demoForceId }).where('id', '=', other.contactIds[1]!).execute(),
      );
      await expect(attempt).rejects.toThrow(/row-level security/i);
      const row = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('contacts').select('force_id').where('id', '=', other.contactIds[1]!).executeTakeFirstOrThrow(),
      );
      expect(row.force_id).toBe(otherForceId);
    });

    it('updates-and-deletes-without-a-where-clause-touch-only-own-rows', async () => {
      const demoSessionsBefore = await countWhere('staff_sessions', demoForceId);
      const otherContacts = await countWhere('contacts', otherForceId);
      const otherSessions = await countWhere('staff_sessions', otherForceId);
      const touched = await inRolledBackForce(app, otherForceId, async (tx) => {
        const updated = await sql`update contacts set summary = 'overwritten by another force'`.execute(tx);
        const deleted = await sql`delete from staff_sessions`.execute(tx);
        return { updated: Number(updated.numAffectedRows), deleted: Number(deleted.numAffectedRows) };
      });
      expect(touched.updated).toBe(otherContacts);
      expect(touched.deleted).toBe(otherSessions);
      const overwritten = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('contacts').select('id').where('summary', '=', 'overwritten by another force').execute(),
      );
      expect(overwritten).toEqual([]);
      expect(await countWhere('staff_sessions', demoForceId)).toBe(demoSessionsBefore);
      expect((await get(demoHandler, '/api/auth/me')).statusCode).toBe(200);
    });

    it('forbids-the-application-role-to-update-or-delete-events', async () => {
      const before = await countWhere('events', otherForceId);
      await expect(
        withForce(app.database.db, otherForceId, (tx) => sql`update events set type = 'x'`.execute(tx)),
      ).rejects.toThrow(/permission denied|append-only/i);
      await expect(
        withForce(app.database.db, otherForceId, (tx) => sql`delete from events`.execute(tx)),
      ).rejects.toThrow(/permission denied|append-only/i);
      // Not even its own force's events, named explicitly.
      await expect(
        withForce(app.database.db, otherForceId, (tx) => sql`delete from events where force_id = ${otherForceId}`.execute(tx)),
      ).rejects.toThrow(/permission denied|append-only/i);
      await expect(
        withForce(app.database.db, otherForceId, (tx) => sql`truncate events`.execute(tx)),
      ).rejects.toThrow(/permission denied|append-only/i);
      expect(await countWhere('events', otherForceId)).toBe(before);
      const types = await withSystem(app.database.db, (tx) =>
        tx.selectFrom('events').select('id').where('type', '=', 'x').execute(),
      );
      expect(types).toEqual([]);
      const verify = (await get(otherAdmin, '/api/audit/verify')).json<{ ok: boolean; checked: number }>();
      expect(verify).toMatchObject({ ok: true, checked: before });
    });

    it('rejects-appending-an-event-for-the-demo-force-inside-the-other-force', async () => {
      const attempt = withForce(app.database.db, otherForceId, (tx) =>
        sql`insert into events (force_id, seq, id, occurred_at, actor_type, actor_id, type, subject_type, subject_id, data, prev_hash, hash)
            values (${demoForceId}, 999999, ${newId()}, now(), 'system', null, 'planted', 'force', ${demoForceId}, '{}'::jsonb, 'x', 'y')`.execute(tx),
      );
      await expect(attempt).rejects.toThrow(/row-level security/i);
    });
  });
});
