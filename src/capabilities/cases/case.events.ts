import { z } from 'zod';
import { defineEvent, type EventType, type Happened, type NewEvent, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { newId } from '../../platform/ids.ts';
import { journeyMilestoneJob } from '../journeys/journey.events.ts';
import type { CaseMoveEvent } from './case.machine.ts';
import { VICTIMS_CODE_EVENTS, victimsCodeJobs } from './victims-code.events.ts';

// Cases' entries in the event catalogue. Every move of the case's machine appends one of these;
// journeys hang victims' messages on them.

/** Where a case's move came from: an investigator in the console, or the force's records system. */
const source = z.enum(['staff', 'records_system']);
/** Where a case came from: as a move, or drafted for an online report (not yet processed by a person). */
const createdBy = z.enum(['staff', 'records_system', 'online_report']);

/**
 * A case was recorded: for a contact (the victim's journey starts with "report received"),
 * directly by an investigator, or from the force's records system.
 */
export const caseCreated = defineEvent({
  type: 'case.created',
  subject: 'case',
  data: {
    reference: z.string(),
    contactId: z.string().nullable(),
    contactReference: z.string().nullable(),
    crimeType: z.string().nullable().optional(),
    source: createdBy.optional(),
  },
  live: (e) => (e.data.contactId ? [{ type: 'queue.changed', contactId: e.data.contactId }] : []),
  // The victims' journey starts here ("report received"), once per case; a draft for an online
  // report waits until a person has processed it (online_report.processed). Victims' Code clocks
  // open either way.
  jobs: (e) => [
    ...(e.data.source !== 'online_report' ? [journeyMilestoneJob({ caseId: e.subject.id, milestoneId: 'created', milestone: e.type, details: {}, note: null })] : []),
    ...victimsCodeJobs(e),
  ],
});

const milestone = {
  reference: z.string(),
  source,
  /** What the investigator or the records system said, for the case's timeline. */
  note: z.string().nullable(),
  /** The move's particulars: the officer and team allocated, the court date, the outcome code… */
  details: z.record(z.string(), z.string()),
  /** Names this milestone for its journey job (set by `caseMilestoneEvent`); older events lack it. */
  milestoneId: z.string().optional(),
  /** The id the console gave the request that recorded it: the same id again records nothing more (docs/decisions/0063). */
  submissionId: z.string().optional(),
};

type MilestoneEvent = Exclude<CaseMoveEvent, 'case.created'>;
type MilestoneData = {
  reference: string;
  source: 'staff' | 'records_system';
  note: string | null;
  details: Record<string, string>;
  milestoneId?: string | undefined;
  submissionId?: string | undefined;
};

/**
 * Whether a milestone tells of an appointment the case did not have: a change that names no time
 * (the cases room gives a change the time of the appointment it changes, decision 0122), or a
 * cancellation that names no appointment (the cases room names the one it cancels, decision 0126)
 * — a records system's status on a case with none standing. It is recorded for staff, and tells no
 * victim: no journey message, no update on their page. Pure.
 */
export function isAboutNoAppointment(type: string, details: { readonly at?: string | undefined; readonly appointmentId?: string | undefined }): boolean {
  return (type === 'case.appointment_changed' && !details.at) || (type === 'case.appointment_cancelled' && !details.appointmentId);
}

/** Each milestone sends its victims' journey messages: one job per milestone event. */
const journey = (e: Happened<string, MilestoneData>) => [
  journeyMilestoneJob({ caseId: e.subject.id, milestoneId: e.data.milestoneId ?? newId(), milestone: e.type, details: e.data.details, note: e.data.note }),
];
/**
 * The job that withdraws the unsent reminders a milestone overtook: of an appointment changed or
 * cancelled, of a hearing listed again, heard or ended by the case's closing (decision 0121).
 */
export const REMINDERS_WITHDRAWAL_JOB = 'case.reminders_withdrawal';
/** Its name before it withdrew a hearing's reminders too: such jobs already queued run the same handler. */
export const APPOINTMENT_REMINDERS_JOB = 'case.appointment_reminders';

/** The withdrawal of the reminders a milestone overtook. */
const withdrawal = (e: Happened<string, MilestoneData>) =>
  e.data.milestoneId
    ? [{ type: REMINDERS_WITHDRAWAL_JOB, payload: { caseId: e.subject.id, milestoneId: e.data.milestoneId, milestone: e.type }, idempotencyKey: `${e.subject.id}:${e.data.milestoneId}:reminders` }]
    : [];
/**
 * What a milestone that overtakes reminders tells the print queue at once (decision 0156): the
 * case's letters waiting to print may no longer be true. Their withdrawal job may wait on a busy
 * worker; until it runs the print queue shows them "do not post", and marking one withdraws it.
 */
const lettersOvertaken = (e: Happened<string, MilestoneData>): PushedLiveMessage[] => (e.data.milestoneId ? [{ type: 'print_queue.changed', caseId: e.subject.id, change: 'overtaken' }] : []);
/** A milestone that overtakes reminders (an appointment changed, a court date set again…): its journey, and their withdrawal. */
const journeyAndWithdrawal = (e: Happened<string, MilestoneData>) => [...journey(e), ...withdrawal(e)];
/** A milestone that also starts a Victims' Code duty: its journey, and the clocks. */
const journeyAndClock = (e: Happened<string, MilestoneData>) => [...journey(e), ...victimsCodeJobs(e)];

export const caseAllocated = defineEvent({ type: 'case.allocated', subject: 'case', data: milestone, jobs: journey });
export const caseInvestigationStarted = defineEvent({ type: 'case.investigation_started', subject: 'case', data: milestone, jobs: journey });
export const caseSuspectIdentified = defineEvent({ type: 'case.suspect_identified', subject: 'case', data: milestone, jobs: journey });
export const caseSuspectArrested = defineEvent({ type: 'case.suspect_arrested', subject: 'case', data: milestone, jobs: journeyAndClock });
export const caseSuspectInterviewed = defineEvent({ type: 'case.suspect_interviewed', subject: 'case', data: milestone, jobs: journey });
export const caseReleasedUnderInvestigation = defineEvent({ type: 'case.released_under_investigation', subject: 'case', data: milestone, jobs: journeyAndClock });
export const caseBailed = defineEvent({ type: 'case.bailed', subject: 'case', data: milestone, jobs: journeyAndClock });
export const caseCharged = defineEvent({ type: 'case.charged', subject: 'case', data: milestone, jobs: journeyAndClock });
export const caseOutOfCourtDisposal = defineEvent({ type: 'case.out_of_court_disposal', subject: 'case', data: milestone, jobs: journeyAndClock });
export const caseCourtDateSet = defineEvent({ type: 'case.court_date_set', subject: 'case', data: milestone, jobs: journeyAndWithdrawal, live: lettersOvertaken });
export const caseCourtResult = defineEvent({ type: 'case.court_result', subject: 'case', data: milestone, jobs: journeyAndWithdrawal, live: lettersOvertaken });
export const casePropertyReturned = defineEvent({ type: 'case.property_returned', subject: 'case', data: milestone, jobs: journey });
export const caseAppointmentMade = defineEvent({ type: 'case.appointment_made', subject: 'case', data: milestone, jobs: journey });
export const caseAppointmentChanged = defineEvent({ type: 'case.appointment_changed', subject: 'case', data: milestone, jobs: journeyAndWithdrawal, live: lettersOvertaken });
export const caseAppointmentCancelled = defineEvent({ type: 'case.appointment_cancelled', subject: 'case', data: milestone, jobs: journeyAndWithdrawal, live: lettersOvertaken });
export const caseClosed = defineEvent({ type: 'case.closed', subject: 'case', data: milestone, jobs: (e) => [...journeyAndClock(e), ...withdrawal(e)], live: lettersOvertaken });
export const caseReopened = defineEvent({ type: 'case.reopened', subject: 'case', data: milestone, jobs: journey });

const MILESTONE_EVENTS = {
  'case.allocated': caseAllocated,
  'case.investigation_started': caseInvestigationStarted,
  'case.suspect_identified': caseSuspectIdentified,
  'case.suspect_arrested': caseSuspectArrested,
  'case.suspect_interviewed': caseSuspectInterviewed,
  'case.released_under_investigation': caseReleasedUnderInvestigation,
  'case.bailed': caseBailed,
  'case.charged': caseCharged,
  'case.out_of_court_disposal': caseOutOfCourtDisposal,
  'case.court_date_set': caseCourtDateSet,
  'case.court_result': caseCourtResult,
  'case.property_returned': casePropertyReturned,
  'case.appointment_made': caseAppointmentMade,
  'case.appointment_changed': caseAppointmentChanged,
  'case.appointment_cancelled': caseAppointmentCancelled,
  'case.closed': caseClosed,
  'case.reopened': caseReopened,
} as const satisfies { [E in MilestoneEvent]: EventType<E, MilestoneData> };

/** The event a milestone of the case's machine appends: the machine names the type, the caller gives the data. */
export function caseMilestoneEvent(type: MilestoneEvent, input: { actor: Actor; caseId: string; data: MilestoneData }): NewEvent {
  return MILESTONE_EVENTS[type].of({ actor: input.actor, subjectId: input.caseId, data: { ...input.data, milestoneId: input.data.milestoneId ?? newId() } });
}

/** Cases' entries, for the catalogue. */
export const CASE_EVENTS = [caseCreated, ...Object.values(MILESTONE_EVENTS), ...VICTIMS_CODE_EVENTS] as const;
