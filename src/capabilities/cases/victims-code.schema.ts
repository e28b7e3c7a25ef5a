import Holidays from 'date-holidays';

// The Victims' Code clocks, pure: which case milestones oblige the police to tell each victim,
// and by when, counted in working days (Monday to Friday, not a bank holiday in England and
// Wales) in Europe/London. Sources: the Code of Practice for Victims of Crime in England and Wales
// (Right 4, referral to support services; Right 6, information about the investigation). See
// docs/decisions/0032-victims-code-clocks.md for the choices made where the Code leaves room.

/** What a victim must be told, or done for them. Each is one duty per victim per milestone. */
export const VICTIM_DUTIES = [
  'arrest',
  'charge',
  'released_under_investigation',
  'bail',
  'out_of_court_disposal',
  'no_further_action',
  'not_investigated',
  /** Right 4: the victim's details passed to a support service (with their consent). */
  'referral',
] as const;
export type VictimDuty = (typeof VICTIM_DUTIES)[number];

/** How a duty was met: by a journey message, by the officer in person or writing, or (referral) passed on or declined. */
export const INFORMED_HOWS = ['phone', 'visit', 'letter', 'email'] as const;
export const REFERRAL_HOWS = ['referred', 'declined'] as const;
export type InformedHow = (typeof INFORMED_HOWS)[number];
export type ReferralHow = (typeof REFERRAL_HOWS)[number];
/** `withdrawn`: closed unmet because the victim was removed from the case (decision 0077). */
export type DutyHow = InformedHow | ReferralHow | 'journey' | 'withdrawn';

/** Working days to tell a victim of a milestone: five, or one with enhanced rights (Right 6). */
export const UPDATE_WORKING_DAYS = 5;
export const ENHANCED_UPDATE_WORKING_DAYS = 1;
/** Working days to refer a victim to support services from the case's recording (Right 4). */
export const REFERRAL_WORKING_DAYS = 2;

/** Home Office outcome types that are an out-of-court disposal: cautions, penalty notices, community resolution, diversion. */
const OUT_OF_COURT_OUTCOMES = new Set(['2', '3', '6', '7', '8', '22']);
/** Outcome types the victim hears of elsewhere: a charge (told when charged) and offences taken into consideration (at court). */
export const OUTCOME_CODES_TOLD_ELSEWHERE = ['1', '4'] as const;
const OUTCOMES_TOLD_ELSEWHERE: ReadonlySet<string> = new Set(OUTCOME_CODES_TOLD_ELSEWHERE);

const MILESTONE_DUTIES: Partial<Record<string, VictimDuty>> = {
  'case.suspect_arrested': 'arrest',
  'case.charged': 'charge',
  'case.released_under_investigation': 'released_under_investigation',
  'case.bailed': 'bail',
  'case.out_of_court_disposal': 'out_of_court_disposal',
};

/** The case events that may start a duty; the recorder gives each of them the job that opens it. */
export const DUTY_EVENT_TYPES = ['case.created', ...Object.keys(MILESTONE_DUTIES), 'case.closed'] as const;

/**
 * The duty a case event starts, or null. A close starts "no further action" when the case was
 * investigated and "not investigated" when it never was (no investigative milestone before it);
 * a close with an out-of-court outcome is told as one; a close with a charge is not (the charge was).
 */
export function dutyForEvent(input: { type: string; outcomeCode?: string | null; wasInvestigated?: boolean }): VictimDuty | null {
  if (input.type === 'case.created') return 'referral';
  if (input.type !== 'case.closed') return MILESTONE_DUTIES[input.type] ?? null;
  const outcome = input.outcomeCode ?? '';
  if (OUTCOMES_TOLD_ELSEWHERE.has(outcome)) return null;
  if (OUT_OF_COURT_OUTCOMES.has(outcome)) return 'out_of_court_disposal';
  return input.wasInvestigated === false ? 'not_investigated' : 'no_further_action';
}

