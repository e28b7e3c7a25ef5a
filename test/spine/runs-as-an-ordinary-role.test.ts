// The suite's other apps connect as a superuser, which row-level security never binds. This one
// connects as an ordinary role (NOSUPERUSER NOBYPASSRLS) that owns its database, as a deployment
// should (decision 0177): it migrates and seeds from empty, takes reports through to a case and its
// messages and runs the worker's jobs under the policies; a force's transaction sees and writes
// no other force's rows; and the system policy opens every force only to the tables' owner in a
// transaction that says it is system work.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InjectOptions } from 'fastify';
import { ENGINE, signIn, submitPublicReport } from '../helpers.ts';
import { createOwnerApp, type OwnerApp } from '../owner-role-kit.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { APP_ROLE, withForce, withSystem, type Db } from '../../src/platform/db/database.ts';
import { listMigrations } from '../../src/platform/db/migrate.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { createForce } from '../../src/capabilities/admin/forces.service.ts';
import { mailboxHealthWriter, readMailboxHealth } from '../../src/capabilities/channels/mailbox-health.service.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { emailChannel } from '../../src/capabilities/channels/email/email.channel.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { applicationRoleRefusal, readApplicationRoleAccess, readDatabaseRole, roleRefusal, roleWarning } from '../../src/platform/db/role-check.ts';
import { buildApp } from '../../src/app.ts';
import { VICTIM_UPDATES_SWEEP_JOB } from '../../src/capabilities/cases/victims-code.events.ts';
import { HOUSEKEEPING_JOB } from '../../src/platform/jobs/housekeeping.ts';
import { enqueueRecurringJobs } from '../../src/platform/jobs/recurring.ts';
import { runAuditVerify } from '../../src/platform/events/audit-commands.ts';
import { insertStaff } from '../../src/capabilities/staff/staff.service.ts';
import { testPasswordHash } from '../test-passwords.ts';

type Session = Awaited<ReturnType<typeof signIn>>;

