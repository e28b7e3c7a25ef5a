// Journey rules: which messages a case's milestone sends to one victim, and when. Pure.

import { isAboutNoAppointment } from '../cases/case.events.ts';

export const VICTIM_CATEGORIES = ['all', 'standard', 'enhanced', 'domestic_abuse'] as const;
export type VictimCategory = (typeof VICTIM_CATEGORIES)[number];

export type JourneyRule = {
  id: string;
  /** The case event it answers: `case.created`, `case.suspect_arrested`… */
  milestone: string;
  /** Only cases of this crime type; null for any. */
  crimeType: string | null;
  victimCategory: VictimCategory;
  /** Only closures with one of these Home Office outcome codes; null for any. */
  outcomeCodes: readonly string[] | null;
  templateKey: string;
  delayMinutes: number;
  /** What the delay counts from: the milestone, or the time it names (an appointment, a court date). */
  delayFrom: 'milestone' | 'at';
  /** A Victims' Code update: an opt-out of other updates does not stop it. */
  statutory: boolean;
  /** Speaks only when no rule with a crime type or outcome for the same milestone matched. */
  fallback: boolean;
  position: number;
};

/** The milestone as the rules see it. */
export type MilestoneFacts = { milestone: string; crimeType: string | null; outcomeCode: string | null };

/** What a rule may ask of a victim. */
export type VictimFacts = { enhancedRights: boolean; domesticAbuse: boolean };

function isSpecific(rule: JourneyRule): boolean {
  return rule.crimeType !== null || rule.outcomeCodes !== null;
}

function fitsVictim(category: VictimCategory, victim: VictimFacts): boolean {
  switch (category) {
    case 'all':
      return true;
    case 'standard':
      return !victim.enhancedRights;
    case 'enhanced':
      return victim.enhancedRights;
    case 'domestic_abuse':
      return victim.domesticAbuse;
  }
}

/** Whether one rule answers this milestone of this case, whoever the victim (fallbacks aside). */
export function fitsCase(rule: Pick<JourneyRule, 'milestone' | 'crimeType' | 'outcomeCodes'>, facts: MilestoneFacts): boolean {
  if (rule.milestone !== facts.milestone) return false;
  if (rule.crimeType !== null && rule.crimeType !== facts.crimeType) return false;
  return rule.outcomeCodes === null || (facts.outcomeCode !== null && rule.outcomeCodes.includes(facts.outcomeCode));
}

/** Whether one rule answers this milestone for this victim (fallbacks aside). */
export function ruleFits(rule: JourneyRule, facts: MilestoneFacts, victim: VictimFacts): boolean {
  return fitsCase(rule, facts) && fitsVictim(rule.victimCategory, victim);
}

/**
 * The rules that send a message for this milestone to this victim, in the force's order. A
 * fallback rule (the general "case closed" message) is left out when a rule naming a crime type
 * or an outcome for the same milestone matched: the victim gets the specific message, not both.
 */
export function matchRules(rules: readonly JourneyRule[], facts: MilestoneFacts, victim: VictimFacts): JourneyRule[] {
  const fitting = rules.filter((rule) => ruleFits(rule, facts, victim));
  const hasSpecific = fitting.some((rule) => !rule.fallback && isSpecific(rule));
  return fitting.filter((rule) => !rule.fallback || !hasSpecific).sort((a, b) => a.position - b.position);
}

/**
 * Milestones that tell a victim of something to come (an appointment, a court date): a message
 * about one whose time has passed is not sent. A records system's first update of an old case
 * names every appointment it ever held, and each told the victim "an appointment was made".
 */
const ABOUT_A_TIME_AHEAD = new Set(['case.appointment_made', 'case.appointment_changed', 'case.appointment_cancelled', 'case.court_date_set']);

/**
 * Why none of a milestone's messages go when it tells of something not there: a change of an
 * appointment that names no time is one the case had no appointment standing for (the cases room
 * gives a change the time of the appointment it changes), and would tell the victim of a change to
 * "a date to be confirmed" (decision 0122); a cancellation that names no appointment is one the
 * case had none standing for (the cases room names the one a cancellation cancels), and would tell
 * the victim of an appointment they never had, or cancelled again (decision 0126). Null when its
 * messages may go. Pure.
 */
export function groundlessReason(milestone: string, details: Readonly<Record<string, string>>): string | null {
  if (!isAboutNoAppointment(milestone, details)) return null;
  return milestone === 'case.appointment_cancelled'
    ? 'the case had no appointment standing for this cancellation to be about'
    : 'the case had no appointment standing for this change to be about';
}

