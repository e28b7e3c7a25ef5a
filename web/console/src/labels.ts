// What the console calls the values the API sends. The values come from the generated types; each
// table is keyed by one of them, so a value the server adds or drops is a compile error here.
import { humanize } from './format.ts';
import type { CapacityClass, CloseOutcome, JobState, Presence, Priority, ThriveElement, ThriveRating, TriageCategory } from './api/types.ts';

/** The keys of a table keyed by a string union, in the order written. */
export function keysOf<K extends string>(table: Readonly<Record<K, unknown>>): K[] {
  // Object.keys is typed string[]; a Record<K, …> has exactly the keys K.
  return Object.keys(table) as K[];
}

export const CLOSE_OUTCOME_LABELS: Readonly<Record<CloseOutcome, string>> = {
  advice_given: 'Advice given',
  referred: 'Referred to another agency',
  no_further_action: 'No further action',
  duplicate: 'Duplicate of another contact',
  crime_recorded: 'Crime recorded',
  incident_created: 'Incident created',
};

/** Triage's categories as staff read them, wherever the console names one (triage rules, queue rules, a contact's matches). */
export const TRIAGE_CATEGORY_LABELS: Readonly<Record<TriageCategory, string>> = {
  weapons: 'Weapons',
  threat_to_life: 'Threat to life',
  self_harm: 'Self-harm',
  domestic_abuse: 'Domestic abuse',
  child_at_risk: 'Child at risk',
  missing_person: 'Missing person',
  hate: 'Hate',
  road_danger: 'Road danger',
  violence: 'Violence',
  sexual_offence: 'Sexual offence',
  fire: 'Fire',
  exclusion: 'Exclusion',
};

export const TRIAGE_CATEGORIES = keysOf(TRIAGE_CATEGORY_LABELS);

export function isTriageCategory(value: string): value is TriageCategory {
  return Object.hasOwn(TRIAGE_CATEGORY_LABELS, value);
}

/** A category in words; one this console does not know (stored before it was dropped, say) as it comes, in words. */
export function categoryLabel(category: string): string {
  return isTriageCategory(category) ? TRIAGE_CATEGORY_LABELS[category] : humanize(category);
}

export const PRESENCE_LABELS: Readonly<Record<Presence, string>> = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
};

export const PRESENCES = keysOf(PRESENCE_LABELS);

export function isPresence(value: string): value is Presence {
  return value in PRESENCE_LABELS;
}

export const JOB_STATE_LABELS: Readonly<Record<JobState, string>> = {
  pending: 'Pending',
  running: 'Running',
  done: 'Done',
  dead: 'Dead',
};

export const JOB_STATES = keysOf(JOB_STATE_LABELS);

export function isJobState(value: string): value is JobState {
  return value in JOB_STATE_LABELS;
}

/** For lists (like the routing board) that carry only the number; the server's triage engine names them the same. */
export const PRIORITY_LABELS: Readonly<Record<Priority, string>> = {
  1: 'Immediate risk',
  2: 'High',
  3: 'Standard',
  4: 'Low',
};

export function priorityLabel(priority: Priority): string {
  return PRIORITY_LABELS[priority] ?? `Priority ${priority}`;
}

/** What a member of staff's capacity is counted in, in the server's order. */
export const CAPACITY_CLASSES = keysOf<CapacityClass>({ call: true, chat: true, social: true, sms: true, email: true, online: true });

/** Skills a person may hold; the server names them the same (routing engine). Unknown skills are shown as they come. */
export const SKILL_LABELS: Readonly<Record<string, string>> = {
  control_room: 'Control room',
  domestic_abuse: 'Domestic abuse trained',
  child_protection: 'Child protection',
  mental_health: 'Mental health',
  hate_crime: 'Hate crime',
  social_media: 'Social media',
  welsh: 'Welsh speaker',
  bsl: 'BSL',
};

type ThriveElementLabels = { [E in ThriveElement]: { label: string; ratings: Readonly<Record<ThriveRating<E>, true>> } };

/** The six THRIVE elements and the ratings each takes (the ratings are the request body's). */
const THRIVE: ThriveElementLabels = {
  threat: { label: 'Threat', ratings: { none: true, low: true, medium: true, high: true } },
  harm: { label: 'Harm', ratings: { none: true, low: true, medium: true, high: true } },
  risk: { label: 'Risk', ratings: { none: true, low: true, medium: true, high: true } },
  investigation: { label: 'Investigation', ratings: { none: true, required: true, urgent: true } },
  vulnerability: { label: 'Vulnerability', ratings: { none: true, possible: true, confirmed: true } },
  engagement: { label: 'Engagement', ratings: { engaged: true, reluctant: true, unable: true } },
};

/** The ratings the request takes for one element. */
export function thriveRatings<E extends ThriveElement>(element: E): ThriveRating<E>[] {
  return keysOf(THRIVE[element].ratings);
}

export const THRIVE_ELEMENTS: ReadonlyArray<{ key: ThriveElement; label: string; ratings: readonly string[] }> = keysOf(THRIVE).map((key) => ({
  key,
  label: THRIVE[key].label,
  ratings: thriveRatings(key),
}));

export function skillLabel(skill: string): string {
  return SKILL_LABELS[skill] ?? humanize(skill);
}
