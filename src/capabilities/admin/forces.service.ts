import { withForce, withSystem, type Db } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { appendEvent } from '../../platform/events/event-log.ts';
import type { StaffRole } from '../../platform/auth/permissions.ts';
import { publishDefaultRuleSet } from '../triage/triage.service.ts';
import { seedDefaultTemplates } from '../journeys/journeys.service.ts';
import { ensureDefaultQueues } from '../queue/queues.service.ts';
import { ensureRoutingProfile, isRoutableRole } from '../queue/routing.service.ts';
import type { Skill } from '../queue/routing.engine.ts';

/** The demo logins, printed at start-up and listed in the README. Never created in production. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ACCOUNTS: { email: string; name: string; role: StaffRole; skills?: Skill[] }[] = [
  { email: 'handler@demo.police.uk', name: 'Sam Handler', role: 'call_handler', skills: ['control_room', 'domestic_abuse'] },
  { email: 'desk@demo.police.uk', name: 'Dee Desk', role: 'digital_desk_operator', skills: ['social_media', 'welsh'] },
  { email: 'dispatch@demo.police.uk', name: 'Dan Dispatch', role: 'dispatcher' },
  { email: 'supervisor@demo.police.uk', name: 'Sue Supervisor', role: 'supervisor', skills: ['control_room', 'domestic_abuse', 'social_media'] },
  { email: 'investigator@demo.police.uk', name: 'Ian Investigator', role: 'investigator' },
  { email: 'admin@demo.police.uk', name: 'Ada Admin', role: 'force_admin' },
];

export type ForceSpec = { slug: string; code: string; name: string };

/** Creates a force with the default rules and templates, unless one with the slug exists. */
export async function createForce(db: Db, clock: Clock, spec: ForceSpec): Promise<{ forceId: ForceId; isNew: boolean }> {
  const existing = await withSystem(db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', spec.slug).executeTakeFirst());
  if (existing) return { forceId: existing.id as ForceId, isNew: false };
  const forceId = newId<ForceId>();
  await withSystem(db, (tx) => tx.insertInto('forces').values({ id: forceId, ...spec }).execute());
  await withForce(db, forceId, async (tx) => {
    await appendEvent(tx, forceId, clock, {
      type: 'force.created',
      actor: { type: 'system', id: null },
      subject: { type: 'force', id: forceId },
      data: { slug: spec.slug, name: spec.name },
    });
    await publishDefaultRuleSet(tx, forceId, clock);
    await seedDefaultTemplates(tx, forceId);
    await ensureDefaultQueues(tx, forceId, clock);
  });
  return { forceId, isNew: true };
}

/** Adds a member of staff to a force; `mustChangePassword` when the password is a one-time one. */
export async function createStaff(
  db: Db,
  clock: Clock,
  forceId: ForceId,
  account: { email: string; name: string; role: StaffRole; password: string; skills?: readonly string[] | undefined; mustChangePassword?: boolean },
): Promise<string> {
  const id = newId();
  const passwordHash = await hashPassword(account.password);
  await withForce(db, forceId, async (tx) => {
    await tx
      .insertInto('staff')
      .values({ id, force_id: forceId, email: account.email, name: account.name, role: account.role, password_hash: passwordHash, must_change_password: account.mustChangePassword ?? false })
      .execute();
    await appendEvent(tx, forceId, clock, {
      type: 'staff.created',
      actor: { type: 'system', id: null },
      subject: { type: 'staff', id },
      data: { role: account.role },
    });
    // Everyone who works the queue starts offline, with their role's capacity.
    if (isRoutableRole(account.role)) await ensureRoutingProfile(tx, forceId, clock, id, account.role, account.skills ?? []);
  });
  return id;
}

/** Seeds Demo Constabulary with one account per role, once. */
export async function seedDemoForce(db: Db, clock: Clock): Promise<{ forceId: ForceId; isNew: boolean }> {
  const result = await createForce(db, clock, { slug: 'demo', code: 'DEMO', name: 'Demo Constabulary' });
  if (result.isNew) {
    for (const account of DEMO_ACCOUNTS) {
      await createStaff(db, clock, result.forceId, { ...account, password: DEMO_PASSWORD });
    }
  }
  return result;
}
