import type { StoredEvent } from '../../platform/events/event-log.ts';
import type { JsonValue } from '../../platform/db/tables.ts';

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

const str = (value: JsonValue | undefined) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

const SLA_LABELS: Record<string, string> = { first_response: 'first response', next_response: 'next response', resolution: 'resolution' };

/** A staff-facing sentence for an event; `names` turns staff ids in the event's data into names. */
export function describeEventForStaff(event: StoredEvent, names: ReadonlyMap<string, string> = new Map()): string {
  const d = event.data;
  const person = (value: JsonValue | undefined) => names.get(str(value)) ?? 'a member of staff';
  switch (event.type) {
    case 'contact.routed':
      return `Queued (${str(d.queue).replace(/_/g, ' ')})${d.isThreatToLife === true ? ': threat to life, put first' : ''}`;
    case 'contact.requeued':
      return 'Back in the queue';
    case 'contact.assigned':
      return d.by === 'supervisor'
        ? `Pushed to ${person(d.staffId)} by a supervisor`
        : d.by === 'self'
          ? `Taken by ${person(d.staffId)}`
          : `Assigned to ${person(d.staffId)}`;
    case 'contact.unassigned':
      return `Taken from ${person(d.staffId)}: ${str(d.reason)}`;
    case 'contact.escalated':
      return `Escalated from ${str(d.fromQueue) || 'the queue'} to ${str(d.toQueue)}: ${str(d.reason)}`;
    case 'contact.callback_requested':
      return `Callback requested (${str(d.callbackReference)})`;
    case 'sla.warning':
      return `${SLA_LABELS[str(d.kind)] ?? 'SLA'} target nearly due`;
    case 'sla.breached':
      return `${SLA_LABELS[str(d.kind)] ?? 'SLA'} target missed`;
    case 'alert.raised':
      return `Supervisors alerted: ${str(d.message)}`;
    case 'alert.acknowledged':
      return `Alert acknowledged${d.note ? `: ${str(d.note)}` : ''}`;
    case 'contact.received':
      return `Received via ${str(d.channel)} (${str(d.reference)})`;
    case 'contact.triaged':
      return `Triaged: score ${str(d.score)}, priority ${str(d.priority)} (rule set v${str(d.ruleSetVersion)})`;
    case 'contact.viewed':
      return 'Opened';
    case 'contact.replied':
      return 'Reply sent';
    case 'contact.closed':
      return `Closed: ${outcomeLabel(str(d.outcome))}`;
    case 'case.created':
      return `Case ${str(d.reference)} created`;
    case 'journey.message_queued':
      return `Victim update queued (${str(d.step)})`;
    case 'journey.skipped':
      return `Victim update not sent: ${str(d.reason)}`;
    case 'portal.code_sent':
      return 'Check-my-report code sent';
    case 'portal.access_granted':
      return 'Reporter viewed the report online';
    case 'contact.message_received':
      return `Message received via ${str(d.channel)}`;
    case 'contact.reopened':
      return 'Re-opened by a new message';
    case 'message.sent':
      return `Reply delivered to ${str(d.channel)}`;
    case 'message.failed':
      return `Reply failed: ${str(d.reason)}`;
    case 'message.delivery_status':
      return `Reply ${str(d.status)}${d.reason ? ` (${str(d.reason)})` : ''}`;
    case 'thrive.assessed':
      return 'THRIVE assessment recorded';
    case 'thrive.reassessment_due':
      return 'THRIVE re-assessment due';
    case 'contact.graded':
      return `Graded ${str(d.grade).replace(/_/g, ' ')}`;
    case 'contact.regraded':
      return `Regraded from ${str(d.from).replace(/_/g, ' ')} to ${str(d.to).replace(/_/g, ' ')}`;
    default:
      return event.type.replace(/[._]/g, ' ');
  }
}
