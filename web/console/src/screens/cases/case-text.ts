// What the investigator's screens call the case's values, in plain words, and the client's hint of
// which milestones the case's machine allows now. The hint only orders and trims the choice: the
// server's machine decides, and its refusal (409) is what the investigator is shown.
import type { CaseMessage, CaseStatus, CaseSummary, CaseTimelineEntry, MilestoneType, SuspectStage, VictimUpdate } from '../../api/cases.ts';
import { formatDateTime, formatDay, humanize } from '../../format.ts';

export const CASE_STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  recorded: 'Recorded',
  allocated: 'Allocated',
  under_investigation: 'Under investigation',
  charged: 'Charged',
  closed: 'Closed',
};

/** What a message to a victim is, from its purpose (a journey's template key): "Victims’ Code rights", "Appointment reminder". */
export function purposeText(purpose: string): string {
  const key = purpose.replace(/^journey:/, '').replace(/^case\./, '');
  return key.startsWith('victims_code.') ? `Victims’ Code ${humanize(key.slice('victims_code.'.length)).toLowerCase()}` : humanize(key);
}

export const SUSPECT_LABELS: Readonly<Record<SuspectStage, string>> = {
  none: 'No suspect',
  identified: 'Suspect identified',
  arrested: 'Suspect arrested',
  interviewed: 'Suspect interviewed',
};

/** Each milestone as the investigator chooses it, in the order a case usually meets them. */
export const MILESTONE_LABELS: Readonly<Record<MilestoneType, string>> = {
  allocate: 'Allocate to an officer or team',
  investigate: 'Investigation started',
  suspect_identified: 'Suspect identified',
  suspect_arrested: 'Suspect arrested',
  suspect_interviewed: 'Suspect interviewed',
  released_under_investigation: 'Released under investigation',
  bailed: 'Suspect bailed',
  charged: 'Suspect charged',
  out_of_court_disposal: 'Caution or out-of-court disposal',
  court_date_set: 'Court date set',
  court_result: 'Court result',
  property_returned: 'Property returned',
  appointment_made: 'Appointment made',
  appointment_changed: 'Appointment changed',
  appointment_cancelled: 'Appointment cancelled',
  close: 'Close the case',
  reopen: 'Reopen the case',
};

/** What each event on a case's timeline says happened. */
const TIMELINE_LABELS: Readonly<Record<string, string>> = {
  'case.created': 'Case recorded',
  'case.allocated': 'Allocated',
  'case.investigation_started': 'Investigation started',
  'case.suspect_identified': 'Suspect identified',
  'case.suspect_arrested': 'Suspect arrested',
  'case.suspect_interviewed': 'Suspect interviewed',
  'case.released_under_investigation': 'Suspect released under investigation',
  'case.bailed': 'Suspect bailed',
  'case.charged': 'Suspect charged',
  'case.out_of_court_disposal': 'Caution or out-of-court disposal',
  'case.court_date_set': 'Court date set',
  'case.court_result': 'Court result',
  'case.property_returned': 'Property returned',
  'case.appointment_made': 'Appointment made',
  'case.appointment_changed': 'Appointment changed',
  'case.appointment_cancelled': 'Appointment cancelled',
  'case.closed': 'Case closed',
  'case.reopened': 'Case reopened',
  'case.removed_person_still_listed': 'The records system still lists a victim removed from this case (left removed; add them again if they should be on it)',
  'case.victim_update_opened': "Victims' Code update due",
  'case.victim_update_due_soon': "Victims' Code update due soon",
  'case.victim_update_breached': "Victims' Code update missed",
  'case.victim_informed': 'Victim told',
  'case.victim_update_reassigned': "Victims' Code update moved to the victim named (one already missed keeps the timescale it was missed against)",
  'case.victim_update_retimed': "Victims' Code update re-timed: the victim's enhanced rights changed",
  'case.victim_update_withdrawn': "Victims' Code update withdrawn: the victim was removed",
  'case.victim_updates_not_opened': "Victims' Code updates not being watched",
  'case.victim_updates_alert_acknowledged': "Supervisor acknowledged that the Victims' Code updates were not being watched",
  'case.victim_updates_put_right': "Victims' Code updates being watched again",
  'journey.message_queued': 'Update to the victim queued',
  'journey.skipped': 'Update to the victim not sent',
  'journey.message_suppressed': 'Update to the victim held back',
  'journey.message_reached_after_all': 'Update thought lost reached the victim after all',
  'outbox.sent_again': 'Failed update sent again',
  'outbox.withdrawn': 'Update to the victim withdrawn',
  'outbox.delivered': 'Letter printed and posted',
  // Both labelled by `timelineEntryLabel` with who signed in (decision 0209); without their own words
  // here the ending would read "Case ended": it is a sign-in to the case page that ended (decision 0180).
  'portal.case_access_granted': 'Signed in to the case page',
  'portal_sign_in.case_ended': 'Sign-in to the case page ended',
};

