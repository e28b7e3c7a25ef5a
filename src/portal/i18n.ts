import en from './locales/en.json' with { type: 'json' };
import cy from './locales/cy.json' with { type: 'json' };

export const LOCALES = ['en', 'cy'] as const;
export type Locale = (typeof LOCALES)[number];

/** Every string the portal shows. English is the shape; Welsh must match it key for key. */
export type Messages = typeof en;

// Typed as Messages, so a key missing from the Welsh file fails type checking as well as the test.
const welsh: Messages = cy;

const CATALOGUES: Record<Locale, Messages> = { en, cy: welsh };

export function messagesFor(locale: Locale): Messages {
  return CATALOGUES[locale];
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'cy';
}

/**
 * Fills `{name}` placeholders. The result is plain text: templates escape it like anything else,
 * so a force name or a reference can never become markup.
 */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (whole, key: string) => {
    const value = values[key];
    return value === undefined ? whole : String(value);
  });
}

/** Every leaf of a catalogue as `dotted.key → text`, for comparing locales. */
export function flattenMessages(value: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      for (const [k, v] of flattenMessages(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
    }
  } else {
    out.set(prefix, value);
  }
  return out;
}

const TIME_ZONE = 'Europe/London';

/** "5 March 2026 at 3:04pm" in the reader's language, in UK time (GOV.UK style: "3:04yh" in Welsh). */
export function formatDateTime(locale: Locale, at: Date): string {
  const date = formatDate(locale, at);
  // A 12-hour clock that runs 1 to 12 ("12:05pm", not en-GB's "0:05 pm"), no space, and the halves
  // of the day in the reader's language: Intl writes English "am"/"pm" in Welsh too.
  const [am, pm] = messagesFor(locale).checkReport.dayHalves.split(',');
  const parts = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE }).formatToParts(at);
  const hour = Number(parts.find((part) => part.type === 'hour')?.value);
  const minute = parts.find((part) => part.type === 'minute')?.value;
  const time = `${hour % 12 || 12}:${minute}${hour < 12 ? am : pm}`;
  return format(messagesFor(locale).checkReport.dateTime, { date, time });
}

/** "17 March 2026" in the reader's language, for a moment that stands for a whole UK day (its time not known). */
export function formatDate(locale: Locale, at: Date): string {
  return new Intl.DateTimeFormat(locale === 'cy' ? 'cy' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: TIME_ZONE }).format(at);
}

/** The twelve months' names as `formatDate` writes them in the reader's language, January first. */
export function monthNames(locale: Locale): string[] {
  const dates = new Intl.DateTimeFormat(locale === 'cy' ? 'cy' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return Array.from({ length: 12 }, (_, month) => dates.formatToParts(new Date(Date.UTC(2026, month, 15))).find((part) => part.type === 'month')?.value ?? String(month + 1));
}
