import { DEFAULT_TEMPLATES, type TemplateLocale } from './default-templates.schema.ts';

// A victim is never sent a message with a gap where a placeholder was ("heard at  on …"). Two
// guards, see docs/decisions/0068:
// - A court date or an appointment the records system gave without its place (or, from an older
//   milestone, without its time) is told in words that say so: "at a court to be confirmed".
// - A force's own text that uses a placeholder this milestone leaves empty gives way to the
//   default wording for the same message, channel and language.

/** Milestones that tell a victim when and where something is; the rest name no time or place. */
const ABOUT_A_TIME_AND_PLACE: ReadonlySet<string> = new Set(['case.court_date_set', 'case.appointment_made', 'case.appointment_changed']);

/**
 * What stands for a missing date, time or place, written to follow the default texts' "on", "at"
 * (English) and "ar", "am", "yn" (Welsh: "ar" softens, so "ddyddiad"; the others leave these alone).
 */
const TO_BE_CONFIRMED: Record<TemplateLocale, { date: string; time: string; court: string; place: string; crimeType: string }> = {
  en: { date: 'a date to be confirmed', time: 'a time to be confirmed', court: 'a court to be confirmed', place: 'a place to be confirmed', crimeType: 'type not yet confirmed' },
  cy: { date: 'ddyddiad i’w gadarnhau', time: 'amser i’w gadarnhau', court: 'llys i’w gadarnhau', place: 'lle i’w gadarnhau', crimeType: 'math heb ei gadarnhau eto' },
};

/**
 * The crime type as a message names it: its label, or words saying it is not known yet (a case
 * from the records system may come without one, or with a code the force has no label for).
 */
export function crimeTypeWords(label: string, locale: TemplateLocale): string {
  return label.trim() || TO_BE_CONFIRMED[locale].crimeType;
}

/**
 * The date, time and place a milestone's message tells, with words for any it did not give. A day
 * alone (a court listing whose time is not known, decision 0070) has no time: its text drops it.
 */
export function whenAndWhere(milestone: string, given: { date: string; time: string; place: string }, locale: TemplateLocale, isDateOnly = false): { date: string; time: string; place: string } {
  if (!ABOUT_A_TIME_AND_PLACE.has(milestone)) return given;
  const words = TO_BE_CONFIRMED[locale];
  return {
    date: given.date || words.date,
    time: isDateOnly ? '' : given.time || words.time,
    place: given.place.trim() || (milestone === 'case.court_date_set' ? words.court : words.place),
  };
}

type Text = { subject: string; body: string };

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;
/** A note is what the officer chose to add, or nothing: the texts that use it read well without one. */
const MAY_BE_EMPTY: ReadonlySet<string> = new Set(['note']);
const DEFAULTS = new Map(DEFAULT_TEMPLATES.map((t) => [`${t.key}\u0000${t.channel}\u0000${t.locale}`, { subject: t.subject, body: t.body }]));

/** The placeholders a text uses that these values would leave empty. */
export function emptyPlaceholders(text: Text, values: Readonly<Record<string, string>>): string[] {
  const names = [...`${text.subject}\n${text.body}`.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((name) => !MAY_BE_EMPTY.has(name) && !values[name]?.trim()))];
}

/** The time as the texts tell it after a date: "at {{time}}" in English, "am {{time}}" in Welsh. */
const TIME_AFTER_A_DATE = /[ \t]+(?:at|am)[ \t]+\{\{\s*time\s*\}\}/gi;

/** The text for a day alone: its time ("on {{date}} at {{time}}") taken out, so it reads "on {{date}}". */
function withoutTime(text: Text): Text {
  return { subject: text.subject.replace(TIME_AFTER_A_DATE, ''), body: text.body.replace(TIME_AFTER_A_DATE, '') };
}

/**
 * The text to render: the force's own, unless it would leave a gap, then the default wording for
 * the same key, channel and language. A key with no default (none today) keeps the force's text.
 * For a day alone (`isDateOnly`) the time is taken out of either; a force's text that uses the
 * time otherwise ("Time: {{time}}") gives way to the default too.
 */
export function textWithoutGaps(text: Text, which: { key: string; kind: 'email' | 'sms'; locale: TemplateLocale }, values: Readonly<Record<string, string>>, isDateOnly = false): Text {
  const fit = (t: Text) => (isDateOnly ? withoutTime(t) : t);
  if (emptyPlaceholders(fit(text), values).length === 0) return fit(text);
  const fallback = DEFAULTS.get(`${which.key}\u0000${which.kind}\u0000${which.locale}`);
  return fallback ? fit(fallback) : fit(text);
}
