import type { StoredEvent } from '../../platform/events/event-log.ts';
import type { EventType, TypedEvent } from '../../platform/events/catalogue.ts';
import { AREA_EVENTS } from '../areas/areas.events.ts';
import { AUTH_EVENTS } from '../../platform/auth/auth.events.ts';
import { JOB_EVENTS } from '../../platform/jobs/jobs.events.ts';
import { FORCE_EVENTS } from '../admin/force.events.ts';
import { CASE_EVENTS } from '../cases/case.events.ts';
import { CASE_PEOPLE_EVENTS } from '../cases/case-people.events.ts';
import { RECORDS_INTEGRATION_EVENTS } from '../cases/records-integration.events.ts';
import { ONLINE_REPORT_EVENTS } from '../cases/online-report.events.ts';
import { CHANNEL_EVENTS } from '../channels/channel.events.ts';
import { SMS_OPT_OUT_EVENTS } from '../channels/sms-opt-out.events.ts';
import { CONTACT_EVENTS } from '../contacts/contact.events.ts';
import { TRUSTED_ADDRESS_EVENTS } from '../contacts/trusted-address.events.ts';
import { HELD_ACKNOWLEDGEMENT_EVENTS } from '../contacts/held-acknowledgements.events.ts';
import { JOURNEY_EVENTS } from '../journeys/journey.events.ts';
import { TEMPLATE_EVENTS } from '../journeys/template.events.ts';
import { JOURNEY_RULE_EVENTS } from '../journeys/journey-rule.events.ts';
import { OUTBOX_EVENTS } from '../outbox/outbox.events.ts';
import { PEOPLE_EVENTS } from '../people/people.events.ts';
import { QUEUE_EVENTS } from '../queue/queue.events.ts';
import { REPORT_STATUS_EVENTS } from '../report-status/report-status.events.ts';
import { STAFF_EVENTS } from '../staff/staff.events.ts';
import { GRADING_EVENTS } from '../grading/grading.events.ts';
import { THRIVE_EVENTS } from '../thrive/thrive.events.ts';
import { TRIAGE_EVENTS } from '../triage/triage.events.ts';
import { INCIDENT_EVENTS } from '../incidents/incidents.events.ts';
import { RESPONSE_CLOCK_EVENTS } from '../incidents/response-clocks.events.ts';
import { UNIT_EVENTS } from '../units/units.events.ts';
import { TRACKING_TOKEN_EVENTS } from '../units/tracking-tokens.events.ts';
import { VICTIM_PORTAL_EVENTS } from '../victim-portal/victim-portal.events.ts';

/**
 * The one catalogue of event types: every capability's `x.events.ts` (and the platform's own),
 * collected here, with the audit trail that reads them all. Code that reads events of many types
 * (timelines, the public report page) reads them through `readCatalogueEvent`, which gives each
 * its typed data.
 */
export const EVENT_CATALOGUE = [
  ...AUTH_EVENTS,
  ...AREA_EVENTS,
  ...JOB_EVENTS,
  ...FORCE_EVENTS,
  ...CASE_EVENTS,
  ...CASE_PEOPLE_EVENTS,
  ...RECORDS_INTEGRATION_EVENTS,
  ...ONLINE_REPORT_EVENTS,
  ...CHANNEL_EVENTS,
  ...SMS_OPT_OUT_EVENTS,
  ...CONTACT_EVENTS,
  ...TRUSTED_ADDRESS_EVENTS,
  ...HELD_ACKNOWLEDGEMENT_EVENTS,
  ...JOURNEY_EVENTS,
  ...TEMPLATE_EVENTS,
  ...JOURNEY_RULE_EVENTS,
  ...OUTBOX_EVENTS,
  ...PEOPLE_EVENTS,
  ...QUEUE_EVENTS,
  ...REPORT_STATUS_EVENTS,
  ...STAFF_EVENTS,
  ...GRADING_EVENTS,
  ...THRIVE_EVENTS,
  ...TRIAGE_EVENTS,
  ...INCIDENT_EVENTS,
  ...RESPONSE_CLOCK_EVENTS,
  ...UNIT_EVENTS,
  ...TRACKING_TOKEN_EVENTS,
  ...VICTIM_PORTAL_EVENTS,
] as const;

type Entry = (typeof EVENT_CATALOGUE)[number];
// Read by what reads stored events: what a type's jobs alone are given (`unlogged`) plays no part.
type TypedEventOf<E> = E extends Pick<EventType<infer T, infer D>, 'type' | 'read'> ? TypedEvent<T, D> : never;

/** Any stored event of a catalogued type, with its data typed: narrow it with a `switch` on `type`. */
export type CatalogueEvent = TypedEventOf<Entry>;

const entries = new Map<string, Entry>(EVENT_CATALOGUE.map((entry) => [entry.type, entry]));

/**
 * A stored event with its data parsed by its type's schema (leniently: fields added since it was
 * stored are optional, unknown ones ignored); null for a type the catalogue does not have, or
 * data that does not parse.
 */
export function readCatalogueEvent(event: StoredEvent): CatalogueEvent | null {
  const entry = entries.get(event.type);
  return entry ? entry.read(event) : null;
}
