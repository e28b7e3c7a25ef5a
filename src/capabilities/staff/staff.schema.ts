import { z } from 'zod';

// What the staff routes answer.

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** A person's skills and capacity per channel class, and the count of their changes. */
const routingProfileView = z
  .object({
    skills: z.array(z.string()),
    capacity: z.record(z.string(), z.number().int()),
    version: z
      .number()
      .int()
      .describe('Counts the changes of skills and capacity (never of presence); send it back with a change to have it refused if they have changed since'),
  })
  .meta({ id: 'RoutingProfile' });

/** A member of a force's staff as its admins see them. */
export const staffMemberView = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    isActive: z.boolean(),
    mustChangePassword: z.boolean(),
    deactivatedAt: isoTime.nullable(),
    passwordChangedAt: isoTime.nullable(),
    createdAt: isoTime,
    roleVersion: z
      .number()
      .int()
      .describe('Counts the changes of their role; send it back with a role change to have it refused if the role has changed since'),
    routing: routingProfileView.nullable().describe('skills and capacity per channel class; null for roles that do not work the queue'),
  })
  .meta({ id: 'StaffMember' });

/** A member of staff an admin has just added, with the one-time password (shown once). */
export const staffAdded = z.object({
  staff: staffMemberView,
  oneTimePassword: z.string().describe('shown once; never stored in the clear'),
});

export const roleChanged = z.object({ staff: staffMemberView, returnedContacts: z.number().int() });

export const passwordChanged = z.object({
  changed: z.boolean(),
  otherSessionsEnded: z.number().int().describe('sessions of this account on other devices, now signed out'),
});

export const passwordReset = z.object({
  oneTimePassword: z.string().describe('shown once; never stored in the clear'),
  sessionsEnded: z.number().int(),
  returnedContacts: z.number().int(),
});

export const deactivated = z.object({ sessionsEnded: z.number().int(), returnedContacts: z.number().int() });

export const reactivated = z.object({ reactivated: z.boolean() });

// What a member of staff brings to the queue: skills, capacity per class of work, and presence.
// Staff set them (staff/presence.service.ts); routing reads them (queue/).

/** Skills a force can give its staff. Queues can require them; contacts can call for them. */
export const SKILLS = [
  'control_room',
  'domestic_abuse',
  'child_protection',
  'mental_health',
  'hate_crime',
  'social_media',
  'welsh',
  'bsl',
] as const;
export type Skill = (typeof SKILLS)[number];

export const SKILL_LABELS: Record<Skill, string> = {
  control_room: 'Control room',
  domestic_abuse: 'Domestic abuse trained',
  child_protection: 'Child protection',
  mental_health: 'Mental health',
  hate_crime: 'Hate crime',
  social_media: 'Social media',
  welsh: 'Welsh speaker',
  bsl: 'BSL',
};

/** What a member of staff's capacity is counted in: a call ties up a person, chats and messages less so. */
export const CAPACITY_CLASSES = ['call', 'chat', 'social', 'sms', 'email', 'online'] as const;
export type CapacityClass = (typeof CAPACITY_CLASSES)[number];

export const PRESENCES = ['available', 'busy', 'away', 'offline'] as const;
export type Presence = (typeof PRESENCES)[number];

export const presenceChanged = z.object({
  presence: z.enum(PRESENCES),
  returnedContacts: z.number().int().describe('contacts given back to their queues by going offline'),
});

export const profileUpdated = z.object({ ok: z.boolean(), routing: routingProfileView });

/** A person's capacity as stored: whole numbers of at least zero per known class; anything else is dropped. */
export function readCapacity(value: unknown): Partial<Record<CapacityClass, number>> {
  const capacity: Partial<Record<CapacityClass, number>> = {};
  if (typeof value !== 'object' || value === null) return capacity;
  for (const key of CAPACITY_CLASSES) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) capacity[key] = v;
  }
  return capacity;
}
