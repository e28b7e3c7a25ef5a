import type { StoredEvent } from '../../platform/events/event-log.ts';
import { readCatalogueEvent } from '../audit/catalogue.events.ts';

const OUTCOME_LABELS: Record<string, string> = {
  advice_given: 'advice given',
  referred: 'referred to another agency',
  no_further_action: 'no further action',
  duplicate: 'duplicate of another report',
  crime_recorded: 'crime recorded',
  incident_created: 'incident created',
};

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome] ?? outcome.replace(/_/g, ' ');
}

const SLA_LABELS: Record<string, string> = { first_response: 'first response', next_response: 'next response', resolution: 'resolution' };

const words = (value: string) => value.replace(/_/g, ' ');

/** A Victims' Code duty as it reads in a sentence: "the arrest", "the decision not to investigate". */
const DUTY_WORDS: Record<string, string> = {
  released_under_investigation: 'release under investigation',
  out_of_court_disposal: 'out-of-court disposal',
  no_further_action: 'decision to take no further action',
  not_investigated: 'decision not to investigate',
  referral: 'referral to victim support',
};
const dutyWords = (duty: string) => DUTY_WORDS[duty] ?? words(duty);
/** The name a case person's event carries for the timeline. */
const personName = (details: Record<string, string>) => details.name ?? 'Someone';
/** A moment as staff in the UK read it, e.g. "01 Jun 2026, 09:03", as the console writes the line's own time. */
const UK_DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const formatDueDate = (iso: string) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/**
 * A staff-facing sentence for an event; `names` turns staff ids in the event's data into names.
 * Events are read through the catalogue, typed; one it cannot read is named by its type.
 */
