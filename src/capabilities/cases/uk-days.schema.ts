// A hearing or an appointment whose day is known and whose time is not is stored as the instant
// its UK day begins, with `isDateOnly` beside it (decisions 0070, 0077). These are the few pure
// sums on UK days that the records system's updates and staff milestones share. Pure.

const UK_TIME = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** The UK day ("2026-03-17") and whether the instant is the midnight that begins it. */
export function ukDayOf(ms: number): { day: string; isMidnight: boolean } {
  const parts = Object.fromEntries(UK_TIME.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, isMidnight: parts.hour === '00' && parts.minute === '00' && parts.second === '00' && ms % 1000 === 0 };
}

/** The instant a UK day begins: midnight GMT, or in summer time the hour before it (UTC). */
export function ukMidnightOf(day: string): Date {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const hourBefore = utcMidnight - 3_600_000;
  const seen = ukDayOf(hourBefore);
  return new Date(seen.isMidnight && seen.day === day ? hourBefore : utcMidnight);
}

const DATE_ALONE = /^(\d{4}-\d{2}-\d{2})$/;
const WRITTEN_MIDNIGHT = /^(\d{4}-\d{2}-\d{2})T00:00(?::00(?:\.0+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The day a date written alone ("2026-03-17") names, or null when `given` has a time. */
export function dateAloneOf(given: string): string | null {
  return DATE_ALONE.exec(given)?.[1] ?? null;
}

/**
 * The time a records system gave for a hearing or an appointment: a date alone, or midnight (as
 * written, or UK time), is a day whose time is not known, recorded as the midnight UK time that
 * begins it; nobody is heard in court or seen at an appointment at midnight (decisions 0070,
 * 0077). Any other time is kept as given.
 */
export function dayOrTimeOf(given: string): { at: string; isDateOnly: boolean } {
  const day = dateAloneOf(given) ?? WRITTEN_MIDNIGHT.exec(given)?.[1] ?? (ukDayOf(Date.parse(given)).isMidnight ? ukDayOf(Date.parse(given)).day : null);
  return day ? { at: ukMidnightOf(day).toISOString(), isDateOnly: true } : { at: given, isDateOnly: false };
}
