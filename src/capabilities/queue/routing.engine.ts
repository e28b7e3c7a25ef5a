// The routing decisions, as pure code: which queue a contact joins, and who gets it. No database,
// no clock of its own; the service feeds it rows and applies what it decides.

import { CAPACITY_CLASSES, type CapacityClass, type Presence, type Skill } from '../staff/staff.schema.ts';

const CHANNEL_CLASS: Record<string, CapacityClass> = {
  phone: 'call',
  callback: 'call',
  chat: 'chat',
  meta: 'social',
  x: 'social',
  sms_twilio: 'sms',
  sms_notify: 'sms',
  email: 'email',
  portal: 'online',
  api: 'online',
};

/** The capacity class of a channel; anything unknown counts as an online report. */
export function capacityClassOf(channel: string): CapacityClass {
  return Object.hasOwn(CHANNEL_CLASS, channel) ? (CHANNEL_CLASS[channel] ?? 'online') : 'online';
}

/** Open contacts per capacity class, from the channels of what a person holds (each row counting `n`, or one). */
export function loadByClass(held: readonly { channel: string; n?: number | string | bigint }[]): Partial<Record<CapacityClass, number>> {
  const load: Partial<Record<CapacityClass, number>> = {};
  for (const row of held) {
    const cls = capacityClassOf(row.channel);
    load[cls] = (load[cls] ?? 0) + (row.n === undefined ? 1 : Number(row.n));
  }
  return load;
}

/** The categories in a stored triage result; none when it is missing or malformed. */
export function triageCategories(triage: unknown): string[] {
  if (typeof triage !== 'object' || triage === null) return [];
  const categories = (triage as { categories?: unknown }).categories;
  return Array.isArray(categories) ? categories.filter((c): c is string => typeof c === 'string') : [];
}

/** Channels whose replies are public-facing on a platform, so only social-media trained staff take them. */
const SOCIAL_CHANNELS = new Set(['meta', 'x']);

/** Triage categories that make a trained person the better choice, though anyone suitable may take it. */
const CATEGORY_SKILLS: Record<string, Skill> = {
  domestic_abuse: 'domestic_abuse',
  child_at_risk: 'child_protection',
  self_harm: 'mental_health',
  hate: 'hate_crime',
};

/** Triage categories that mean a threat to life: the contact jumps the queue and supervisors are alerted. */
export const THREAT_TO_LIFE_CATEGORIES: readonly string[] = ['threat_to_life', 'self_harm'];

export function isThreatToLife(categories: readonly string[]): boolean {
  return categories.some((category) => THREAT_TO_LIFE_CATEGORIES.includes(category));
}

export type QueueRule = {
  queueId: string;
  position: number;
  channels: readonly string[] | null;
  categories: readonly string[] | null;
  priorities: readonly number[] | null;
};

export type RoutingFacts = { channel: string; categories: readonly string[]; priority: number };

/** The first rule (by position) whose every stated condition holds; null when none does. */
export function matchQueueRule(rules: readonly QueueRule[], facts: RoutingFacts): QueueRule | null {
  const ordered = [...rules].sort((a, b) => a.position - b.position);
  for (const rule of ordered) {
    if (rule.channels && rule.channels.length > 0 && !rule.channels.includes(facts.channel)) continue;
    if (rule.categories && rule.categories.length > 0 && !rule.categories.some((c) => facts.categories.includes(c))) continue;
    if (rule.priorities && rule.priorities.length > 0 && !rule.priorities.includes(facts.priority)) continue;
    return rule;
  }
  return null;
}

/** What a contact needs of whoever takes it: skills they must have, and skills that make them a better fit. */
export function skillNeeds(input: {
  channel: string;
  categories: readonly string[];
  queueSkills: readonly string[];
  language?: string | null;
}): { required: string[]; preferred: string[] } {
  const required = new Set(input.queueSkills);
  const preferred = new Set<string>();
  // A queue that asks a skill of its own (the control room) is worked by those who have it: a
  // post escalated there goes to a control-room operator, preferring one who knows social media,
  // rather than waiting for the rare person (a supervisor) who has both.
  if (SOCIAL_CHANNELS.has(input.channel)) (required.size > 0 ? preferred : required).add('social_media');
  if (input.channel === 'bsl') required.add('bsl');
  for (const category of input.categories) {
    const skill = Object.hasOwn(CATEGORY_SKILLS, category) ? CATEGORY_SKILLS[category] : undefined;
    if (skill && !required.has(skill)) preferred.add(skill);
  }
  // Someone who writes in Welsh is answered in Welsh where a speaker is free, never left waiting for one.
  if (input.language === 'cy' && !required.has('welsh')) preferred.add('welsh');
  return { required: [...required].sort(), preferred: [...preferred].sort() };
}

export type WaitingContact = {
  contactId: string;
  priority: number;
  isThreatToLife: boolean;
  enqueuedAt: Date;
  capacityClass: CapacityClass;
  requiredSkills: readonly string[];
  preferredSkills: readonly string[];
  /** People a supervisor took this contact back from: it is not given to them again. */
  excludedStaffIds?: readonly string[];
};