/** Case events after which a later close counts as "no further action" rather than "not investigated". */
export const INVESTIGATIVE_EVENT_TYPES: ReadonlySet<string> = new Set([
  'case.investigation_started',
  'case.suspect_identified',
  'case.suspect_arrested',
  'case.suspect_interviewed',
  'case.released_under_investigation',
  'case.bailed',
  'case.charged',
  'case.out_of_court_disposal',
  'case.reopened',
]);

/** Working days allowed for a duty. */
export function workingDaysFor(duty: VictimDuty, hasEnhancedRights: boolean): number {
  if (duty === 'referral') return REFERRAL_WORKING_DAYS;
  return hasEnhancedRights ? ENHANCED_UPDATE_WORKING_DAYS : UPDATE_WORKING_DAYS;
}

/** Which days are bank holidays, by their date in London (`YYYY-MM-DD`). */
export type BankHolidays = { isBankHoliday(date: string): boolean };

/**
 * England and Wales bank holidays from the maintained `date-holidays` data (its "public" entries,
 * substitute days included). England and Wales share them; both regions are read so a difference,
 * should one ever be made, counts as a holiday rather than being missed.
 */
export function englandAndWalesBankHolidays(): BankHolidays {
  const regions = [new Holidays('GB', 'ENG'), new Holidays('GB', 'WLS')];
  const byYear = new Map<number, Set<string>>();
  const yearOf = (year: number) => {
    let days = byYear.get(year);
    if (!days) {
      days = new Set(regions.flatMap((region) => region.getHolidays(year).filter((h) => h.type === 'public').map((h) => h.date.slice(0, 10))));
      byYear.set(year, days);
    }
    return days;
  };
  return { isBankHoliday: (date) => yearOf(Number(date.slice(0, 4))).has(date) };
}

const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23' });

/** A calendar day, as a UTC midnight (only its date and weekday are used). */
type Day = Date;
const DAY_MS = 86_400_000;

function londonParts(at: Date): { day: Day; hour: number } {
  const parts = Object.fromEntries(LONDON_DATE.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day))), hour: Number(parts.hour) };
}

const isoDay = (day: Day) => day.toISOString().slice(0, 10);
const nextDay = (day: Day): Day => new Date(day.getTime() + DAY_MS);

/** The instant a London day begins (00:00 GMT or BST; clocks never change at midnight). */
function londonMidnight(day: Day): Date {
  const offsetHours = londonParts(day).hour; // London's hour at 00:00 UTC that day: 0 in winter, 1 in summer
  return new Date(day.getTime() - offsetHours * 3_600_000);
}

/** Whether a London day is a working day: Monday to Friday and not a bank holiday. */
export function isWorkingDay(date: string, holidays: BankHolidays): boolean {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.isBankHoliday(date);
}

/**
 * The end of the nth working day after `from` (the day `from` falls on, in London, is day zero,
 * whatever its time): the instant the next London day begins. One working day from a Friday
 * afternoon ends at Monday midnight; over Christmas it skips the bank holidays too.
 */
export function addWorkingDays(from: Date, n: number, holidays: BankHolidays): Date {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`working days must be a whole number of at least one (${n})`);
  let day = londonParts(from).day;
  for (let counted = 0; counted < n; ) {
    day = nextDay(day);
    if (isWorkingDay(isoDay(day), holidays)) counted += 1;
  }
  return londonMidnight(nextDay(day));
}

/**
 * When a duty to a victim begins, which its clock counts from: the milestone, or, for a victim the
 * force came to know of only after it, their first addition to the case (decision 0137). The duty
 * owed to the unnamed victim (no `knownSince`) began with the milestone. Pure.
 */
export function dutyBegins(milestoneAt: Date, knownSince: Date | null): Date {
  return knownSince && knownSince.getTime() > milestoneAt.getTime() ? knownSince : milestoneAt;
}

