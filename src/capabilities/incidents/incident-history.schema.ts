// An incident's history as the dispatcher reads it: one line per event of the force's log about it,
// from the events themselves (decision 0069), so nothing is kept twice. Pure.
import type { StoredEvent } from '../../platform/events/event-log.ts';
import { incidentCancelled, incidentClosed, incidentCreated, incidentMerged, incidentResolvedWithoutDeployment, incidentUpdated } from './incidents.events.ts';
import { incidentClockBreached } from './response-clocks.events.ts';
import type { ResponseClockKind } from './response-clock.schema.ts';

/** One line of the history. */
export type IncidentHistoryLine = { seq: number; type: string; at: string; actor: string; summary: string };

/**
 * What the lines need besides the events: staff names, the force's incident type and closing code
 * labels (retired ones too), by id and code, and the references of the incidents a merge names.
 */
export type HistoryNames = {
  staff: ReadonlyMap<string, string>;
  incidentTypes: ReadonlyMap<string, string>;
  closingCodes?: ReadonlyMap<string, string>;
  /** References (INC-n) by id: the duplicates merged into this one, and the one it was merged into. */
  incidents?: ReadonlyMap<string, string>;
  /** For an incident merged as a duplicate, the id of the one it went into. */
  mergedIntoId?: string | null;
};

const ENDINGS = [incidentClosed, incidentCancelled, incidentResolvedWithoutDeployment] as const;

/** Events whose type says enough in words; the others of the log are named from their type. */
const PLAIN: Record<string, string> = {
  'incident.dispatched': 'Units dispatched',
  'incident.unit_en_route': 'A unit set off',
  'incident.unit_on_scene': 'A unit arrived',
  'incident.unit_cleared': 'A unit cleared',
  'incident.resolved': 'Resolved',
  'incident.closed': 'Closed',
  'incident.cancelled': 'Cancelled',
  'incident.resolved_without_deployment': 'Resolved without deployment',
  'incident.contact_linked': 'Contact linked',
  'incident.contact_unlinked': 'Contact unlinked',
  'incident.merged': 'A duplicate was merged into it',
  'incident.location_set': 'Location set',
  'incident.note_added': 'Note added',
  'incident.regraded': 'Graded',
  'incident.clock_started': 'Response countdown started',
  'incident.clock_warning': 'Response target nearly due',
  'incident.clock_breached': 'Response target missed',
  'incident.breach_reason_recorded': 'Reason for the missed target recorded',
  'incident.breach_alert_acknowledged': 'Missed-target alert acknowledged',
};

const words = (type: string) => {
  const text = type.replace(/^incident\./, '').replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

/** A moment as staff in the UK read it, e.g. "01 Jun 2026, 09:03", as the console writes the line's own time. */
const UK_DATE_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const TARGET_KIND: Record<ResponseClockKind, string> = { deploy: 'Deploy', arrive: 'Arrival' };

const list = (values: readonly string[]) => (values.length === 0 ? 'nothing' : values.join(', '));

/** The sentence for one event about an incident. */
export function describeIncidentEvent(stored: StoredEvent, names: HistoryNames): string {
  const label = (code: string) => names.incidentTypes.get(code) ?? code.replace(/_/g, ' ');
  const created = incidentCreated.read(stored);
  if (created) return `Created as ${label(created.data.incidentType)}`;
  const updated = incidentUpdated.read(stored);
  if (updated) {
    const { type, summary, requiredCapabilities } = updated.data.changes;
    const parts = [
      type ? `type changed from ${label(type.from)} to ${label(type.to)}` : null,
      summary ? 'summary changed' : null,
      requiredCapabilities ? `needs changed from ${list(requiredCapabilities.from)} to ${list(requiredCapabilities.to)}` : null,
    ].filter((part): part is string => part !== null);
    const text = parts.join('; ') || 'details changed';
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  // An ending says how it ended, in the force's words; a merge names the incident it went into.
  for (const ending of ENDINGS) {
    const ended = ending.read(stored);
    if (!ended) continue;
    const code = ended.data.closingCode;
    const codeLabel = names.closingCodes?.get(code) ?? code.replace(/_/g, ' ');
    const into = code === 'merged' && names.mergedIntoId ? names.incidents?.get(names.mergedIntoId) : undefined;
    return `${PLAIN[stored.type] ?? words(stored.type)}: ${codeLabel}${into ? ` (${into})` : ''}`;
  }
  // A breach is appended when found, which may be long after the target was missed (a check
  // behind, or found only at the clock's stop, decision 0132): the line says when it was missed.
  const breached = incidentClockBreached.read(stored);
  if (breached) return `${TARGET_KIND[breached.data.kind]} target missed (due ${UK_DATE_TIME.format(new Date(breached.data.dueAt))})`;
  const merged = incidentMerged.read(stored);
  const from = merged ? names.incidents?.get(merged.data.fromIncidentId) : undefined;
  if (from) return `${from} was merged into it as a duplicate`;
  return PLAIN[stored.type] ?? words(stored.type);
}

/** The incident's history, oldest first. */
export function incidentHistory(events: readonly StoredEvent[], names: HistoryNames): IncidentHistoryLine[] {
  return events.map((event) => ({
    seq: event.seq,
    type: event.type,
    at: event.occurredAt.toISOString(),
    actor: event.actorType === 'staff' ? (names.staff.get(event.actorId ?? '') ?? 'Staff') : event.actorType === 'public' ? 'Member of the public' : 'Bluelamp',
    summary: describeIncidentEvent(event, names),
  }));
}