export type Candidate = {
  staffId: string;
  presence: Presence;
  skills: ReadonlySet<string>;
  capacity: Readonly<Partial<Record<CapacityClass, number>>>;
  /** Open contacts assigned now, per class. */
  load: Partial<Record<CapacityClass, number>>;
  idleSince: Date;
};

export type Decision = {
  contactId: string;
  staffId: string;
  /** Why this person: the skills that matched, their load and how long they had been idle. */
  reason: { preferredSkillsMatched: string[]; loadBefore: number; capacity: number; idleSeconds: number };
};

/** The order contacts are given out in: threat to life first, then priority, then longest waiting. */
export function compareWaiting(a: WaitingContact, b: WaitingContact): number {
  if (a.isThreatToLife !== b.isThreatToLife) return a.isThreatToLife ? -1 : 1;
  if (a.priority !== b.priority) return a.priority - b.priority;
  const byTime = a.enqueuedAt.getTime() - b.enqueuedAt.getTime();
  return byTime !== 0 ? byTime : a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0;
}

/** Open contacts across all classes as a share of all a person can hold (suitable people always hold some). */
function loadShare(candidate: Candidate): number {
  let load = 0;
  let capacity = 0;
  for (const value of Object.values(candidate.load)) load += value ?? 0;
  for (const value of Object.values(candidate.capacity)) capacity += value ?? 0;
  return capacity > 0 ? load / capacity : Number.POSITIVE_INFINITY;
}

/** Whether this person may take this contact now: available, not excluded, every required skill, a free slot in its class. */
export function isSuitable(candidate: Candidate, contact: WaitingContact): boolean {
  if (candidate.presence !== 'available') return false;
  if (contact.excludedStaffIds?.includes(candidate.staffId)) return false;
  const capacity = candidate.capacity[contact.capacityClass] ?? 0;
  if ((candidate.load[contact.capacityClass] ?? 0) >= capacity) return false;
  return contact.requiredSkills.every((skill) => candidate.skills.has(skill));
}

/**
 * The best suitable person for one contact: most preferred skills matched, then the lightest
 * load (open contacts across all channels, as a share of what they can hold), then the longest
 * idle. Null when nobody suitable is free.
 */
export function chooseAssignee(contact: WaitingContact, candidates: readonly Candidate[], now: Date): Decision | null {
  let best: Candidate | null = null;
  let bestKey: [number, number, number] | null = null;
  for (const candidate of candidates) {
    if (!isSuitable(candidate, contact)) continue;
    const matched = contact.preferredSkills.filter((skill) => candidate.skills.has(skill)).length;
    const load = loadShare(candidate);
    const key: [number, number, number] = [-matched, load, candidate.idleSince.getTime()];
    if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && (key[1] < bestKey[1] || (key[1] === bestKey[1] && key[2] < bestKey[2])))) {
      best = candidate;
      bestKey = key;
    }
  }
  if (!best) return null;
  return {
    contactId: contact.contactId,
    staffId: best.staffId,
    reason: {
      preferredSkillsMatched: contact.preferredSkills.filter((skill) => best.skills.has(skill)),
      loadBefore: best.load[contact.capacityClass] ?? 0,
      capacity: best.capacity[contact.capacityClass] ?? 0,
      idleSeconds: Math.max(0, Math.round((now.getTime() - best.idleSince.getTime()) / 1000)),
    },
  };
}

/**
 * Plans a round of assignments: contacts in queue order, each to the best person free at that
 * moment, counting the work already given out in this round. Stops early once nobody has room.
 * The candidates' load and idle time are updated in place to match the plan.
 */
export function planAssignments(waiting: readonly WaitingContact[], candidates: Candidate[], now: Date): Decision[] {
  const decisions: Decision[] = [];
  const ordered = [...waiting].sort(compareWaiting);
  const hasRoom = () =>
    candidates.some((c) => c.presence === 'available' && CAPACITY_CLASSES.some((k) => (c.load[k] ?? 0) < (c.capacity[k] ?? 0)));
  // Load only grows within a plan, so once nobody can take a class with a set of required skills,
  // nobody will later in it: the rest of such contacts are skipped without scanning everyone.
  const hopeless = new Set<string>();
  for (const contact of ordered) {
    const key = `${contact.capacityClass}|${[...contact.requiredSkills].sort().join(',')}`;
    if (hopeless.has(key)) continue;
    const decision = chooseAssignee(contact, candidates, now);
    if (!decision) {
      // Someone excluded from this one contact might still take the next like it.
      if (!contact.excludedStaffIds?.length) hopeless.add(key);
      continue;
    }
    decisions.push(decision);
    const taker = candidates.find((c) => c.staffId === decision.staffId);
    if (taker) {
      taker.load[contact.capacityClass] = (taker.load[contact.capacityClass] ?? 0) + 1;
      taker.idleSince = now;
      // Work just given out makes this person the least idle; equal loads now go to someone else.
    }
    if (decisions.length % 64 === 0 && !hasRoom()) break;
  }
  return decisions;
}