export function describeEventForStaff(stored: StoredEvent, names: ReadonlyMap<string, string> = new Map()): string {
  const event = readCatalogueEvent(stored);
  if (!event) return stored.type.replace(/[._]/g, ' ');
  const person = (staffId: string) => names.get(staffId) ?? 'a member of staff';
  switch (event.type) {
    case 'contact.routed':
      return `Queued (${words(event.data.queue)})${event.data.isThreatToLife ? ': threat to life, put first' : ''}`;
    case 'contact.requeued':
      return 'Back in the queue';
    case 'contact.assigned':
      return event.data.by === 'supervisor'
        ? `Pushed to ${person(event.data.staffId)} by a supervisor`
        : event.data.by === 'self'
          ? `Taken by ${person(event.data.staffId)}`
          : `Assigned to ${person(event.data.staffId)}`;
    case 'contact.unassigned':
      return `Taken from ${person(event.data.staffId)}: ${event.data.reason}`;
    case 'contact.escalated':
      return `Escalated from ${event.data.fromQueue || 'the queue'} to ${event.data.toQueue}: ${event.data.reason}`;
    case 'contact.callback_requested':
      return `Callback requested (${event.data.callbackReference})`;
    case 'sla.started':
      return event.data.reason === 'next_response' ? 'Next response clock started' : 'Clocks restarted at the raised priority';
    case 'sla.warning':
      // Like a breach, said with its due time: a check that was behind warns late.
      return `${SLA_LABELS[event.data.kind] ?? 'SLA'} target nearly due (${UK_DATE_TIME.format(new Date(event.data.dueAt))})`;
    case 'sla.breached':
      // Appended when the breach is found, which may be long after the due time (a check behind,
      // or found only as the clock stopped): the line says when the target was missed.
      return `${SLA_LABELS[event.data.kind] ?? 'SLA'} target missed (due ${UK_DATE_TIME.format(new Date(event.data.dueAt))})`;
    case 'alert.raised':
      return `Supervisors alerted: ${event.data.message}`;
    case 'alert.acknowledged':
      return `Alert acknowledged${event.data.note ? `: ${event.data.note}` : ''}`;
    case 'online_report.drafted':
      return `Online report to be processed by ${UK_DATE_TIME.format(new Date(event.data.processedDueAt))} and classified by ${UK_DATE_TIME.format(new Date(event.data.classifiedDueAt))}`;
    case 'online_report.processed':
      return `Online report processed${event.data.isLate ? ', late' : ''}${event.data.summaryAmended ? ', its summary amended' : ''}${event.data.note ? `: ${event.data.note}` : ''}`;
    case 'online_report.classified':
      return `Online report classified as ${event.data.crimeType}${event.data.isLate ? ', late' : ''}`;
    case 'online_report.clock_breached':
      // As a contact's breach: found when its check ran or its step was done late, missed at its due time.
      return `Online report ${event.data.clock === 'processed' ? 'processing' : 'classification'} target missed (due ${UK_DATE_TIME.format(new Date(event.data.dueAt))})`;
    case 'contact.received':
      return `Received via ${event.data.channel} (${event.data.reference})`;
    case 'contact.triaged':
      return `Triaged: score ${event.data.score}, priority ${event.data.priority} (rule set v${event.data.ruleSetVersion})`;
    case 'contact.viewed':
      return 'Opened';
    case 'contact.replied':
      return 'Reply sent';
    case 'contact.acknowledged':
      return `Reference sent to the person automatically (${event.data.via === 'email' ? 'by email' : `by ${words(event.data.via)}`}, in ${event.data.language === 'cy' ? 'Welsh' : 'English'})`;
    case 'contact.closed':
      return `Closed: ${outcomeLabel(event.data.outcome)}`;
    case 'case.created':
      return `Case ${event.data.reference} created`;
    case 'case.person_added':
      if (event.data.source === 'reporter') return `${personName(event.data.details)} (the reporter) added to the case as its ${event.data.role}`;
      return `${personName(event.data.details)} added to the case as a ${event.data.role}${event.data.source === 'records_system' ? ', by the records system' : ''}`;
    case 'case.person_changed':
      return `${personName(event.data.details)}'s details on the case changed`;
    case 'case.person_removed':
      return `${personName(event.data.details)} removed from the case (${event.data.role})`;
    case 'case.victim_update_opened':
      return `Victim to be told of the ${dutyWords(event.data.duty)} by ${formatDueDate(event.data.dueAt)} (Victims' Code)`;
    case 'case.victim_update_due_soon':
      return `Victim not yet told of the ${dutyWords(event.data.duty)}: due soon`;
    case 'case.victim_update_breached':
      return `Victim not told of the ${dutyWords(event.data.duty)} in time (Victims' Code)`;
    case 'case.victim_update_reassigned':
      return `Update on the ${dutyWords(event.data.duty)} now owed to the victim added, by ${formatDueDate(event.data.dueAt)} (Victims' Code)`;
    case 'case.victim_update_retimed':
      return `Update on the ${dutyWords(event.data.duty)} now due by ${formatDueDate(event.data.dueAt)}: the victim's enhanced rights were ${event.data.reason === 'enhanced_rights_given' ? 'recorded' : 'taken off'} (Victims' Code)`;
    case 'case.victim_update_withdrawn':
      return `Update on the ${dutyWords(event.data.duty)} withdrawn: the victim was removed from the case${event.data.wasBreached ? ' (it was already late)' : ''}`;
    case 'case.victim_updates_not_opened':
      return event.data.note;
    case 'case.victim_updates_put_right':
      return event.data.note;
    case 'case.victim_updates_alert_acknowledged':
      return `Alert that the Victims' Code clocks could not be opened acknowledged${event.data.note ? `: ${event.data.note}` : ''}`;
    case 'case.victim_informed':
      return event.data.how === 'referred'
        ? 'Victim referred to support'
        : event.data.how === 'declined'
          ? 'Victim declined a referral to support'
          : `Victim told of the ${dutyWords(event.data.duty)} (${event.data.how === 'journey' ? 'by an automatic update' : `by ${event.data.how}`})${event.data.isLate ? ', late' : ''}`;
    case 'journey.message_queued':
      return `Victim update queued (${event.data.step})`;
    case 'journey.message_suppressed':
      return `Victim update ${event.data.channel ? `not sent by ${event.data.channel}` : 'not sent'} (${event.data.step}): ${event.data.reason}`;
    case 'journey.skipped':
      return `Victim update not sent: ${event.data.reason}`;
    case 'portal.code_sent':
      return 'Check-my-report code sent';
    case 'portal.access_granted':
      return 'Reporter viewed the report online';
    case 'portal_sign_in.report_ended':
      return event.data.how === 'signed_in_again'
        ? "Reporter's online sign-in ended: a newer code was used"
        : event.data.how === 'code_asked'
          ? "Reporter's online sign-in ended: a new code was asked for on that browser"
          : 'Reporter signed out of the report online';
    case 'contact.message_received':
      return `Message received via ${event.data.channel}`;
    case 'contact.taken_over':
      return event.data.from === 'aml' && event.data.to === 'call'
        ? "The 999 call joined this contact: the handset's location came first"
        : `Moved to a new ${event.data.channel} ${event.data.to}`;
    case 'contact.message_copied':
      return "The caller's newer call was given this location: it was fixed after that call was dialled";
    case 'contact.reopened':
      return event.data.messageId
        ? 'Re-opened by a new message'
        : `Re-opened by ${event.actorType === 'staff' ? person(event.actorId ?? '') : 'Bluelamp'}${event.data.reason ? `: ${event.data.reason}` : ''}`;
    case 'message.sent':
      return `Reply delivered to ${event.data.channel}`;
    case 'message.failed':
      return `Reply failed: ${event.data.reason ?? ''}`;
    case 'message.attachments_linked':
      return `${event.data.attachmentIds.length === 1 ? 'An attachment' : `${event.data.attachmentIds.length} attachments`} only linked by the provider: fetching`;
    case 'attachment.refused':
      return `An attachment was not downloaded: ${event.data.reason}`;
    case 'attachment.retried':
      return `${event.actorType === 'staff' ? person(event.actorId ?? '') : 'Bluelamp'} asked for an attachment to be downloaded again`;
    case 'attachment.stored':
      return event.data.bytesKept
        ? `An attachment was downloaded (SHA-256 ${event.data.sha256.slice(0, 12)}…)`
        : `An attachment was too large to keep: its SHA-256 (${event.data.sha256.slice(0, 12)}…) and size are recorded`;
    case 'attachment.opened':
      return `${event.actorType === 'staff' ? person(event.actorId ?? '') : 'Bluelamp'} opened an attachment (SHA-256 ${event.data.sha256.slice(0, 12)}…)`;
    case 'message.delivery_status':
      return `Reply ${event.data.status}${event.data.reason ? ` (${event.data.reason})` : ''}`;
    case 'thrive.assessed':
      return 'THRIVE assessment recorded';
    case 'thrive.reassessment_due':
      return 'THRIVE re-assessment due';
    case 'contact.graded':
      return `Graded ${words(event.data.grade)}`;
    case 'contact.regraded':
      return `Regraded from ${words(event.data.from)} to ${words(event.data.to)}`;
    default:
      return event.type.replace(/[._]/g, ' ');
  }
}
