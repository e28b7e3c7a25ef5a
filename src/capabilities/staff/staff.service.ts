import { randomBytes } from 'node:crypto';
import { withForce, withSystem, type Db, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError, conflict, notFound, type FieldIssue } from '../../platform/errors.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { endStaffSessions } from '../../platform/auth/sessions.ts';
import { forgetAccountFailures } from '../../platform/auth/sign-in-limits.ts';
import { attemptKeySecret } from '../../platform/http/attempt-limiter.ts';
import { STAFF_ROLES, type StaffRole } from '../../platform/auth/permissions.ts';
import { readCapacity, type CapacityClass } from './staff.schema.ts';
import { ensureRoutingProfile, isRoutableRole, lockForceRouting } from '../queue/routing.service.ts';
import { withdrawFromRouting, type RoutingProfile } from './presence.service.ts';
import { checkNewPassword } from './password-policy.schema.ts';
import { staffCreated, staffDeactivated, staffPasswordChanged, staffPasswordReset, staffReactivated } from './staff.events.ts';

function isStaffRole(role: string): role is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(role);
}

/** A member of staff as a force admin sees them; never the password hash. */
export type StaffView = {
  id: string;
  name: string;
  email: string;
  role: string;
  isActive: boolean;
  mustChangePassword: boolean;
  deactivatedAt: string | null;
  passwordChangedAt: string | null;
  createdAt: string;
  /** Counts the changes of the role (decision 0085). */
  roleVersion: number;
  routing: RoutingProfile | null;
};

export type StaffAccount = {
  email: string;
  name: string;
  role: StaffRole;
  skills?: readonly string[] | undefined;
  /** Their capacity, where it differs from their role's; for someone who works the queue. */
  capacity?: Partial<Record<CapacityClass, number>> | undefined;
  mustChangePassword?: boolean;
  /** Who added them; the system (seeding, the command line) when absent. */
  actor?: Actor;
};

/**
 * Inserts one member of staff (password already hashed) with their routing profile, if they work
 * the queue, and one creation event carrying it: adding someone is one action, and their profile
 * starts at version 1 (decision 0085).
 */
export async function insertStaff(tx: Tx, forceId: ForceId, clock: Clock, account: StaffAccount & { passwordHash: string }): Promise<string> {
  const id = newId();
  await tx
    .insertInto('staff')
    .values({ id, force_id: forceId, email: account.email, name: account.name, role: account.role, password_hash: account.passwordHash, must_change_password: account.mustChangePassword ?? false })
    .execute();
  // Everyone who works the queue starts offline, with the skills given and their role's capacity but where given.
  const routing = isRoutableRole(account.role) ? await ensureRoutingProfile(tx, forceId, clock, id, account.role, { skills: account.skills, capacity: account.capacity }) : null;
  record(tx, forceId, clock, staffCreated.of({ actor: account.actor ?? { type: 'system', id: null }, subjectId: id, data: { role: account.role, ...(routing ?? {}) } }));
  return id;
}

/** Adds a member of staff to a force; `mustChangePassword` when the password is a one-time one. */
export async function createStaff(
  db: Db,
  clock: Clock,
  forceId: ForceId,
  account: StaffAccount & { password: string },
): Promise<string> {
  const passwordHash = await hashPassword(account.password);
  return withForce(db, forceId, (tx) => insertStaff(tx, forceId, clock, { ...account, passwordHash }));
}

/** A fresh one-time password: 120 random bits, 20 URL-safe characters, easy to read out once. */
export function generateOneTimePassword(): string {
  return randomBytes(15).toString('base64url');
}

/** Every member of staff of one force, active first, then by name, with what routing knows of them. */
export async function listStaff(deps: ServiceDeps, forceId: ForceId): Promise<StaffView[]> {
  const rows = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('staff as s')
      .leftJoin('staff_routing as r', (join) => join.onRef('r.staff_id', '=', 's.id').onRef('r.force_id', '=', 's.force_id'))
      .select([
        's.id',
        's.name',
        's.email',
        's.role',
        's.is_active',
        's.must_change_password',
        's.deactivated_at',
        's.password_changed_at',
        's.created_at',
        's.role_version',
        'r.skills',
        'r.capacity',
        'r.profile_version',
      ])
      .where('s.force_id', '=', forceId)
      .orderBy('s.is_active', 'desc')
      .orderBy('s.name')
      .orderBy('s.id')
      .execute(),
  );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    isActive: row.is_active,
    mustChangePassword: row.must_change_password,
    deactivatedAt: row.deactivated_at?.toISOString() ?? null,
    passwordChangedAt: row.password_changed_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    roleVersion: row.role_version,
    // Only people who work the queue are routed; an admin's old row (from a former role) is not shown.
    routing:
      row.skills && row.profile_version !== null && isStaffRole(row.role) && isRoutableRole(row.role)
        ? { skills: [...row.skills].sort(), capacity: readCapacity(row.capacity), version: row.profile_version }
        : null,
  }));
}

