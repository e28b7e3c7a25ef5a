/**
 * Times a provider writes into what it sends us (when a text was received, when a mail says it
 * was written), read where they are parsed. A time is believed only when it could be one: not
 * before 2000, and not more than a day after we received it (clocks drift by minutes, not days).
 * Anything else (an unreadable text, the year -271821, next year) is no time at all: the message's
 * sent time is then unknown (decision 0172). No message is refused for its time: what the person
 * wrote matters more than when a provider says they wrote it.
 */

/**
 * The earliest time believed: the start of 2000. No provider of ours sent anything before it, and
 * a count of seconds read as milliseconds (a provider's unit mistaken) lands in January 1970.
 */
const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** How far after its arrival a provider's time may be and still be believed. */
const MOST_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Whether `time` could be when something was sent that reached us at `receivedAt`. */
export function isBelievableTime(time: Date, receivedAt: Date): boolean {
  const ms = time.getTime();
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= receivedAt.getTime() + MOST_AHEAD_MS;
}

/** Whether a month (0 for January) has this day: JavaScript reads 30 February as 2 March. */
function isRealDay(year: number, month: number, day: number): boolean {
  const calendarDay = new Date(Date.UTC(year, month, day));
  return calendarDay.getUTCMonth() === month && calendarDay.getUTCDate() === day;
}

/** An ISO 8601 date and time with its offset, as GOV.UK Notify writes them: `2017-05-14T12:15:30.000000Z`. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant an ISO 8601 date-time names, or null when it is not one (the form, or a day the
 * month does not have: JavaScript would read 31 February as 2 March) or not believable.
 */
export function readIsoTime(text: string, receivedAt: Date): Date | null {
  const match = ISO_TIME.exec(text.trim());
  if (!match) return null;
  const [, year = '', month = '', day = '', hour = '', minute = '', second = '', fraction = '', zone = ''] = match;
  if (!isRealDay(Number(year), Number(month) - 1, Number(day))) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  // Milliseconds are all a Date keeps of Notify's microseconds.
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, '0').slice(0, 3)}${zone}`);
  return isBelievableTime(time, receivedAt) ? time : null;
}

/** The longest count of digits read as an epoch time: more is no time a Date holds, however it is counted. */
const EPOCH_DIGITS = /^\d{1,15}$/;

/**
 * The instant a count since 1970 names, in the unit its provider documents (WhatsApp's `timestamp`,
 * seconds as a string; Messenger's, milliseconds as a number; X's `created_timestamp`,
 * milliseconds as a string), or null when it is not a whole count (a word, a fraction, a negative
 * count, an object) or not believable. The value is taken as it came: a provider's field is read
 * here, not refused by its schema, so a message is never lost over its time.
 */
export function readEpochTime(value: unknown, unit: 'seconds' | 'milliseconds', receivedAt: Date): Date | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!EPOCH_DIGITS.test(text)) return null;
  const time = new Date(Number(text) * (unit === 'seconds' ? 1000 : 1));
  return isBelievableTime(time, receivedAt) ? time : null;
}

/**
 * The instant a date in words names, in a form JavaScript reads (a mail's RFC 5322 Date header,
 * X's v1.1 `created_at`: `Wed Oct 10 20:19:24 +0000 2018`), or null when it is none or not believable.
 */
export function readTextTime(value: unknown, receivedAt: Date): Date | null {
  if (typeof value !== 'string' || !namesRealDay(value)) return null;
  const time = new Date(value.trim());
  return isBelievableTime(time, receivedAt) ? time : null;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * Whether a date in words names a day its month has, as far as it names one: `2026-02-30`, `30 Feb
 * 2026` and X's `Mon Feb 30 10:00:00 +0000 2026` do not. The day and year are whole numbers on
 * their own (not a time's hours, not an offset's digits).
 */
function namesRealDay(text: string): boolean {
  const iso = /^\s*(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (iso) return isRealDay(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  const month = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i.exec(text)?.[1];
  const day = /(?<![\d:+-])(\d{1,2})(?![\d:])/.exec(text)?.[1];
  const year = /(?<![\d:+-])(\d{4})(?![\d:])/.exec(text)?.[1];
  if (month === undefined || day === undefined || year === undefined) return true;
  return isRealDay(Number(year), MONTH_NAMES.indexOf(month.toLowerCase()), Number(day));
}

/** A carrier's done date as Twilio passes it on (`RawDlrDoneDate`): YYMMDDhhmm, in UTC. */
const DLR_DONE_DATE = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;

/**
 * The instant a carrier's delivery receipt says a text reached the phone (Twilio's
 * `RawDlrDoneDate`, YYMMDDhhmm in UTC, a year of this century), or null when it is not one or not
 * believable: the receipt still counts, its time is then when it came.
 */
export function readDlrDoneDate(text: string, receivedAt: Date): Date | null {
  const match = DLR_DONE_DATE.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const time = new Date(Date.UTC(2000 + year, month - 1, day, hour, minute));
  const isReal = time.getUTCMonth() === month - 1 && time.getUTCDate() === day && hour <= 23 && minute <= 59;
  return isReal && isBelievableTime(time, receivedAt) ? time : null;
}
