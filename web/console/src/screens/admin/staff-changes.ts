// What a change to a member of staff's role or routing profile becomes when someone else changed it
// after the form was opened (decision 0085). Pure: no React, no requests.
import type { CapacityClass, StaffAccount } from '../../api/types.ts';
import { CAPACITY_CLASSES, skillLabel } from '../../labels.ts';
import { humanize } from '../../format.ts';
import { rebaseChange, type Clash } from '../../changed-since-opened.ts';
import { ROLE_LABELS, isRoleName } from './admin-labels.ts';

/** The fields of the routing profile the form changes: the skills, then each class's capacity. */
export const PROFILE_FIELDS = ['skills', ...CAPACITY_CLASSES] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** The profile as the form holds it: skills in the server's order, each capacity as typed. */
export type ProfileValues = { skills: string[] } & Record<CapacityClass, string>;

type Routing = NonNullable<StaffAccount['routing']>;

/** The form's values for skills (any order) and capacities (as typed). */
export function profileValues(skills: readonly string[], capacity: Partial<Record<CapacityClass, string | number>>): ProfileValues {
  const text = (key: CapacityClass) => String(capacity[key] ?? '');
  return { skills: [...skills].sort(), call: text('call'), chat: text('chat'), social: text('social'), sms: text('sms'), email: text('email'), online: text('online') };
}

/** The routing profile as read, as the form holds it. */
export const profileValuesOf = (routing: Routing): ProfileValues => profileValues(routing.skills, routing.capacity);

/**
 * The form after the profile was changed by someone else since it was opened: each field this
 * person left alone takes the profile as it is now; each they changed keeps what they entered.
 */
export function rebaseProfileChange(opened: ProfileValues, wanted: ProfileValues, current: ProfileValues): { form: ProfileValues; clashes: Clash<ProfileField>[] } {
  return rebaseChange(PROFILE_FIELDS, opened, wanted, current);
}

/** Skills in the words the form shows them in. */
export const skillsInWords = (skills: unknown) => (Array.isArray(skills) && skills.length > 0 ? skills.map((s) => skillLabel(String(s))).join(', ') : 'None');

/** What the form calls one class's capacity. */
export const capacityLabel = (key: CapacityClass) => `Capacity for ${humanize(key).toLowerCase()}`;

const asCapacity = (value: unknown) => ((typeof value === 'string' && value !== '') || typeof value === 'number' ? String(value) : 'not set');

/** A profile field both changed, as a sentence: what it is now, and that the form keeps this person's value. */
export function profileClashSentence(clash: Clash<ProfileField>): string {
  const keep = 'Save again to put yours over it, or change it.';
  if (clash.field === 'skills') return `Skills are now “${skillsInWords(clash.theirs)}”; the form keeps yours, “${skillsInWords(clash.yours)}”. ${keep}`;
  return `${capacityLabel(clash.field)} is now “${asCapacity(clash.theirs)}”; the form keeps yours, “${asCapacity(clash.yours)}”. ${keep}`;
}

/** A role in the words the form shows it in. */
export const roleInWords = (role: unknown) => (typeof role === 'string' && isRoleName(role) ? ROLE_LABELS[role] : humanize(String(role)));

/** The role both changed, as a sentence. */
export function roleClashSentence(clash: Clash<'role'>): string {
  return `Role is now “${roleInWords(clash.theirs)}”; the form keeps yours, “${roleInWords(clash.yours)}”. Save again to put yours over it, or change it.`;
}