async function lockStaff(tx: Tx, forceId: ForceId, staffId: string) {
  const row = await tx
    .selectFrom('staff')
    .select(['id', 'name', 'email', 'is_active', 'password_hash', 'must_change_password'])
    .where('force_id', '=', forceId)
    .where('id', '=', staffId)
    .forUpdate()
    .executeTakeFirst();
  // Row-level security hides other forces' staff, so they are simply not found.
  if (!row) throw notFound('member of staff');
  return row;
}

/**
 * A member of staff changes their own password: the current one must match and the new one pass
 * the policy (every refusal names its field). Clears a pending forced change; every other session
 * of theirs ends, this one stays.
 */
export async function changeOwnPassword(
  deps: ServiceDeps,
  who: { forceId: ForceId; staffId: StaffId; sessionId: string },
  input: { currentPassword: string; newPassword: string },
): Promise<{ otherSessionsEnded: number }> {
  const stored = await withForce(deps.db, who.forceId, (tx) => lockStaff(tx, who.forceId, who.staffId));
  const issues: FieldIssue[] = [];
  if (!(await verifyPassword(stored.password_hash, input.currentPassword))) {
    issues.push({ path: 'body.currentPassword', message: 'is wrong' });
  }
  // Named as the request's own validation names fields, so the console puts each message by its field.
  const policy = checkNewPassword({ newPassword: input.newPassword, email: stored.email, currentPassword: input.currentPassword });
  issues.push(...policy.map((issue) => ({ ...issue, path: `body.${issue.path}` })));
  if (issues.length > 0) {
    throw new AppError('validation_failed', `password change refused: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
      publicMessage: 'Your password was not changed',
      fields: issues,
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  return withForce(deps.db, who.forceId, async (tx) => {
    const current = await lockStaff(tx, who.forceId, who.staffId);
    // Someone else changed or reset it while the new hash was being made: refuse rather than overwrite.
    if (current.password_hash !== stored.password_hash) throw conflict('the password changed meanwhile; sign in again');
    await tx
      .updateTable('staff')
      .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: deps.clock.now() })
      .where('force_id', '=', who.forceId)
      .where('id', '=', who.staffId)
      .execute();
    const otherSessionsEnded = await endStaffSessions(tx, who.forceId, who.staffId, who.sessionId);
    record(
      tx,
      who.forceId,
      deps.clock,
      staffPasswordChanged.of({
        actor: { type: 'staff', id: who.staffId },
        subjectId: who.staffId,
        data: { wasRequired: current.must_change_password, otherSessionsEnded },
      }),
    );
    return { otherSessionsEnded };
  });
}

/** The members of staff an admin acts on are their own force's, and never themselves. */
function refuseSelf(staffId: string, actor: Actor, what: string): void {
  if (actor.type === 'staff' && actor.id === staffId) {
    throw new AppError('conflict', `admin tried to ${what} themselves`, {
      publicMessage: `You cannot ${what} your own account; ask another force admin.`,
    });
  }
}

async function resetInTransaction(tx: Tx, forceId: ForceId, clock: Clock, staffId: string, actor: Actor, passwordHash: string) {
  const { email } = await lockStaff(tx, forceId, staffId);
  await tx
    .updateTable('staff')
    .set({ password_hash: passwordHash, must_change_password: true, password_changed_at: clock.now() })
    .where('force_id', '=', forceId)
    .where('id', '=', staffId)
    .execute();
  const sessionsEnded = await endStaffSessions(tx, forceId, staffId);
  // Nobody is at their console any more, so nothing should wait on them.
  const routing = await withdrawFromRouting(tx, forceId, clock, { staffId, actor, reason: 'password reset' });
  record(
    tx,
    forceId,
    clock,
    staffPasswordReset.of({ actor, subjectId: staffId, data: { sessionsEnded, returnedContacts: routing.returnedContacts } }),
    ...routing.events,
  );
  return { email, sessionsEnded, returnedContacts: routing.returnedContacts };
}

/**
 * A force admin resets a colleague's password: a new one-time password (returned once, stored only
 * as a hash) that must be changed at the next sign-in; every session of theirs ends at once and
 * their open contacts return to the queue. The account's sign-in lock goes with the old password
 * (`forgetAccountFailures`): the one-time password works from any browser.
 */
export async function resetStaffPassword(
  deps: ServiceDeps & { sessionSecret: string },
  forceId: ForceId,
  input: { staffId: string; actorStaffId: StaffId },
): Promise<{ oneTimePassword: string; sessionsEnded: number; returnedContacts: number }> {
  const actor: Actor = { type: 'staff', id: input.actorStaffId };
  refuseSelf(input.staffId, actor, 'reset the password of');
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const { email, ...result } = await withForce(deps.db, forceId, (tx) => resetInTransaction(tx, forceId, deps.clock, input.staffId, actor, passwordHash));
  await forgetAccountFailures(deps, attemptKeySecret(deps.sessionSecret), email);
  return { oneTimePassword, ...result };
}

/**
 * The CLI's reset (for a locked-out first admin, say): the member of staff is found by force slug
 * and email; the event's actor is the system. Null when there is no such person in that force.
 */
export async function resetStaffPasswordByEmail(
  db: Db,
  clock: Clock,
  input: { forceSlug: string; email: string; sessionSecret: string },
): Promise<{ oneTimePassword: string; sessionsEnded: number } | null> {
  const found = await withSystem(db, (tx) =>
    tx
      .selectFrom('staff as s')
      .innerJoin('forces as f', 'f.id', 's.force_id')
      .select(['s.id', 's.force_id'])
      .where('f.slug', '=', input.forceSlug)
      .where((eb) => eb(eb.fn('lower', ['s.email']), '=', input.email.trim().toLowerCase()))
      .executeTakeFirst(),
  );
  if (!found) return null;
  const forceId = found.force_id as ForceId;
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const result = await withForce(db, forceId, (tx) =>
    resetInTransaction(tx, forceId, clock, found.id, { type: 'system', id: null }, passwordHash),
  );
  await forgetAccountFailures({ db, clock }, attemptKeySecret(input.sessionSecret), result.email);
  return { oneTimePassword, sessionsEnded: result.sessionsEnded };
}

/**
 * A force admin deactivates a colleague (never themselves): sign-in is refused from now on, every
 * session ends at once, and they leave routing as going offline does. Their history stays.
 */
export async function deactivateStaff(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { staffId: string; actorStaffId: StaffId; reason?: string | undefined },
): Promise<{ sessionsEnded: number; returnedContacts: number }> {
  const actor: Actor = { type: 'staff', id: input.actorStaffId };
  refuseSelf(input.staffId, actor, 'deactivate');
  return withForce(deps.db, forceId, async (tx) => {
    // Routing before their record, in the order a contact given to them takes the two: the other
    // way round, a push to them at this moment and this deactivation would wait on each other.
    await lockForceRouting(tx, forceId);
    const staff = await lockStaff(tx, forceId, input.staffId);
    if (!staff.is_active) throw conflict(`${staff.name} is already deactivated`);
    await tx
      .updateTable('staff')
      .set({ is_active: false, deactivated_at: deps.clock.now() })
      .where('force_id', '=', forceId)
      .where('id', '=', input.staffId)
      .execute();
    const sessionsEnded = await endStaffSessions(tx, forceId, input.staffId);
    const routing = await withdrawFromRouting(tx, forceId, deps.clock, { staffId: input.staffId, actor, reason: 'deactivated' });
    record(
      tx,
      forceId,
      deps.clock,
      staffDeactivated.of({
        actor,
        subjectId: input.staffId,
        data: { reason: input.reason ?? null, sessionsEnded, returnedContacts: routing.returnedContacts },
      }),
      ...routing.events,
    );
    return { sessionsEnded, returnedContacts: routing.returnedContacts };
  });
}

/** A force admin lets a deactivated colleague sign in again (with the password they had). */
export async function reactivateStaff(deps: ServiceDeps, forceId: ForceId, input: { staffId: string; actorStaffId: StaffId }): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const staff = await lockStaff(tx, forceId, input.staffId);
    if (staff.is_active) throw conflict(`${staff.name} is already active`);
    await tx.updateTable('staff').set({ is_active: true, deactivated_at: null }).where('force_id', '=', forceId).where('id', '=', input.staffId).execute();
    record(tx, forceId, deps.clock, staffReactivated.of({ actor: { type: 'staff', id: input.actorStaffId }, subjectId: input.staffId, data: {} }));
  });
}