/**
 * Who signed in to the case page, as its timeline entry's `victim` says (decision 0209): a victim
 * (`on_case`, or `removed` from the case since), its reporter, never its victim, or, for anyone the
 * case's people do not say (`unknown`, or an entry that does not say), "Someone", claiming no role.
 */
function signInSubject(details: Readonly<Record<string, string>>): string {
  switch (details.victim) {
    case 'on_case':
    case 'removed':
      return 'Victim';
    case 'reporter':
      return 'Reporter';
    default:
      return 'Someone';
  }
}

/** A sign-in to the case page, or its ending by how its timeline entry's `how` says it ended (decision 0209), with who signed in. */
function signInLabel(type: string, subject: string, how: string | undefined): string {
  if (type === 'portal.case_access_granted') return `${subject} signed in to the case page`;
  switch (how) {
    case 'signed_out':
      return `${subject} signed out of the case page`;
    case 'code_asked':
      return `${subject}’s sign-in to the case page ended: a new code was asked for on that browser`;
    case 'signed_in_again':
      return `${subject}’s sign-in to the case page ended: they signed in to it again`;
    default:
      return `${subject}’s sign-in to the case page ended`;
  }
}

/**
 * Which victim it was, for a victim's sign-in to the case page: their name as the people panel
 * shows it, or that they are a victim of the case no longer; null for anyone else, who is never
 * named. Plain text: the name is the public's, and React writes it as text.
 */
export function signInVictimText(details: Readonly<Record<string, string>>): string | null {
  switch (details.victim) {
    case 'on_case':
      return details.victimName?.trim() || 'name not known';
    case 'removed':
      return 'a former victim of this case';
    default:
      return null;
  }
}

/** A timeline entry's label: by its type; for a sign-in to the case page, who signed in (a victim by name), and for one that ended, how it ended. */
export function timelineEntryLabel(entry: Pick<CaseTimelineEntry, 'type' | 'details'>): string {
  if (entry.type !== 'portal_sign_in.case_ended' && entry.type !== 'portal.case_access_granted') return timelineLabel(entry.type);
  const label = signInLabel(entry.type, signInSubject(entry.details), entry.details.how);
  const which = signInVictimText(entry.details);
  return which === null ? label : `${label} (${which})`;
}

