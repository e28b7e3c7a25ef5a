// Words for the values force admins choose, keyed by the generated unions: a role or skill added
// or dropped on the server fails the console's type check here.
import type { SkillName, StaffRoleName } from '../../api/types.ts';
import { keysOf } from '../../labels.ts';

export const ROLE_LABELS: Readonly<Record<StaffRoleName, string>> = {
  call_handler: 'Call handler',
  digital_desk_operator: 'Digital desk operator',
  dispatcher: 'Dispatcher',
  supervisor: 'Supervisor',
  investigator: 'Investigator',
  force_admin: 'Force admin',
};
export const ROLES = keysOf(ROLE_LABELS);

export function isRoleName(value: string): value is StaffRoleName {
  return value in ROLE_LABELS;
}

const SKILL_NAMES: Readonly<Record<SkillName, string>> = {
  control_room: 'Control room',
  domestic_abuse: 'Domestic abuse trained',
  child_protection: 'Child protection',
  mental_health: 'Mental health',
  hate_crime: 'Hate crime',
  social_media: 'Social media',
  welsh: 'Welsh speaker',
  bsl: 'BSL',
};
export const SKILLS: ReadonlyArray<{ key: SkillName; label: string }> = keysOf(SKILL_NAMES).map((key) => ({ key, label: SKILL_NAMES[key] }));

export function isSkillName(value: string): value is SkillName {
  return value in SKILL_NAMES;
}

/** Roles whose holders work the queue, and so have skills and capacity (the server's rule). */
export const ROUTED_ROLES: ReadonlySet<StaffRoleName> = new Set(['call_handler', 'digital_desk_operator', 'supervisor']);