/** When a duty falls due and when it warns: a working day before (for 2 days or more), or half-way (for one). */
export function planDuty(input: { duty: VictimDuty; from: Date; hasEnhancedRights: boolean; holidays: BankHolidays }): { workingDays: number; dueAt: Date; warnAt: Date } {
  const workingDays = workingDaysFor(input.duty, input.hasEnhancedRights);
  const due = addWorkingDays(input.from, workingDays, input.holidays);
  const warnAt = workingDays >= 2 ? addWorkingDays(input.from, workingDays - 1, input.holidays) : new Date(input.from.getTime() + (due.getTime() - input.from.getTime()) / 2);
  return { workingDays, dueAt: due, warnAt };
}

/**
 * The columns of an open clock given a new plan: its times, and a warning mark cleared when its new
 * time has not come yet (the sweep marks it again when it does). A breach mark is never touched:
 * only an open clock is re-timed, and a breach once it happened stays (decision 0133).
 */
export function retimedClock(plan: { workingDays: number; dueAt: Date; warnAt: Date }, now: Date) {
  return {
    working_days: plan.workingDays,
    due_at: plan.dueAt,
    warn_at: plan.warnAt,
    ...(plan.warnAt.getTime() > now.getTime() ? { warned_at: null } : {}),
  };
}

/** When a duty started at `from` falls due. */
export function dueAt(input: { duty: VictimDuty; from: Date; hasEnhancedRights: boolean; holidays: BankHolidays }): Date {
  return addWorkingDays(input.from, workingDaysFor(input.duty, input.hasEnhancedRights), input.holidays);
}

/**
 * Whether a journey message (an outbox row's purpose) tells the victim of the milestone that
 * started a duty. The one place the clocks meet the journeys: a journey step is named after the
 * milestone event it follows (`journey:case.suspect_arrested`, perhaps with a suffix for a
 * variant: `journey:case.suspect_arrested:sms`). Adjust here if the journeys name steps otherwise
 * (the sweep first narrows the outbox to purposes starting `journey:<milestone type>`).
 */
export function isJourneyPurposeFor(purpose: string, milestoneType: string): boolean {
  if (!purpose.startsWith('journey:')) return false;
  const step = purpose.slice('journey:'.length);
  if (step === milestoneType || step.startsWith(`${milestoneType}:`) || step.startsWith(`${milestoneType}.`)) return true;
  // Messages a closing sends under keys of their own (journeys/messages/closure.schema.ts).
  return milestoneType === 'case.closed' && (step === 'case.not_investigated' || step === 'case.suspect_no_further_action');
}

/**
 * Whether a journey message was written to the victim a duty is owed to: `victimId` is the victim
 * its key names (`victimOfKey`); the same known person, added again, is the same victim. A victim
 * without a person record (known only by a postal address, or from the records system) is matched
 * by their own id alone: another victim's letter on the same case does not tell them. A clock for a victim not yet named is met by any victim's message.
 */
export function isMessageToVictim(message: { victimId: string; personId: string | null }, duty: { casePersonId: string | null; personId: string | null }): boolean {
  if (duty.casePersonId === null) return true;
  return message.victimId === duty.casePersonId || (duty.personId !== null && message.personId === duty.personId);
}

/** Whether a duty was met on time, late, or not yet (and whether that is already a breach). */
export function dutyStanding(input: { dueAt: Date; satisfiedAt: Date | null; how: DutyHow | null; now: Date }): 'on_time' | 'late' | 'declined' | 'withdrawn' | 'overdue' | 'open' {
  if (input.how === 'declined') return 'declined';
  if (input.how === 'withdrawn') return 'withdrawn';
  if (input.satisfiedAt) return input.satisfiedAt.getTime() <= input.dueAt.getTime() ? 'on_time' : 'late';
  return input.now.getTime() >= input.dueAt.getTime() ? 'overdue' : 'open';
}
