/**
 * Times a provider writes into what it sends us (when a text was received, when a mail says it
 * was written), read where they are parsed. A time is believed only when it could be one: not
 * before 1970, and not more than a day after we received it (clocks drift by minutes, not days).
 * Anything else (an unreadable text, the year -271821, next year) is no time at all: a text's time
 * is then unknown, and a mail's falls back to when we received it. No message is refused for its
 * time: what the person wrote matters more than when a provider says they wrote it.
 */

/** The earliest time believed: the start of 1970 (no provider of ours existed before it). */
const EARLIEST_MS = Date.UTC(1970, 0, 1);
/** How far after its arrival a provider's time may be and still be believed. */
const MOST_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Whether `time` could be when something was sent that reached us at `receivedAt`. */
export function isBelievableTime(time: Date, receivedAt: Date): boolean {
  const ms = time.getTime();
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= receivedAt.getTime() + MOST_AHEAD_MS;
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
  const calendarDay = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (calendarDay.getUTCMonth() !== Number(month) - 1 || calendarDay.getUTCDate() !== Number(day)) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  // Milliseconds are all a Date keeps of Notify's microseconds.
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(3, '0').slice(0, 3)}${zone}`);
  return isBelievableTime(time, receivedAt) ? time : null;
}

/**
 * When a mail was sent, from its Date header (RFC 5322; JavaScript reads its forms), or when we
 * received it, if the header is missing, unreadable or not believable.
 */
export function mailSentAt(dateHeader: string | undefined, receivedAt: Date): Date {
  if (dateHeader === undefined) return receivedAt;
  const time = new Date(dateHeader.trim());
  return isBelievableTime(time, receivedAt) ? time : receivedAt;
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
