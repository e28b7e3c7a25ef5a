import { sql } from 'kysely';
import { APP_ROLE, type Db } from './database.ts';

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

/** Whether the session's user may switch to the application role, as each tenant transaction does. */
export type ApplicationRoleAccess = {
  /** The session's user: SET ROLE is checked against it, whatever role the session has switched to. */
  user: string;
  /** Null while the role does not exist (a first start, before the migrations make it). */
  maySwitch: boolean | null;
  /** PostgreSQL 16 and later ask the membership's SET option; 15 membership alone. */
  isSetOption: boolean;
};

/** Whether the session's user may switch to `bluelamp_app`, as SET ROLE asks it on this server's version. */
export async function readApplicationRoleAccess(db: Db): Promise<ApplicationRoleAccess> {
  const { rows } = await sql<{ user: string; may_switch: boolean | null; is_set_option: boolean }>`
    select session_user as user, current_setting('server_version_num')::int >= 160000 as is_set_option,
      pg_has_role(session_user, a.oid, case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end) as may_switch
    from (select 1) as one left join pg_roles a on a.rolname = ${APP_ROLE}`.execute(db);
  const row = rows[0];
  if (!row) throw new Error('the database session has no user');
  return { user: row.user, maySwitch: row.may_switch, isSetOption: row.is_set_option };
}

/**
 * Why the product must not start when its user may not become the application role, or null: every
 * force's transaction would fail with "permission denied to set role". Asked after the migrations,
 * as 0097 grants the SET option where the owner may grant it itself (decision 0190).
 */
export function applicationRoleRefusal(access: ApplicationRoleAccess): string | null {
  if (access.maySwitch !== false) return null;
  const grant = access.isSetOption ? `grant ${APP_ROLE} to ${access.user} with set true` : `grant ${APP_ROLE} to ${access.user}`;
  return (
    `the database user ${access.user} may not switch to ${APP_ROLE} (SET ROLE), as every force's transaction does: ` +
    (access.isSetOption ? 'it does not hold the role with the SET option. ' : 'it is not a member of the role. ') +
    `As an administrator: ${grant}; (docs/runbooks/operations.md, "The database role").`
  );
}