export function timelineLabel(type: string): string {
  const known = TIMELINE_LABELS[type];
  if (known) return known;
  const words = type.replace(/^[a-z]+\./, '').replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const ACTOR_LABELS: Readonly<Record<string, string>> = { staff: 'Staff', system: 'Automatic', public: 'Member of the public' };

export const MESSAGE_STATUS_LABELS: Readonly<Record<CaseMessage['status'], string>> = {
  pending: 'Waiting to send',
  sent: 'Sent',
  delivered: 'Delivered',
  failed: 'Failed',
  held: 'Held',
  suppressed: 'Not sent',
};

const OUTBOUND_CHANNEL_LABELS: Readonly<Record<string, string>> = {
  email: 'Email',
  sms: 'Text message',
  portal: 'Portal inbox',
  letter: 'Letter',
  none: 'No channel',
};

/** How a message to a victim goes (the outbox's channels, not the inbound ones). */
export function outboundChannelLabel(channel: string): string {
  return OUTBOUND_CHANNEL_LABELS[channel] ?? channel;
}

export const MILESTONE_TYPES = Object.keys(MILESTONE_LABELS) as MilestoneType[];

/**
 * The milestones the case's machine (src/capabilities/cases/case.machine.ts) allows from this
 * state, mirrored as a hint. Keep in step with the machine; the server remains the judge.
 */
export function allowedMilestones(state: Pick<CaseSummary, 'status' | 'suspect' | 'charged'>): MilestoneType[] {
  if (state.status === 'closed') return ['reopen'];
  return MILESTONE_TYPES.filter((type) => {
    switch (type) {
      case 'reopen':
        return false;
      case 'released_under_investigation':
      case 'bailed':
      case 'out_of_court_disposal':
        return state.suspect !== 'none';
      case 'charged':
        return state.suspect !== 'none' && !state.charged;
      case 'court_date_set':
      case 'court_result':
        return state.charged;
      default:
        return true;
    }
  });
}

/** Which fields a milestone asks for beside the note. */
export function fieldsOf(type: MilestoneType): { allocate: boolean; when: boolean; dayAlone: boolean; place: boolean; appointment: boolean; close: boolean } {
  return {
    allocate: type === 'allocate',
    when: type === 'appointment_made' || type === 'appointment_changed' || type === 'court_date_set',
    // An appointment may be made before its time is known; a hearing's time is the court's to give.
    dayAlone: type === 'appointment_made' || type === 'appointment_changed',
    place: type === 'appointment_made' || type === 'appointment_changed' || type === 'court_date_set',
    appointment: type === 'appointment_changed' || type === 'appointment_cancelled',
    close: type === 'close',
  };
}

/**
 * What the milestone form sends as `at`: for an appointment whose time is not known yet, the day
 * alone ("2026-03-17", the UK day the investigator chose: the victim is told the day); otherwise
 * the date and time typed, in the browser's zone, as ISO 8601. Nothing typed sends nothing, and
 * the server says what is missing; a value the browser could not read is refused here.
 */
export function milestoneAt(typed: { at: string; day: string; isTimeUnknown: boolean }): { at?: string } | { error: string } {
  if (typed.isTimeUnknown) {
    if (!typed.day) return {};
    return /^\d{4}-\d{2}-\d{2}$/.test(typed.day) ? { at: typed.day } : { error: 'Enter the date in full' };
  }
  if (!typed.at) return {};
  const date = new Date(typed.at);
  return Number.isNaN(date.getTime()) ? { error: 'Enter the date and time in full' } : { at: date.toISOString() };
}

/**
 * The particulars of a milestone in words: who it was allocated to, when and where, the outcome and
 * why. A court date or an appointment given as a day alone is shown without a time.
 */
export function milestoneDetailsText(entry: CaseTimelineEntry, outcomeLabel: (code: string) => string, crimeTypeLabel: (code: string | null) => string): string[] {
  const d = entry.details;
  const parts: string[] = [];
  if (d.officerName) parts.push(`Officer in case: ${d.officerName}`);
  if (d.team) parts.push(`Team: ${d.team}`);
  if (d.at) parts.push(`When: ${d.isDateOnly === 'true' ? `${formatDay(d.at)} (no time given)` : formatDateTime(d.at)}`);
  if (d.place) parts.push(`Where: ${d.place}`);
  if (d.outcomeCode) parts.push(`Outcome: ${outcomeLabel(d.outcomeCode)}`);
  if (d.reason) parts.push(`Reason: ${d.reason}`);
  if (d.crimeType) parts.push(`Crime type: ${crimeTypeLabel(d.crimeType)}`);
  if (entry.type === 'case.removed_person_still_listed') parts.push(`Victim: ${d.name ?? ''}`, `Records system reference: ${d.recordsReference ?? ''}`);
  return parts;
}

/** Each Victims' Code duty, as the updates' screens name it. */
export const VICTIM_DUTY_LABELS: Readonly<Record<VictimUpdate['duty'], string>> = {
  arrest: 'Arrest',
  charge: 'Charge',
  released_under_investigation: 'Released under investigation',
  bail: 'Bail',
  out_of_court_disposal: 'Out-of-court disposal',
  no_further_action: 'No further action',
  not_investigated: 'Decision not to investigate',
  referral: 'Referral to victim support',
};

/** Where a Victims' Code update stands, in words (the class only adds colour to the words). */
export const VICTIM_UPDATE_STANDING: Readonly<Record<VictimUpdate['standing'], { label: string; className: string }>> = {
  open: { label: 'Due', className: 'status--open' },
  due_soon: { label: 'Due soon', className: 'status--held' },
  overdue: { label: 'Overdue', className: 'status--failed' },
  on_time: { label: 'Given on time', className: 'status--sent' },
  late: { label: 'Given late', className: 'status--failed' },
  declined: { label: 'Declined', className: 'status--closed' },
  withdrawn: { label: 'Withdrawn: victim removed', className: 'status--closed' },
};

/**
 * Whom an update is owed to, in a cell or heading: their name; the people panel's words for a
 * victim on the case with no name recorded (a reporter who gave none); or that none is named yet.
 */
export function victimNameText(update: Pick<VictimUpdate, 'victimName'>): string {
  if (update.victimName === null) return 'Victim not yet named';
  return update.victimName.trim() || 'Name not known';
}

/** The victim in a sentence: their name, or "the victim" when none is recorded. */
export function victimInSentence(update: Pick<VictimUpdate, 'victimName'>): string {
  return update.victimName?.trim() || 'the victim';
}

export const workingDaysText = (days: number) => (days === 1 ? '1 working day' : `${days} working days`);

/**
 * For a victim added to the case after the milestone, when their update's timescale began: the
 * duty to them arises when the force knew them as a victim (decision 0137), so its due time is
 * counted from their addition, not the milestone. Null when the two are the same.
 */
export function countedFromText(update: Pick<VictimUpdate, 'milestoneAt' | 'countedFrom'>, format: (iso: string) => string): string | null {
  if (new Date(update.countedFrom).getTime() <= new Date(update.milestoneAt).getTime()) return null;
  return `counted from ${format(update.countedFrom)}, when they were added to the case`;
}

/**
 * Why a missed update's timescale is not the victim's own, in words (decision 0133): a missed
 * update keeps the due time it was missed against, whether it was owed before the victim was
 * named or before their enhanced rights changed. Null when there is nothing to explain.
 */
export function missedTimescaleText(update: VictimUpdate): string | null {
  const victim = victimInSentence(update);
  const timescale = workingDaysText(update.workingDays);
  const rightsDiffer = update.duty !== 'referral' && update.victimEnhancedRights !== null && update.victimEnhancedRights !== update.enhancedRights;
  const now = update.victimEnhancedRights ? `${victim} has enhanced rights (1 working day) for updates still to come.` : `${victim}'s updates still to come are due within 5 working days.`;
  if (update.missedBeforeNamed) {
    return `Missed before ${victim} was named, against the ${timescale} owed then${rightsDiffer ? `. ${now}` : '.'}`;
  }
  if (rightsDiffer && (update.standing === 'overdue' || update.standing === 'late')) {
    return `Missed against the ${timescale} owed before ${victim}'s rights changed. ${now}`;
  }
  return null;
}
