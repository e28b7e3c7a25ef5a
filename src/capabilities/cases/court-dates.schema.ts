import type { AppointmentEvent } from './case-appointments.schema.ts';
import { ukDayOf, ukMidnightOf } from './uk-days.schema.ts';

// A case's hearing is not a table either: it is the latest court date its milestones set. A new
// listing (a court date set again, by an investigator or the records system) moves it; the court's
// result, or the case's closing, ends it, however early they come (a hearing vacated: a guilty plea
// at an earlier one, a prosecution discontinued). A reminder queued for a listing so overtaken
// tells of a hearing that will not be held then (decision 0117). A case closed by mistake and
// reopened while the hearing its closing ended is still to come has that listing again: the
// reopening carries it (`restoredListing`), and is a listing itself (decision 0121).

/** The milestones that list a hearing, those that end what was listed, and the reopening that may list it again. */
export const COURT_DATE_EVENTS = ['case.court_date_set', 'case.court_result', 'case.closed', 'case.reopened'] as const;

/** What overtook a listing: another listing, the court's result, the case's closing. */
export type CourtDateOvertaken = 'moved' | 'heard' | 'closed';

const ENDED_BY: Readonly<Record<string, CourtDateOvertaken>> = { 'case.court_date_set': 'moved', 'case.court_result': 'heard', 'case.closed': 'closed' };

/** Whether a milestone lists a hearing: a court date set, or a reopening that restores the listing its closing ended. */
export function isListing(event: AppointmentEvent): boolean {
  return Boolean(event.milestoneId) && (event.type === 'case.court_date_set' || (event.type === 'case.reopened' && Boolean(event.details.restoresListing)));
}

/**
 * Walks the case's court date milestones (oldest first), telling `seen` of each listing, result
 * or closing with the listings standing just before it; answers those standing at the end.
 */
function walkListings(events: readonly AppointmentEvent[], seen: (event: AppointmentEvent, standing: readonly string[]) => void): string[] {
  let standing: string[] = [];
  for (const event of events) {
    if (!ENDED_BY[event.type] && !isListing(event)) continue;
    seen(event, standing);
    standing = isListing(event) && event.milestoneId ? [event.milestoneId] : [];
  }
  return standing;
}

/**
 * The court date milestones a later milestone has overtaken, each with what overtook it. `events`
 * are the case's court date, court result, closing and reopening milestones, oldest first. Pure.
 */
export function overtakenCourtDateMilestones(events: readonly AppointmentEvent[]): Map<string, CourtDateOvertaken> {
  const overtaken = new Map<string, CourtDateOvertaken>();
  walkListings(events, (event, standing) => {
    const by = ENDED_BY[event.type];
    if (by) for (const milestoneId of standing) overtaken.set(milestoneId, by);
  });
  return overtaken;
}

/**
 * The listings standing when milestone `milestoneId` (a court date set again, the court's result,
 * the closing) came: those it overtook, whose reminders tell of a hearing no longer held then.
 * Empty for a first listing, or a milestone not among `events`. Pure.
 */
export function listingsOvertakenBy(events: readonly AppointmentEvent[], milestoneId: string): string[] {
  let found: string[] = [];
  walkListings(events, (event, standing) => {
    if (event.milestoneId === milestoneId && ENDED_BY[event.type]) found = [...standing];
  });
  return found;
}

/**
 * The listing standing after all of a case's court date milestones (`events`, oldest first): the
 * latest court date set, or reopening that listed one again, that nothing has ended since; none
 * when the case has no hearing to come by its milestones (whether its time has passed is the
 * caller's to ask). Pure.
 */
export function standingListing(events: readonly AppointmentEvent[]): AppointmentEvent | undefined {
  const [milestoneId] = walkListings(events, () => undefined);
  return milestoneId ? events.find((event) => event.milestoneId === milestoneId) : undefined;
}

/**
 * What a reopening lists again (as its milestone's details): the hearing the case's last closing
 * ended, when no listing or result came since and it is still to come at `now` (a day alone: until
 * its day has ended). Its reminder is then queued again, unless it was due before the closing
 * (`closedAt`): it had gone, or was on its way. Empty otherwise. Pure.
 */
export function restoredListing(events: readonly AppointmentEvent[], now: Date): Record<string, string> {
  const last = events.findLast((event) => ENDED_BY[event.type] || isListing(event));
  if (last?.type !== 'case.closed' || !last.milestoneId) return {};
  const [listingId] = listingsOvertakenBy(events, last.milestoneId);
  const listing = events.find((event) => event.milestoneId === listingId);
  const at = listing?.details.at ? Date.parse(listing.details.at) : Number.NaN;
  if (!listing?.milestoneId || Number.isNaN(at)) return {};
  const isDateOnly = listing.details.isDateOnly === 'true';
  // Thirty-six hours on from a UK midnight is always within the next UK day.
  const passes = isDateOnly ? ukMidnightOf(ukDayOf(at + 36 * 3_600_000).day).getTime() : at;
  if (passes <= now.getTime()) return {};
  return {
    restoresListing: listing.milestoneId,
    closedAt: last.at.toISOString(),
    at: listing.details.at ?? '',
    ...(listing.details.place ? { place: listing.details.place } : {}),
    ...(isDateOnly ? { isDateOnly: 'true' } : {}),
  };
}
