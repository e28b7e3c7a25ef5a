import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * What the database user is, against what row-level security needs of it (decision 0177): cross-force
 * work (`bluelamp.system`) is let through only for a role holding the tables' owner's privileges, so a
 * user that does not own them would read no force's rows in every look-up the system makes (a staff
 * session, a webhook's account, a job claim), silently. Such a start is refused, naming what to do.
 * A member of the owner that does not inherit its privileges (NOINHERIT) is the owner only once it
 * has switched to it: its start is refused too, saying how to make its sessions switch (decision 0183).
 * A superuser or a role that bypasses row-level security works, but no policy binds its system
 * work: production says so. A database with no tables yet is a first start, and fine.
 */
export type DatabaseRole = {
  user: string;
  tablesOwner: string | null;
  actsAsOwner: boolean;
  /** A member of the tables' owner that may switch to it (SET ROLE) without holding its privileges. */
  mayBecomeOwner: boolean;
  bypassesPolicies: boolean;
};

export async function readDatabaseRole(db: Db): Promise<DatabaseRole> {
  // USAGE is what the system policy asks of the current role; whether it may switch to the owner is
  // asked as SET ROLE asks it: by the SET option from PostgreSQL 16, by membership before.
  const { rows } = await sql<{ user: string; bypasses: boolean; owner: string | null; acts_as_owner: boolean | null; may_become: boolean | null }>`
    select r.rolname as user, r.rolsuper or r.rolbypassrls as bypasses,
      pg_get_userbyid(c.relowner) as owner, pg_has_role(current_user, c.relowner, 'USAGE') as acts_as_owner,
      pg_has_role(current_user, c.relowner, case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end) as may_become
    from pg_roles r left join pg_class c on c.oid = to_regclass('forces')
    where r.rolname = current_user`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('the database user is not in pg_roles');
  const actsAsOwner = row.acts_as_owner ?? true;
  return {
    user: row.user,
    tablesOwner: row.owner,
    actsAsOwner,
    mayBecomeOwner: !actsAsOwner && (row.may_become ?? false),
    bypassesPolicies: row.bypasses,
  };
}

/** Why the product must not start as this role, or null. */
export function roleRefusal(role: DatabaseRole): string | null {
  if (role.bypassesPolicies || role.actsAsOwner || role.tablesOwner === null) return null;
  if (role.mayBecomeOwner) {
    return (
      `the database user ${role.user} is a member of ${role.tablesOwner}, which owns Bluelamp's tables, but does not inherit its ` +
      `privileges (NOINHERIT): the system's own work and the migrations run as the owner. Make its sessions switch to the owner: ` +
      `alter role ${role.user} set role = ${role.tablesOwner} (docs/runbooks/operations.md, "The database role").`
    );
  }
  return (
    `the database user ${role.user} does not own Bluelamp's tables (they belong to ${role.tablesOwner}): ` +
    `row-level security would hide every force's rows from the system's own work. Connect as ${role.tablesOwner}, ` +
    `or make ${role.user} the tables' owner (docs/runbooks/operations.md, "The database role").`
  );
}

/** A production warning for a role no policy binds, or null. */
export function roleWarning(role: DatabaseRole): string | null {
  return role.bypassesPolicies
    ? `the database user ${role.user} is a superuser or bypasses row-level security: connect as an ordinary role that owns the database (docs/runbooks/operations.md, "The database role")`
    : null;
}
