import { z } from 'zod';
import { hasVisibleText } from '../visible-text.ts';

// Request fields every capability checks the same way, so each route does not judge them alone.

/**
 * One of our ids in a request: a UUID in any case, handed on lower-cased. PostgreSQL compares uuids
 * without regard to case while services compare ids as strings, so an id that reached a service in
 * upper case was the same row to the database and a different one to the code ("merge an incident
 * into itself" passed the service's check). Every id a route takes goes through this. The overwrite
 * keeps the field a string, so the API document still says `format: uuid`.
 */
export function idField(message?: string) {
  return z.uuid(message).overwrite((value) => value.toLowerCase());
}

/** The first instant (UTC) a request may name, and the first it may not: nothing we keep is from before 2000 or after 2099. */
const EARLIEST_INSTANT_MS = Date.UTC(2000, 0, 1);
const END_OF_INSTANTS_MS = Date.UTC(2100, 0, 1);

/** Whether an ISO 8601 date and time falls from 1 January 2000 to 31 December 2099, in UTC. */
export function isPlausibleInstant(value: string): boolean {
  const ms = Date.parse(value);
  return ms >= EARLIEST_INSTANT_MS && ms < END_OF_INSTANTS_MS;
}

/**
 * A date and time in a request (ISO 8601 with its offset) that someone can have meant: from 2000 to
 * 2099. ISO 8601 allows year 0000 and 9999, which the database refused mid-statement (a 500) or
 * stored for a victim to be told of. A bound relative to now (an appointment within five years, a
 * position not in the future) is the service's, with the injected clock: a schema never reads the
 * time. The range check is a refinement, which the API document does not show; the format still is.
 */
export function instantField(message?: string) {
  return z.iso
    .datetime({ offset: true, error: message, abort: true })
    .refine(isPlausibleInstant, { error: 'must be from 1 January 2000 to 31 December 2099' });
}

/**
 * A hearing's or an appointment's date and time, or its date alone (a day whose time is not known
 * yet), from 2000 to 2099. Either form refused gets the one `message`, which names both, once.
 */
export function dayOrTimeField(message: string) {
  return z.union([instantField(message), z.iso.date({ error: message, abort: true }).refine(isPlausibleInstant, { error: message })], { error: message });
}

/**
 * Drops the query parameters given blank (`?lat=&lon=`), so a blank value is one not given, as an
 * HTML form sends an empty field. A number read from text turned a blank into 0: "incidents near
 * 0, 0" answered as if asked, a blank limit or priority refused as "must be at least 1". A
 * parameter with a default now takes it; one that is required is refused as missing, by name.
 */
export function dropBlankQueryValues(query: unknown): void {
  if (typeof query !== 'object' || query === null) return;
  const values = query as Record<string, unknown>;
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') delete values[key];
  }
}

/** The largest whole number an `integer` column keeps: a bound for numbers a request names in one. */
export const LARGEST_STORED_INTEGER = 2_147_483_647;

/**
 * The version of a record a change was made from (decisions 0079, 0082): if the record has been
 * changed since, the request is refused with 409 and nothing is changed; left out, the request is
 * not checked, as before versions were counted. `whose` names the record ("rule's"); `least` is 0
 * where a request may write a record not yet written (its version then is 0), else 1.
 */
export function openedVersionField(whose: string, least: 0 | 1 = 1) {
  const wording = `must be the ${whose} version as you read it`;
  return z
    .number(`${wording}, a whole number`)
    .int(`${wording}, a whole number`)
    .min(least, least === 0 ? `${wording}, 0 if it was not written yet, or more` : `${wording}, 1 or more`)
    .max(LARGEST_STORED_INTEGER, `${wording}; no version is that large`)
    .optional()
    .describe(
      `The ${whose} version as read (its \`version\`${least === 0 ? '; 0 if it was not written yet' : ''}): if it has been changed since, the request is refused with 409 (the field at fault is body.version) and nothing is changed. Left out: not checked`,
    )
    .meta({ title: 'Version' });
}

/** Controls that reorder the text around them (embeddings, overrides, isolates), unlike the marks a mixed-script name may need. */
const REORDERING_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;

/**
 * A name people read: a colleague's, a channel account's, an area's. One line of visible text in any
 * script, direction marks allowed; refused, with the reason, when it only looks blank (zero-width
 * spaces), holds a control character or a line separator (a line break or a tab breaks a list or an export) or a control
 * that reorders the text after it (a right-to-left override lets one name read as another).
 */
export function nameField(blank: string, max = 200) {
  return readableLine(z.string().trim().min(1, blank).max(max, `must be ${max} characters or fewer`), blank);
}

/**
 * A longer line a force sets for the public to read (the victim portal's contact route): the checks
 * of `nameField`, but left empty (or only spaces) it is no text, which puts back the product's own
 * wording. Zero-width characters alone are not empty: they are refused as looking blank.
 */
export function publicLineField(blank: string, max = 300) {
  return readableLine(z.string().trim().max(max, `must be ${max} characters or fewer`), blank);
}

/**
 * Paragraphs a force writes for the public to read (a help article's body): line breaks and tabs
 * kept, but refused, with the reason, when it only looks blank, holds another control character,
 * or a control that reorders the text after it.
 */
export function publicTextField(blank: string, max: number) {
  return z
    .string()
    .trim()
    .min(1, blank)
    .max(max, `must be ${max} characters or fewer`)
    .refine((text) => text === '' || hasVisibleText(text), blank)
    .refine((text) => !/[^\P{Cc}\n\r\t]/u.test(text), 'must not contain control characters')
    .refine((text) => !REORDERING_CONTROLS.test(text), 'must not contain characters that reorder the text around them');
}

/** The refusals every line people read shares. */
function readableLine(field: z.ZodString, blank: string) {
  // An empty line is the length check's to refuse (a name) or to allow (a public line): saying
  // "blank" twice for one field helps nobody.
  return field
    .refine((text) => text === '' || hasVisibleText(text), blank)
    // A line or paragraph separator (U+2028, U+2029) breaks a line as a line feed does, though it is no control character.
    .refine((text) => !/[\p{Cc}\p{Zl}\p{Zp}]/u.test(text), 'must be one line of text, without control characters')
    .refine((text) => !REORDERING_CONTROLS.test(text), 'must not contain characters that reorder the text around them');
}
