// What the contact screen says of the incidents a contact is on. A contact is on at most one
// incident at a time (the server refuses a second link), so one linked incident, live or ended,
// replaces the offer to create another.
import type { ContactDetail } from '../../api/types.ts';
import { GRADE_LABELS, INCIDENT_STATUS_LABELS } from './dispatch-text.ts';

export type ContactIncident = ContactDetail['incidents'][number];

/** One linked incident in words: "Open, Priority". */
export function describeContactIncident(incident: ContactIncident): string {
  return [INCIDENT_STATUS_LABELS[incident.status], incident.grade ? GRADE_LABELS[incident.grade] : 'not graded'].join(', ');
}

/** Whether to offer "Create an incident from this contact": only to those who may, for a contact on none. */
export function canOfferNewIncident(incidents: readonly ContactIncident[], canWrite: boolean): boolean {
  return canWrite && incidents.length === 0;
}