describe(`the product run as an ordinary role that owns its database (${ENGINE})`, () => {
  let owned: OwnerApp;
  let db: Db;
  let demo: ForceId;
  let other: ForceId;
  const clock = fixedClock(new Date('2026-03-02T09:00:00Z'));
  const inject = (options: InjectOptions | string) => {
    const http = owned.app.http;
    if (!http) throw new Error('no HTTP server');
    return http.inject(options);
  };
  const runJobs = async () => {
    if (!owned.app.runner) throw new Error('no job runner');
    await owned.app.runner.runDue();
  };
  let reports = 0;
  const report = async (forceId: ForceId, email: string) => {
    reports += 1;
    clock.advance(1000);
    return (
      await submitPublicReport(owned.app.deps, forceId, {
        submissionId: `ordinary-role-${reports}`,
        whatHappened: 'My shed was broken into last night',
        where: 'High Street',
        when: 'last night',
        name: `Person ${reports}`,
        email,
      })
    ).contactId;
  };
  /** Every table with force_id (and forces): the tables row-level security holds. */
  let tenantTables: string[] = [];

  beforeAll(async () => {
    owned = await createOwnerApp({ overrides: { clock } });
    db = owned.app.database.db;
    demo = (await withSystem(db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow())).id as ForceId;
    ({ forceId: other } = await createForce(db, clock, { slug: 'other', code: 'OTHR', name: 'Other Police' }));
    tenantTables = (
      await sql<{ name: string }>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind = 'r'
          and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'force_id' and not a.attisdropped)
        order by c.relname`.execute(db)
    ).rows.map((row) => row.name);
  });
  afterAll(() => owned?.close());

  it('connects as a role that is not a superuser and cannot bypass row-level security, and owns the tables', async () => {
    const [me] = (
      await sql<{ name: string; isSuper: boolean; bypasses: boolean; ownsForces: boolean }>`
        select r.rolname as name, r.rolsuper as "isSuper", r.rolbypassrls as bypasses,
          (select pg_get_userbyid(relowner) from pg_class where relname = 'forces') = current_user as "ownsForces"
        from pg_roles r where r.rolname = current_user`.execute(db)
    ).rows;
    expect(me).toEqual({ name: owned.owner, isSuper: false, bypasses: false, ownsForces: true });
    expect(tenantTables.length).toBeGreaterThan(40);
  });

  it('takes reports through triage and routing to a case, and its worker sends, acknowledges, holds and keeps house', async () => {
    // Six reports from one address: five acknowledged, the sixth held back (decision 0162) until
    // the force admin trusts the address (decision 0171).
    const contacts: string[] = [];
    for (let i = 0; i < 6; i += 1) contacts.push(await report(demo, 'centre@example.org'));
    await runJobs();
    const acknowledgements = () =>
      withForce(db, demo, (tx) =>
        tx.selectFrom('outbox').select(['status']).where('recipient', '=', 'centre@example.org').where('purpose', '=', 'acknowledgement').execute(),
      );
    expect(await acknowledgements()).toHaveLength(5);

    const admin = await signIn({ inject }, 'admin@demo.police.uk');
    const trusted = await inject({ method: 'POST', url: '/api/force/trusted-addresses', headers: admin.headers, payload: { address: 'centre@example.org' } });
    expect(trusted.statusCode, trusted.body).toBe(201);
    await runJobs();
    await runJobs();
    const sent = await acknowledgements();
    expect(sent).toHaveLength(6);

    // Triaged and routed: the contact has its triage and its queue, read by staff through the API.
    const supervisor = await signIn({ inject }, 'supervisor@demo.police.uk');
    const detail = await inject({ method: 'GET', url: `/api/contacts/${contacts[0]}`, headers: supervisor.headers });
    expect(detail.statusCode, detail.body).toBe(200);
    const routed = await withForce(db, demo, (tx) => tx.selectFrom('contacts').select(['queue_id']).where('id', 'in', contacts).execute());
    expect(routed.every((row) => row.queue_id !== null)).toBe(true);

    // A case with a victim whose milestones send them messages through the journeys and the outbox.
    // The force's online processing recorded a case for each report (decision 0033).
    const [recorded] = await withForce(db, demo, (tx) => tx.selectFrom('cases').select('id').where('contact_id', '=', contacts[0] ?? '').execute());
    if (!recorded) throw new Error('no case was recorded for the report');
    const caseId = recorded.id;
    const investigator: Session = await signIn({ inject }, 'investigator@demo.police.uk');
    const allocated = await inject({
      method: 'POST',
      url: `/api/cases/${caseId}/milestones`,
      headers: investigator.headers,
      payload: { type: 'allocate', officerInCase: investigator.user.id, team: 'CID North' },
    });
    expect(allocated.statusCode, allocated.body).toBe(200);
    await runJobs();
    const toVictim = await withForce(db, demo, (tx) => tx.selectFrom('outbox').select('status').where('purpose', '=', 'journey:case.allocated').execute());
    expect(toVictim).toEqual([{ status: 'delivered' }]);

    // A mailbox's health, stored by the poller for the force admin (decisions 0175, 0181): an email
    // account with IMAP settings, connected through the product's own path, then its health written and read.
    const deps = { ...owned.app.deps, secrets: new SecretBox(owned.app.config.secretsKey) };
    const imap = { host: 'imap.demo.police.uk', port: 993, secure: true, user: 'reports', password: 'not-used-0177', mailbox: 'INBOX' };
    const account = await connectChannelAccount(deps, demo, emailChannel as AnyChannelAdapter, {
      label: 'Reports mailbox',
      config: { address: 'reports@demo.police.uk', displayName: 'Demo Constabulary', imap },
      actor: { type: 'system', id: null },
    });
    await mailboxHealthWriter(deps).recordFailure({ id: account.id, forceId: demo, imap }, 'auth', false);
    expect((await readMailboxHealth(deps, demo, account.id)).mailbox?.failure).toBe('auth');

    // The worker's recurring jobs for every force: housekeeping and the Victims' Code sweep.
    clock.advance(60 * 60_000);
    for (const type of [HOUSEKEEPING_JOB, VICTIM_UPDATES_SWEEP_JOB]) {
      expect(await enqueueRecurringJobs(db, clock, { type, intervalMs: 60 * 60_000 })).toBe(2);
    }
    await runJobs();
    const ran = await withSystem(db, (tx) => tx.selectFrom('jobs').select(['force_id', 'state']).where('type', 'in', [HOUSEKEEPING_JOB, VICTIM_UPDATES_SWEEP_JOB]).execute());
    expect(ran.map((job) => job.state)).toEqual(['done', 'done', 'done', 'done']);

    // Nothing any of it started failed for want of a privilege: no job failed or was given up.
    const failed = await withSystem(db, (tx) => tx.selectFrom('jobs').select(['type', 'state', 'last_error']).where((eb) => eb.or([eb('state', '=', 'dead'), eb('last_error', 'is not', null)])).execute());
    expect(failed).toEqual([]);

    // Every force's log verifies end to end, read as the audit command reads it.
    const lines: string[] = [];
    const code = await runAuditVerify(db, owned.app.config, { slug: undefined, now: clock.now() }, { out: (line) => lines.push(line), err: (line) => lines.push(line) });
    expect(code, lines.join('\n')).toBe(0);
  });

  /** Rows of every tenant table in one transaction, counted by whether they are the force's. */
  const countRows = async (tx: Parameters<Parameters<typeof withForce>[2]>[0], forceId: ForceId | null) => {
    const counts: Record<string, { mine: number; others: number }> = {};
    for (const table of tenantTables) {
      const row = (
        await sql<{ mine: number; others: number }>`
          select count(*) filter (where force_id = ${forceId})::int as mine, count(*) filter (where force_id is distinct from ${forceId})::int as others
          from ${sql.table(table)}`.execute(tx)
      ).rows[0];
      counts[table] = row ?? { mine: 0, others: 0 };
    }
    return counts;
  };
  const othersSeen = (counts: Record<string, { mine: number; others: number }>) =>
    Object.entries(counts).filter(([, count]) => count.others > 0).map(([table]) => table);

  it('shows a force no row of another force in any table, as the application role or as the owner naming that force', async () => {
    await report(other, 'other@example.org');
    await runJobs();
    const asApp = await withForce(db, demo, (tx) => countRows(tx, demo));
    expect(othersSeen(asApp)).toEqual([]);
    expect(asApp.contacts?.mine).toBeGreaterThan(0);
    // The owner is bound too (FORCE ROW LEVEL SECURITY): naming a force shows that force only. The
    // tenant policy is the application role's (decision 0183), and applies to the owner because it
    // holds that role's privileges, as PostgreSQL applies a policy to the members of its roles.
    const asOwner = await db.transaction().execute(async (tx) => {
      await sql`select set_config('bluelamp.force_id', ${demo}, true)`.execute(tx);
      return countRows(tx, demo);
    });
    expect(othersSeen(asOwner)).toEqual([]);
    expect(asOwner.contacts?.mine).toBeGreaterThan(0);
    // And the other force's rows exist: the system sees them.
    const all = await withSystem(db, (tx) => countRows(tx, demo));
    expect(all.contacts?.others).toBeGreaterThan(0);
  });

  it('refuses a force writing a row of another force, and changes none of its rows', async () => {
    const theirs = await withSystem(db, (tx) => tx.selectFrom('contacts').select('id').where('force_id', '=', other).executeTakeFirstOrThrow());
    await expect(
      withForce(db, demo, (tx) => sql`insert into people (id, force_id, display_name, created_at) values (gen_random_uuid(), ${other}, 'Planted', now())`.execute(tx)),
    ).rejects.toThrow(/row-level security/);
    const updated = await withForce(db, demo, (tx) => sql`update contacts set queue_id = null where id = ${theirs.id}`.execute(tx));
    expect(Number(updated.numAffectedRows)).toBe(0);
    const deleted = await withForce(db, demo, (tx) => sql`delete from staff_sessions where force_id = ${other}`.execute(tx));
    expect(Number(deleted.numAffectedRows)).toBe(0);
    // A member of staff of the other force asking for a demo contact by its id is told it is not there.
    const [demoContact] = await withForce(db, demo, (tx) => tx.selectFrom('contacts').select('id').limit(1).execute());
    const passwordHash = await testPasswordHash('other-password');
    await withForce(db, other, (tx) =>
      insertStaff(tx, other, clock, { email: 'handler@other.police.uk', name: 'Other Handler', role: 'call_handler', passwordHash }),
    );
    const session = await signIn({ inject }, 'handler@other.police.uk', 'other-password');
    const response = await inject({ method: 'GET', url: `/api/contacts/${demoContact?.id}`, headers: session.headers });
    expect(response.statusCode).toBe(404);
  });

  it('lets the owner become the application role when it holds its privileges without SET, as migration 0097 grants it', async (context) => {
    // Only PostgreSQL 16 and later give a membership a SET option (before 16, holding a role's
    // privileges means being its member, which is all SET ROLE asks), and only an owner that made
    // bluelamp_app may grant it to itself (PGlite's here; on a server the administrator granted it).
    // Before the tests below make roles the owner may SET ROLE to that hold bluelamp_app: another way in.
    if (ENGINE === 'postgres') context.skip();
    const applicationRole = () => withForce(db, demo, (tx) => sql<{ role: string }>`select current_user as role`.execute(tx));
    await owned.administer(`grant ${APP_ROLE} to ${owned.owner} with inherit true, set false granted by ${owned.owner}`);
    // What 0092 asked (USAGE) it holds, and SET ROLE is refused all the same.
    const holds = await sql<{ usage: boolean; maySet: boolean }>`
      select pg_has_role(${sql.lit(APP_ROLE)}, 'USAGE') as usage, pg_has_role(${sql.lit(APP_ROLE)}, 'SET') as "maySet"`.execute(db);
    expect(holds.rows).toEqual([{ usage: true, maySet: false }]);
    await expect(applicationRole()).rejects.toThrow(/permission denied to set role/);
    const migration = listMigrations().find((candidate) => candidate.name.startsWith('0097_'));
    if (!migration) throw new Error('no migration 0097');
    await owned.app.database.runScript(db, `select set_config('bluelamp.system', 'on', true);\n${migration.sql}`);
    expect((await applicationRole()).rows).toEqual([{ role: APP_ROLE }]);
  });

  it('refuses a start as an owner that may not switch to the application role, naming the grant that puts it right', async () => {
    // Every force's transaction switches to bluelamp_app (SET ROLE), which the server checks against
    // the session's user: on PostgreSQL 16 and later by the SET option of its membership, on 15 by
    // membership alone. An owner that may not grant the role itself (a server's administrator made
    // it) keeps whatever it was given, and 0097 has already run: without the check, the product
    // started and its first tenant transaction failed. PGlite (PostgreSQL 18) takes the SET option
    // away; a PostgreSQL 15 server the membership; a server of 16 or later the SET option.
    const serverVersion = Number((await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(db)).rows[0]?.v);
    const isSetOption = serverVersion >= 160000;
    const grantRight = isSetOption ? `grant ${APP_ROLE} to ${owned.owner} with set true` : `grant ${APP_ROLE} to ${owned.owner}`;
    const byOwner = ENGINE === 'pglite' ? ` granted by ${owned.owner}` : '';
    await owned.administer(isSetOption ? `grant ${APP_ROLE} to ${owned.owner} with inherit true, set false${byOwner}` : `revoke ${APP_ROLE} from ${owned.owner}`);
    try {
      await expect(withForce(db, demo, (tx) => sql`select 1`.execute(tx))).rejects.toThrow(/permission denied to set role/);
      const access = await readApplicationRoleAccess(db);
      expect(access).toEqual({ user: owned.owner, maySwitch: false, isSetOption });
      const refusal =
        `the database user ${owned.owner} may not switch to ${APP_ROLE} (SET ROLE), as every force's transaction does: ` +
        (isSetOption ? `it does not hold the role with the SET option. ` : `it is not a member of the role. `) +
        `As an administrator: ${grantRight}; (docs/runbooks/operations.md, "The database role").`;
      expect(applicationRoleRefusal(access)).toBe(refusal);
      // The start stops there, after the migrations (0097 grants it where the owner may).
      await expect(buildApp(owned.app.config, { database: owned.app.database, startWorker: false, clock })).rejects.toThrow(refusal);
    } finally {
      await owned.administer(`${grantRight}${byOwner}`);
    }
    const restored = await readApplicationRoleAccess(db);
    expect(restored).toEqual({ user: owned.owner, maySwitch: true, isSetOption });
    expect(applicationRoleRefusal(restored)).toBeNull();
    expect((await withForce(db, demo, (tx) => sql<{ role: string }>`select current_user as role`.execute(tx))).rows).toEqual([{ role: APP_ROLE }]);
  });

  it('opens every force to the system only for the owner in a transaction that says so', async () => {
    const seen = async (setup: (tx: Parameters<Parameters<typeof withForce>[2]>[0]) => Promise<void>) =>
      db.transaction().execute(async (tx) => {
        await setup(tx);
        return othersSeen(await countRows(tx, demo));
      });
    const system = sql`select set_config('bluelamp.system', 'on', true)`;
    // The owner sees nothing it has not named, and every force only as system work.
    expect(await seen(async () => {})).toEqual([]);
    expect((await seen(async (tx) => void (await system.execute(tx)))).length).toBeGreaterThan(0);
    // The application role never gets the system policy, whatever it sets.
    const asAppWithSystem = await withForce(db, demo, async (tx) => {
      await system.execute(tx);
      return othersSeen(await countRows(tx, demo));
    });
    expect(asAppWithSystem).toEqual([]);
    // Nor does a role that holds the application role's grants by inheriting them, as a reporting
    // or a second application login might: it is not the owner.
    // Roles are the server's, not the database's: named after this run's owner.
    const reader = `${owned.owner}_reader`;
    await owned.makeRole(reader, [APP_ROLE]);
    const asHolder = await seen(async (tx) => {
      await sql`select set_config('role', ${reader}, true)`.execute(tx);
      await system.execute(tx);
    });
    expect(asHolder).toEqual([]);
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`select set_config('role', ${reader}, true)`.execute(tx);
        await system.execute(tx);
        await sql`insert into people (id, force_id, display_name, created_at) values (gen_random_uuid(), ${other}, 'Planted', now())`.execute(tx);
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it('refuses a start as a user that does not own the tables, naming their owner, instead of seeing no rows', async () => {
    // The system policy admits only the tables' owner: a user that merely holds the application
    // role's grants would read no force's rows in every look-up the system makes, silently.
    const holder = `${owned.owner}_holder`;
    await owned.makeRole(holder, [APP_ROLE]);
    const asHolder = await db.transaction().execute(async (tx) => {
      await sql`select set_config('role', ${holder}, true)`.execute(tx);
      return readDatabaseRole(tx);
    });
    expect(asHolder).toEqual({ user: holder, tablesOwner: owned.owner, actsAsOwner: false, mayBecomeOwner: false, bypassesPolicies: false });
    expect(roleRefusal(asHolder)).toBe(
      `the database user ${holder} does not own Bluelamp's tables (they belong to ${owned.owner}): row-level security would hide ` +
        `every force's rows from the system's own work. Connect as ${owned.owner}, or make ${holder} the tables' owner ` +
        '(docs/runbooks/operations.md, "The database role").',
    );
    // The owner starts (this app did), and nothing warns of it.
    const asOwner = await readDatabaseRole(db);
    expect(asOwner).toEqual({ user: owned.owner, tablesOwner: owned.owner, actsAsOwner: true, mayBecomeOwner: false, bypassesPolicies: false });
    expect(roleRefusal(asOwner)).toBeNull();
    expect(roleWarning(asOwner)).toBeNull();
  });
  it('shows a role with grants of its own no row of any force, whatever force it names', async () => {
    // A reporting role given SELECT on tenant tables, as an operator might: the tenant policy is the
    // application role's alone (decision 0183), so naming a force opens nothing to it.
    const reporter = `${owned.owner}_reporter`;
    await owned.makeRole(reporter, []);
    await sql.raw(`grant select on contacts, people, forces to ${reporter}`).execute(db);
    const seen = await db.transaction().execute(async (tx) => {
      await sql`select set_config('role', ${reporter}, true), set_config('bluelamp.force_id', ${demo}, true)`.execute(tx);
      return (
        await sql<{ contacts: number; people: number; forces: number }>`
          select (select count(*) from contacts)::int as contacts, (select count(*) from people)::int as people,
            (select count(*) from forces)::int as forces`.execute(tx)
      ).rows[0];
    });
    expect(seen).toEqual({ contacts: 0, people: 0, forces: 0 });
    // The application role naming the same force sees its rows.
    const asApp = await withForce(db, demo, (tx) => sql<{ n: number }>`select count(*)::int as n from contacts`.execute(tx));
    expect(asApp.rows[0]?.n).toBeGreaterThan(0);
  });

  it('refuses a start as a member of the owner that does not inherit it, saying how its sessions become the owner, and works once they do', async () => {
    const login = `${owned.owner}_noinherit`;
    await owned.makeNoInheritLogin(login, [owned.owner]);
    const before = await owned.asLogin(login, {}, (asLogin) => readDatabaseRole(asLogin));
    expect(before).toEqual({ user: login, tablesOwner: owned.owner, actsAsOwner: false, mayBecomeOwner: true, bypassesPolicies: false });
    expect(roleRefusal(before)).toBe(
      `the database user ${login} is a member of ${owned.owner}, which owns Bluelamp's tables, but does not inherit its privileges ` +
        `(NOINHERIT): the system's own work and the migrations run as the owner. Make its sessions switch to the owner: ` +
        `alter role ${login} set role = ${owned.owner} (docs/runbooks/operations.md, "The database role").`,
    );
    // Switched to the owner, it starts, does system work across forces and becomes the application
    // role for a force's work (SET ROLE is checked against the login, a member of the owner).
    const after = await owned.asLogin(login, { role: owned.owner }, async (asLogin) => ({
      role: await readDatabaseRole(asLogin),
      forces: (await withSystem(asLogin, (tx) => tx.selectFrom('forces').select('id').execute())).length,
      contactsOf: [...new Set((await withForce(asLogin, demo, (tx) => tx.selectFrom('contacts').select('force_id').execute())).map((row) => row.force_id))],
    }));
    expect(after).toEqual({
      role: { user: owned.owner, tablesOwner: owned.owner, actsAsOwner: true, mayBecomeOwner: false, bypassesPolicies: false },
      forces: 2,
      contactsOf: [demo],
    });
  });

  it('puts right, as migration 0097 does, the policies of a tenant table in a schema other than the current one', async () => {
    // A table given tenancy by 0001 and 0009 while the search path named another schema first.
    await owned.app.database.runScript(
      db,
      `create schema elsewhere;
      create table elsewhere.notes (id uuid primary key, force_id uuid not null);
      grant select, insert on elsewhere.notes to ${APP_ROLE};
      alter table elsewhere.notes enable row level security;
      alter table elsewhere.notes force row level security;
      create policy tenant on elsewhere.notes
        using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
        with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid);
      create policy system on elsewhere.notes
        using (current_setting('bluelamp.system', true) = 'on' and current_user <> 'bluelamp_app')
        with check (current_setting('bluelamp.system', true) = 'on' and current_user <> 'bluelamp_app');`,
    );
    try {
      const migration = listMigrations().find((candidate) => candidate.name.startsWith('0097_'));
      if (!migration) throw new Error('no migration 0097');
      // As the migrator runs it, system work in one transaction; run again, it changes nothing else.
      await owned.app.database.runScript(db, `select set_config('bluelamp.system', 'on', true);\n${migration.sql}`);
      const policiesOf = async (table: string) =>
        (
          await sql<{ name: string; roles: string[]; using: string | null; check: string | null }>`
            select p.polname as name, array(select case r when 0 then 'public' else pg_get_userbyid(r)::text end from unnest(p.polroles) r) as roles,
              replace(pg_get_expr(p.polqual, p.polrelid), ${`'${table}'::regclass`}, '<table>') as using,
              replace(pg_get_expr(p.polwithcheck, p.polrelid), ${`'${table}'::regclass`}, '<table>') as check
            from pg_policy p where p.polrelid = ${table}::regclass order by p.polname`.execute(db)
        ).rows;
      const people = await policiesOf('people');
      expect(people.map((policy) => [policy.name, policy.roles])).toEqual([
        ['system', ['public']],
        ['tenant', [APP_ROLE]],
      ]);
      expect(await policiesOf('elsewhere.notes')).toEqual(people);
    } finally {
      await owned.app.database.runScript(db, 'drop schema elsewhere cascade;');
    }
  });
});
