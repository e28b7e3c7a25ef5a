// The new-incident form read into the API's body, checked before it is sent.
import type { CreateIncidentInput, IncidentGrade, IncidentLocationInput, IncidentUpdateInput, IncidentView } from '../../api/dispatch.ts';
import { invalidFields, type UiError } from '../../api/errors.ts';
import type { ContactDetail, GradeView } from '../../api/types.ts';
import { GRADE_LABELS } from './dispatch-text.ts';

export const GRADES = Object.keys(GRADE_LABELS).filter((grade): grade is IncidentGrade => grade in GRADE_LABELS);

export type IncidentFormValues = { type: string; summary: string; grade: string; locationText: string; lat: string; lon: string; chosenNeeds: string[]; otherNeeds: string };

/** Reads the form into the API's body, or says what is wrong with it. */
export function readIncidentForm(values: IncidentFormValues, contactId: string | null): CreateIncidentInput | UiError {
  const problems: { path: string; message: string }[] = [];
  const lat = values.lat.trim() === '' ? undefined : Number(values.lat);
  const lon = values.lon.trim() === '' ? undefined : Number(values.lon);
  if (lat !== undefined && (!Number.isFinite(lat) || Math.abs(lat) > 90)) problems.push({ path: 'lat', message: 'Latitude must be a number between -90 and 90' });
  if (lon !== undefined && (!Number.isFinite(lon) || Math.abs(lon) > 180)) problems.push({ path: 'lon', message: 'Longitude must be a number between -180 and 180' });
  if ((lat === undefined) !== (lon === undefined)) problems.push({ path: 'lat', message: 'Give both latitude and longitude, or neither' });
  if (problems.length > 0) return invalidFields(problems);
  const grade = GRADES.find((g) => g === values.grade);
  const needs = readNeeds(values.chosenNeeds, values.otherNeeds);
  return {
    type: values.type,
    contactIds: contactId ? [contactId] : [],
    requiredCapabilities: needs,
    ...(values.summary.trim() ? { summary: values.summary.trim() } : {}),
    ...(grade ? { grade } : {}),
    ...(values.locationText.trim() ? { locationText: values.locationText.trim() } : {}),
    ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}),
  };
}

/**
 * What units must have: the capabilities ticked, then those typed, separated by commas, each as
 * it was written. The server puts them in its one form and keeps each once (decision 0086), and
 * the incident shows what it stored: the console keeps no copy of that rule (decision 0094).
 */
export function readNeeds(chosen: readonly string[], typed: string): string[] {
  const others = typed
    .split(',')
    .map((need) => need.trim())
    .filter(Boolean);
  return [...new Set([...chosen, ...others])];
}

export type CorrectionFormValues = { type: string; summary: string; chosenNeeds: string[]; otherNeeds: string };

/** The correction form's first values: the incident as it is, each capability it needs ticked. */
export function correctionFormValues(incident: Pick<IncidentView, 'type' | 'summary' | 'requiredCapabilities'>): CorrectionFormValues {
  return { type: incident.type, summary: incident.summary, chosenNeeds: [...incident.requiredCapabilities], otherNeeds: '' };
}

/** Reads the correction form into the API's body, only what differs from the incident, or says what is wrong. */
export function readCorrectionForm(values: CorrectionFormValues, incident: Pick<IncidentView, 'type' | 'summary' | 'requiredCapabilities'>): IncidentUpdateInput | UiError {
  const summary = values.summary.trim();
  if (summary === '' && incident.summary !== '') return invalidFields([{ path: 'summary', message: 'Enter what is happening' }]);
  const needs = readNeeds(values.chosenNeeds, values.otherNeeds);
  // Compared as sent: one typed in another form ("Firearms") is sent, and the server, finding the
  // same, records nothing.
  const sameNeeds = needs.length === incident.requiredCapabilities.length && needs.every((need) => incident.requiredCapabilities.includes(need));
  const body: IncidentUpdateInput = {
    ...(values.type !== incident.type ? { type: values.type } : {}),
    ...(summary !== incident.summary ? { summary } : {}),
    ...(sameNeeds ? {} : { requiredCapabilities: needs }),
  };
  if (Object.keys(body).length === 0) return invalidFields([{ path: '', message: 'Nothing has changed: change the type, what is happening or what units must have, then save' }]);
  return body;
}

/** Reads the incident's location form (address, latitude, longitude) into the API's body, or says what is wrong. */
export function readLocationForm(values: { locationText: string; lat: string; lon: string }): IncidentLocationInput | UiError {
  const problems: { path: string; message: string }[] = [];
  const lat = values.lat.trim() === '' ? undefined : Number(values.lat);
  const lon = values.lon.trim() === '' ? undefined : Number(values.lon);
  const text = values.locationText.trim();
  if (lat !== undefined && (!Number.isFinite(lat) || Math.abs(lat) > 90)) problems.push({ path: 'lat', message: 'Latitude must be a number between -90 and 90' });
  if (lon !== undefined && (!Number.isFinite(lon) || Math.abs(lon) > 180)) problems.push({ path: 'lon', message: 'Longitude must be a number between -180 and 180' });
  if ((lat === undefined) !== (lon === undefined)) problems.push({ path: 'lat', message: 'Give both latitude and longitude, or neither' });
  if (text === '' && lat === undefined && lon === undefined) problems.push({ path: 'locationText', message: 'Enter an address, a position, or both' });
  if (problems.length > 0) return invalidFields(problems);
  return { ...(text ? { locationText: text } : {}), ...(lat !== undefined && lon !== undefined ? { lat, lon } : {}) };
}

/** The form's first values for an incident made from a contact: what happened, where, and its grade, as the contact has them. */
export function prefillFromContact(detail: ContactDetail | undefined, grade: GradeView | undefined): Partial<IncidentFormValues> {
  const prefill: Partial<IncidentFormValues> = {};
  if (!detail) return prefill;
  const { contact } = detail;
  if (contact.summary) prefill.summary = contact.summary;
  if (contact.location) prefill.locationText = contact.location;
  if (contact.place) {
    prefill.lat = String(contact.place.lat);
    prefill.lon = String(contact.place.lon);
  }
  const current = grade?.current?.grade;
  if (current) prefill.grade = current;
  return prefill;
}
