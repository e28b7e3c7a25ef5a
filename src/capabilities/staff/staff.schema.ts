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