/** The hour (UK time) a reminder of a day alone goes: in the morning, before most of the day's business. */
export const DAY_ALONE_REMINDER_HOUR = 9;

const UK_CLOCK = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });

/**
 * The instant it is `hour`:00 UK time on the UK day that begins at about `start` (a UK midnight,
 * or one an hour off across a clock change: six hours on is always within that day).
 */
function ukTimeOnDayOf(start: Date, hour: number): Date {
  const parts = Object.fromEntries(UK_CLOCK.formatToParts(new Date(start.getTime() + 6 * 3_600_000)).map((p) => [p.type, p.value]));
  const guess = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), hour);
  const shown = Number(Object.fromEntries(UK_CLOCK.formatToParts(new Date(guess)).map((p) => [p.type, p.value])).hour);
  // London is on UTC or an hour ahead of it: the UTC hour that shows `hour` there is `hour` or the one before.
  return new Date(shown === hour ? guess : guess - 3_600_000);
}

/**
 * When the time a milestone names has passed: the time itself, or for a day alone (its time not
 * known) the end of that day. Pure.
 */
export function passingOf(at: Date, isDateOnly: boolean): Date {
  return isDateOnly ? ukTimeOnDayOf(new Date(at.getTime() + 24 * 3_600_000), 0) : at;
}

/**
 * When a rule's message is due: the milestone (or the time it names) plus the delay. A reminder
 * whose moment has passed goes now, unless what it reminds of has passed too: then it is not sent.
 * A reminder of a milestone that names no time has nothing to remind of, and is not sent either.
 */
export function dueTime(rule: JourneyRule, times: { occurredAt: Date; at: Date | null; now: Date; isDateOnly?: boolean }): { due: Date } | { skip: string } {
  if (rule.delayFrom === 'at' && !times.at) return { skip: 'the milestone names no time to remind of' };
  const base = rule.delayFrom === 'at' && times.at ? times.at : times.occurredAt;
  const delayed = new Date(base.getTime() + rule.delayMinutes * 60_000);
  // A day alone (its time not known: decisions 0070, 0077) is reminded of at a morning hour of the
  // day the delay lands on, not at the midnight that stands for the day; and it has not passed
  // until the day has.
  const due = times.isDateOnly && rule.delayFrom === 'at' ? ukTimeOnDayOf(delayed, DAY_ALONE_REMINDER_HOUR) : delayed;
  const passes = times.at ? passingOf(times.at, times.isDateOnly === true) : null;
  if (passes && ABOUT_A_TIME_AHEAD.has(rule.milestone) && passes.getTime() <= times.now.getTime()) return { skip: 'the time it is about has passed' };
  if (rule.delayFrom === 'at' && passes) {
    if (passes.getTime() <= times.now.getTime()) return { skip: 'the time it is about has passed' };
    if (due.getTime() < times.now.getTime()) return { due: times.now };
  }
  return { due };
}

/** What decides which message a rule sends, to whom, and when. */
export type RuleSend = Pick<JourneyRule, 'milestone' | 'templateKey' | 'crimeType' | 'victimCategory' | 'outcomeCodes' | 'delayMinutes' | 'delayFrom'>;

function sameOutcomes(a: readonly string[] | null, b: readonly string[] | null): boolean {
  if (a === null || b === null) return a === b;
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((code) => right.has(code));
}

/**
 * Whether two rules send the same message to the same victims at the same time: the same
 * milestone, message, crime type, category of victim, outcomes (in any order) and delay, counted
 * from the same point. Both switched on, a victim they fit would get the message twice.
 * Whether a rule is a Victims' Code update does not make it another message: a victim who did not
 * opt out gets both (decision 0075). Nor does being a fallback: a fallback alike in all this to a
 * rule naming a crime type or outcomes never speaks, and one naming neither speaks beside it.
 */
export function isSameSend(a: RuleSend, b: RuleSend): boolean {
  return (
    a.milestone === b.milestone &&
    a.templateKey === b.templateKey &&
    a.crimeType === b.crimeType &&
    a.victimCategory === b.victimCategory &&
    sameOutcomes(a.outcomeCodes, b.outcomeCodes) &&
    a.delayMinutes === b.delayMinutes &&
    a.delayFrom === b.delayFrom
  );
}
