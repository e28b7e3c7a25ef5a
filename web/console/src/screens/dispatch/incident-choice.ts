// Choosing another incident to merge into or link to: one offered on the screen, or one named by
// its reference as staff say it ("INC-42"). A merge or a link needs a live incident, and the live
// list holds every one of them (the board's list has no limit), so a reference is looked up there
// and one not in it is refused before anything is sent.
import type { IncidentSummary } from '../../api/dispatch.ts';
import { invalidFields, type UiError } from '../../api/errors.ts';

/** The number in a reference typed as "INC-42", "inc 42" or "42"; null when it is not one. */
export function parseIncidentReference(text: string): number | null {
  const match = /^\s*(?:inc[\s-]*)?(\d{1,9})\s*$/i.exec(text);
  return match?.[1] ? Number(match[1]) : null;
}

/** The incident chosen: its id and reference. */
export type ChosenIncident = { id: string; reference: string };

/**
 * The incident a form names: `chosenId` when one offered was picked, else the typed reference,
 * looked up among the live incidents. `field` is the path the error names; `selfId` is the
 * incident the screen is about, which cannot be chosen.
 */
export function chooseIncident(
  values: { chosenId: string; reference: string },
  live: readonly Pick<IncidentSummary, 'id' | 'reference' | 'number' | 'status'>[],
  options: { field: string; selfId: string | null; what: string },
): ChosenIncident | UiError {
  const refuse = (message: string) => invalidFields([{ path: options.field, message }]);
  const typed = values.reference.trim();
  if (values.chosenId && typed) return refuse('Choose an incident or enter a reference, not both');
  if (values.chosenId) {
    const offered = live.find((incident) => incident.id === values.chosenId);
    return offered ? { id: offered.id, reference: offered.reference } : refuse(`That incident is no longer live; choose another`);
  }
  if (!typed) return refuse(`Choose the incident ${options.what}, or enter its reference`);
  const number = parseIncidentReference(typed);
  if (number === null) return refuse('Enter an incident reference like INC-42');
  const found = live.find((incident) => incident.number === number);
  if (found?.id === options.selfId) return refuse(`INC-${number} is this incident; enter the reference of another`);
  if (!found) return refuse(`INC-${number} is not a live incident: it has ended or does not exist`);
  return { id: found.id, reference: found.reference };
}

/** Whether a chosen incident can be used or the form's error was found. */
export function isChosen(result: ChosenIncident | UiError): result is ChosenIncident {
  return 'id' in result;
}

const EARTH_RADIUS_M = 6_371_000;

/** Straight-line distance in metres between two positions (great circle). */
export function metresBetween(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lon - a.lon) * rad) / 2) ** 2;
  return Math.round(2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h))));
}

/**
 * The live incidents to offer a contact, nearest first when the contact has a position (those
 * with none after, newest first as the board lists them); each with its distance, or null.
 */
export function nearestFirst<T extends { location: { lat: number | null; lon: number | null } }>(incidents: readonly T[], place: { lat: number; lon: number } | null): { incident: T; metres: number | null }[] {
  const measured = incidents.map((incident) => {
    const { lat, lon } = incident.location;
    return { incident, metres: place && lat !== null && lon !== null ? metresBetween(place, { lat, lon }) : null };
  });
  if (!place) return measured;
  // A stable sort keeps the board's order among equals and among those with no position.
  return measured.sort((a, b) => (a.metres ?? Number.POSITIVE_INFINITY) - (b.metres ?? Number.POSITIVE_INFINITY));
}
