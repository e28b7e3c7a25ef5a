import { withForce, withSystem } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError, conflict, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { StaffRole } from '../../platform/auth/permissions.ts';
import { ensureRoutingProfile, isRoutableRole, lockForceRouting } from '../queue/routing.service.ts';
import { withdrawFromRouting } from './presence.service.ts';
import { generateOneTimePassword, insertStaff, listStaff, type StaffView } from './staff.service.ts';
import { staffRoleChanged } from './staff.events.ts';
import type { CapacityClass, Skill } from './staff.schema.ts';
import { requireRoleVersion } from './staff-versions.service.ts';

// What a force admin does to accounts from the console besides passwords: add someone, change a role.

/** The email is in use (in this force or another: addresses are unique across the platform). */
const emailTaken = () =>
  new AppError('conflict', 'a member of staff already has this email address', {
    publicMessage: 'Someone already has an account with this email address',
    fields: [{ path: 'body.email', message: 'is already in use' }],
  });

/**
 * A force admin adds a member of staff: they get a one-time password, returned here once and
 * stored only as a hash, which they must change at their first sign-in. Someone who works the
 * queue starts offline with the skills given and, where given, their capacity.
 */
export async function addStaffMember(
  deps: ServiceDeps,
  forceId: ForceId,
  input: {
    name: string;
    email: string;
    role: StaffRole;
    skills?: Skill[] | undefined;
    capacity?: Partial<Record<CapacityClass, number>> | undefined;
    actorStaffId: StaffId;
  },
): Promise<{ staff: StaffView; oneTimePassword: string }> {
  const email = input.email.trim().toLowerCase();
  // Addresses are unique across forces, and row-level security hides other forces' staff.
  const taken = await withSystem(deps.db, (tx) =>
    tx.selectFrom('staff').select('id').where((eb) => eb(eb.fn('lower', ['email']), '=', email)).executeTakeFirst(),
  );
  if (taken) throw emailTaken();
  const oneTimePassword = generateOneTimePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const actor: Actor = { type: 'staff', id: input.actorStaffId };
  let id: string;
  try {
    id = await withForce(deps.db, forceId, (tx) =>
      insertStaff(tx, forceId, deps.clock, {
        email,
        name: input.name,
        role: input.role,
        skills: input.skills ?? [],
        capacity: input.capacity,
        mustChangePassword: true,
        passwordHash,
        actor,
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
  return { staff: await findStaffView(deps, forceId, id), oneTimePassword };
}

/**
 * A force admin changes a colleague's role (never their own: an admin could lock the force out of
 * its administration). Permissions follow at the next request. A role that no longer works the
 * queue leaves routing as going offline does (its contacts return to their queues); one that does
 * gets a routing profile. Made from a version of the role someone else has changed since, it is
 * refused and nothing changes (decision 0085).
 */
export async function changeStaffRole(
  deps: ServiceDeps,
  forceId: ForceId,
  input: { staffId: string; role: StaffRole; version?: number | undefined; actorStaffId: StaffId },
): Promise<{ staff: StaffView; returnedContacts: number }> {
  const actor: Actor = { type: 'staff', id: input.actorStaffId };
  if (input.staffId === input.actorStaffId) {
    throw new AppError('forbidden', 'an admin may not change their own role', { publicMessage: 'You cannot change your own role. Ask another admin.' });
  }
  const returnedContacts = await withForce(deps.db, forceId, async (tx) => {
    // Routing before their record, as deactivateStaff does, so a push to them at this moment waits its turn.
    await lockForceRouting(tx, forceId);
    const staff = await tx
      .selectFrom('staff')
      .select(['id', 'name', 'role', 'is_active', 'role_version'])
      .where('force_id', '=', forceId)
      .where('id', '=', input.staffId)
      .forUpdate()
      .executeTakeFirst();
    if (!staff) throw notFound('member of staff');
    // Before the role is compared: a role someone else changed since is theirs to tell of first.
    await requireRoleVersion(tx, forceId, { staffId: input.staffId, name: staff.name, opened: input.version, current: staff.role_version, actorStaffId: input.actorStaffId });
    if (staff.role === input.role) throw conflict(`${staff.name} already has this role`);
    await tx
      .updateTable('staff')
      .set((eb) => ({ role: input.role, role_version: eb('role_version', '+', 1) }))
      .where('force_id', '=', forceId)
      .where('id', '=', input.staffId)
      .execute();
    const routing = isRoutableRole(input.role)
      ? null
      : await withdrawFromRouting(tx, forceId, deps.clock, { staffId: input.staffId, actor, reason: 'role changed' });
    if (!routing) await ensureRoutingProfile(tx, forceId, deps.clock, input.staffId, input.role);
    const returned = routing?.returnedContacts ?? 0;
    record(
      tx,
      forceId,
      deps.clock,
      staffRoleChanged.of({ actor, subjectId: input.staffId, data: { from: staff.role, to: input.role, returnedContacts: returned } }),
      ...(routing?.events ?? []),
    );
    return returned;
  });
  return { staff: await findStaffView(deps, forceId, input.staffId), returnedContacts };
}

async function findStaffView(deps: ServiceDeps, forceId: ForceId, staffId: string): Promise<StaffView> {
  const found = (await listStaff(deps, forceId)).find((s) => s.id === staffId);
  if (!found) throw notFound('member of staff');
  return found;
}
