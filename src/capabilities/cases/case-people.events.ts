import { z } from 'zod';
import { defineEvent, type FollowUpJob, type Happened, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { VICTIM_UPDATES_OPEN_JOB } from './victims-code.events.ts';
import { journeyMilestoneJob, VICTIM_ADDED_GRACE_MS, VICTIM_ADDED_MILESTONE, victimReachableJob } from '../journeys/journey.events.ts';

// The people on a case in the event catalogue: added (the reporter as its victim when the case is
// made, by an investigator later, or by the force's records system), a victim's details changed, removed, and a removed
// victim the records system still lists. Each is on the case's
// timeline; `details` holds the particulars in words, as the milestones' do.

/** Who added them: an investigator, the case's making (its reporter, as its victim), or the force's records system. */
const source = z.enum(['staff', 'reporter', 'records_system']);

const person = {
  casePersonId: z.string(),
  role: z.enum(['victim', 'witness', 'suspect']),
  /** The known person they are (people), or null for someone named only. */
  personId: z.string().nullable(),
  source,
  note: z.string().nullable(),
  /** For the timeline: the name, role and enhanced rights, as text. */
  details: z.record(z.string(), z.string()),
};

const changed = (e: Happened<string, { role: string }>): PushedLiveMessage[] => (e.data.role === 'victim' ? [{ type: 'case.victim_updates_changed', caseId: e.subject.id }] : []);
/**
 * A victim's letters waiting to print are not to be posted once their address changed or they were
 * removed (decisions 0136, 0143): the print queue hears it at once (decision 0156).
 */
const lettersOvertaken = (e: Happened<string, { role: string }>): PushedLiveMessage[] => (e.data.role === 'victim' ? [{ type: 'print_queue.changed', caseId: e.subject.id, change: 'overtaken' }] : []);

/**
 * A victim added to a case is owed what its recent milestones oblige (the clocks' look-back):
 * the job that opens the case's clocks runs again, and opens theirs. A repeat opens nothing twice.
 */
function victimClockJobs(e: Happened<string, { role: string }>): FollowUpJob[] {
  if (e.data.role !== 'victim') return [];
  return [{ type: VICTIM_UPDATES_OPEN_JOB, payload: { caseId: e.subject.id, type: e.type }, idempotencyKey: `${e.subject.id}:${e.type}:${newId()}` }];
}

/**
 * A victim added to a case is told of what still stands of it that the victims it had were told
 * of when it happened: its journey runs for them alone (decision 0134). Once per addition.
 */
function victimJourneyJobs(e: Happened<string, { role: string; casePersonId: string; source: string }>): FollowUpJob[] {
  // The reporter is added as the case is made: nothing stands on it yet to tell them of.
  if (e.data.role !== 'victim' || e.data.source === 'reporter') return [];
  const job = journeyMilestoneJob({ caseId: e.subject.id, milestoneId: `${VICTIM_ADDED_MILESTONE}:${e.data.casePersonId}:${newId()}`, milestone: VICTIM_ADDED_MILESTONE, details: { forVictimId: e.data.casePersonId }, note: null });
  return [{ ...job, delayMs: VICTIM_ADDED_GRACE_MS }];
}

/** Someone was recorded on a case: a victim (the reporter, when the case was made for their contact or report), a witness or a suspect. */
export const casePersonAdded = defineEvent({ type: 'case.person_added', subject: 'case', data: person, live: changed, jobs: (e) => [...victimClockJobs(e), ...victimJourneyJobs(e)] });

/** The particulars a change may touch. */
export const PERSON_FIELDS = ['name', 'email', 'phone', 'language', 'enhancedRights', 'postalAddress'] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

/**
 * The fields by which a message reaches a victim: a change of one may give what could not reach
 * them a way to (decisions 0136, 0137).
 */
export const REACHING_FIELDS: ReadonlySet<PersonField> = new Set(['email', 'phone', 'postalAddress']);

/** A victim's address changed: what could not reach them is decided again (decision 0137). */
function victimReachableJobs(e: Happened<string, { role: string; casePersonId: string; changed: readonly PersonField[] }>): FollowUpJob[] {
  if (e.data.role !== 'victim' || !e.data.changed.some((field) => REACHING_FIELDS.has(field))) return [];
  return [victimReachableJob({ caseId: e.subject.id, victimId: e.data.casePersonId, changeId: newId() })];
}

/**
 * A person's details changed, by an investigator or the force's records system: `changed` names
 * every field that differs, and `from` and `to` give each one's values, but for an email address,
 * a phone number or a postal address, which the log never holds (decisions 0077, 0136). A change of a victim's enhanced
 * rights re-timed their open clocks (`retimed`: how many), each with its own event.
 */
export const casePersonChanged = defineEvent({
  type: 'case.person_changed',
  subject: 'case',
  data: {
    ...person,
    changed: z.array(z.enum(PERSON_FIELDS)),
    from: z.record(z.string(), z.string().nullable()),
    to: z.record(z.string(), z.string().nullable()),
    retimed: z.number().int(),
  },
  live: (e) => [...changed(e), ...(e.data.changed.includes('postalAddress') ? lettersOvertaken(e) : [])],
  jobs: victimReachableJobs,
});

/** Someone was removed from a case (the row is kept, marked); a victim removed is told nothing more. */
export const casePersonRemoved = defineEvent({ type: 'case.person_removed', subject: 'case', data: person, live: (e) => [...changed(e), ...lettersOvertaken(e)] });

/**
 * The force's records system still lists a victim staff removed (decision 0080): they were not
 * added back and their removed row was not changed. Said once per removal, naming the records
 * system's reference, so staff can add them again if the removal was the mistake.
 */
export const caseRemovedPersonStillListed = defineEvent({
  type: 'case.removed_person_still_listed',
  subject: 'case',
  data: { ...person, recordsReference: z.string() },
});

/** The people's entries, for the catalogue. */
export const CASE_PEOPLE_EVENTS = [casePersonAdded, casePersonChanged, casePersonRemoved, caseRemovedPersonStillListed] as const;
