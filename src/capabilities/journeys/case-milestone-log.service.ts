import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { APPOINTMENT_EVENTS, overtakenAppointmentMilestones, readCaseMilestones } from '../cases/case-appointments.schema.ts';
import { OVERTAKEN_BY } from '../cases/appointment-reminders.schema.ts';
import { COURT_DATE_EVENTS, overtakenCourtDateMilestones, standingListing } from '../cases/court-dates.schema.ts';

// What a case's milestones say of its appointments and its hearing, as the journeys room needs it:
// read from the case's events in the force's log by the cases room's contract and added up by its
// folds (pure), not asked of the cases room's use cases, which reach the contacts room and so back
// here (decisions 0194, 0199).

/**
 * Of these cases' appointment and court date milestones, those a later milestone has overtaken
 * (an appointment changed or cancelled; a court date set again, the court's result, the closing),
 * each with what overtook it in words: the journey step queues nothing timed from one (its
 * reminder would tell of a time that no longer stands). The overtaking milestone's own job
 * withdraws what was queued before it; this covers the earlier milestone's journey running after it.
 */
export async function findOvertakenMilestones(tx: Tx, forceId: ForceId, caseIds: readonly string[]): Promise<Map<string, string>> {
  const overtaken = new Map<string, string>();
  for (const caseId of caseIds) {
    const events = await readCaseMilestones(tx, forceId, caseId, [...APPOINTMENT_EVENTS, ...COURT_DATE_EVENTS]);
    const appointments = overtakenAppointmentMilestones(events.filter((e) => (APPOINTMENT_EVENTS as readonly string[]).includes(e.type)));
    const listings = overtakenCourtDateMilestones(events.filter((e) => (COURT_DATE_EVENTS as readonly string[]).includes(e.type)));
    for (const [milestoneId, by] of [...appointments, ...listings]) overtaken.set(milestoneId, OVERTAKEN_BY[by]);
  }
  return overtaken;
}

/** A case's hearing as a victim added later is told of it: the listing's milestone, its time and place, and when it was listed. */
export type StandingListing = { milestoneId: string; details: Readonly<Record<string, string>>; note: string | null; listedAt: Date };

/**
 * The hearing that stands on a case by its milestones (the latest court date set, or listed again
 * by a reopening, that no later listing, result or closing ended), whether or not its time has
 * passed; none when there is none. A victim added later is told of it and reminded of it as the
 * victims the case had were (decision 0134).
 */
export async function findStandingListing(tx: Tx, forceId: ForceId, caseId: string): Promise<StandingListing | null> {
  const events = await readCaseMilestones(tx, forceId, caseId, COURT_DATE_EVENTS);
  const listing = standingListing(events);
  if (!listing?.milestoneId) return null;
  // A reopening's note is of the reopening: the hearing's is the one its listing gave.
  const listed = listing.details.restoresListing ? events.find((event) => event.milestoneId === listing.details.restoresListing) : listing;
  return { milestoneId: listing.milestoneId, details: listing.details, note: listed?.note ?? null, listedAt: listing.at };
}
