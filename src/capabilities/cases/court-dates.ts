import type { AppointmentEvent } from './case-appointments.ts';

// A case's hearing is not a table either: it is the latest court date its milestones set. A new
// listing (a court date set again, by an investigator or the records system) moves it; the court's
// result, or the case's closing, ends it, however early they come (a hearing vacated: a guilty plea
// at an earlier one, a prosecution discontinued). A reminder queued for a listing so overtaken
// tells of a hearing that will not be held then (decision 0117).

/** The milestones that list a hearing, and those that end what was listed. */
export const COURT_DATE_EVENTS = ['case.court_date_set', 'case.court_result', 'case.closed'] as const;

/** What overtook a listing: another listing, the court's result, the case's closing. */
export type CourtDateOvertaken = 'moved' | 'heard' | 'closed';

const ENDED_BY: Readonly<Record<string, CourtDateOvertaken>> = { 'case.court_date_set': 'moved', 'case.court_result': 'heard', 'case.closed': 'closed' };

/**
 * The court date milestones a later milestone has overtaken, each with what overtook it. `events`
 * are the case's court date, court result and closing milestones, oldest first. Pure.
 */
export function overtakenCourtDateMilestones(events: readonly AppointmentEvent[]): Map<string, CourtDateOvertaken> {
  const overtaken = new Map<string, CourtDateOvertaken>();
  let standing: string[] = [];
  for (const event of events) {
    const by = ENDED_BY[event.type];
    if (!by) continue;
    for (const milestoneId of standing) overtaken.set(milestoneId, by);
    standing = event.type === 'case.court_date_set' && event.milestoneId ? [event.milestoneId] : [];
  }
  return overtaken;
}

/**
 * The listings standing when milestone `milestoneId` (a court date set again, the court's result,
 * the closing) came: those it overtook, whose reminders tell of a hearing no longer held then.
 * Empty for a first listing, or a milestone not among `events`. Pure.
 */
export function listingsOvertakenBy(events: readonly AppointmentEvent[], milestoneId: string): string[] {
  let standing: string[] = [];
  for (const event of events) {
    if (!ENDED_BY[event.type]) continue;
    if (event.milestoneId === milestoneId) return standing;
    standing = event.type === 'case.court_date_set' && event.milestoneId ? [event.milestoneId] : [];
  }
  return [];
}
