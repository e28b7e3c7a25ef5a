import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * What the database user is, against what row-level security needs of it (decision 0177): cross-force
 * work (`bluelamp.system`) is let through only for a role holding the tables' owner's privileges, so a
 * user that does not own them would read no force's rows in every look-up the system makes (a staff
 * session, a webhook's account, a job claim), silently. Such a start is refused, naming what to do.
 * A superuser or a role that bypasses row-level security works, but no policy binds its system
 * work: production says so. A database with no tables yet is a first start, and fine.
 */
export type DatabaseRole = { user: string; tablesOwner: string | null; actsAsOwner: boolean; bypassesPolicies: boolean };

export async function readDatabaseRole(db: Db): Promise<DatabaseRole> {
  const { rows } = await sql<{ user: string; bypasses: boolean; owner: string | null; acts_as_owner: boolean | null }>`
    select r.rolname as user, r.rolsuper or r.rolbypassrls as bypasses,
      pg_get_userbyid(c.relowner) as owner, pg_has_role(current_user, c.relowner, 'USAGE') as acts_as_owner
    from pg_roles r left join pg_class c on c.oid = to_regclass('forces')
    where r.rolname = current_user`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('the database user is not in pg_roles');
  return { user: row.user, tablesOwner: row.owner, actsAsOwner: row.acts_as_owner ?? true, bypassesPolicies: row.bypasses };
}

/** Why the product must not start as this role, or null. */
export function roleRefusal(role: DatabaseRole): string | null {
  if (role.bypassesPolicies || role.actsAsOwner || role.tablesOwner === null) return null;
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
