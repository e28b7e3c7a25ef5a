/**
 * One appointment as an iCalendar file (RFC 5545), for the victim's own calendar. Pure: the caller
 * gives the times and the text. What must stay true: lines end in CRLF (3.1), text values escape
 * backslash, semicolon, comma and line breaks (3.3.11), times are UTC (`...Z`, 3.3.5), and no line
 * is longer than 75 octets: longer ones fold onto continuation lines that start with a space,
 * never splitting a UTF-8 character (3.1).
 */
export type CalendarAppointment = {
  /** Globally unique and stable for the appointment, so a later file updates the same entry. */
  uid: string;
  /** When the file was made. */
  stamp: Date;
  start: Date;
  /** Only the day is known: an all-day entry on the UK day `start` begins (DTSTART;VALUE=DATE, 3.3.4). */
  isDateOnly?: boolean;
  /** How many times the appointment has changed: a calendar keeps the highest. */
  sequence?: number;
  summary: string;
  location?: string | null;
  description?: string | null;
};

const MAX_OCTETS = 75;
const PRODUCT_ID = '-//Bluelamp//Victim portal//EN';

/** A date and time in UTC, basic format: 20260305T143000Z. */
export function formatUtc(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** A TEXT value escaped: `\` `;` `,` and line breaks (any of CRLF, CR, LF become `\n`). */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** One content line folded to 75 octets a line; continuation lines begin with a space. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // The first line holds 75 octets; each continuation holds 74 after its leading space.
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** Control characters other than the line breaks escaped above have no place in a calendar. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

const UK_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** An all-day entry for the UK day `start` falls in: from that date to the next, dates without a time. */
function wholeDay(start: Date): string[] {
  const day = UK_DAY.format(start);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return [`DTSTART;VALUE=DATE:${day.replace(/-/g, '')}`, `DTEND;VALUE=DATE:${next.replace(/-/g, '')}`];
}

/** The whole file: one VCALENDAR with one VEVENT, each line folded and ended with CRLF. */
export function appointmentCalendar(appointment: CalendarAppointment): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${PRODUCT_ID}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${escapeText(clean(appointment.uid))}`,
    `DTSTAMP:${formatUtc(appointment.stamp)}`,
    ...(appointment.isDateOnly ? wholeDay(appointment.start) : [`DTSTART:${formatUtc(appointment.start)}`]),
    `SEQUENCE:${Math.max(0, Math.trunc(appointment.sequence ?? 0))}`,
    `SUMMARY:${escapeText(clean(appointment.summary))}`,
    ...(appointment.location ? [`LOCATION:${escapeText(clean(appointment.location))}`] : []),
    ...(appointment.description ? [`DESCRIPTION:${escapeText(clean(appointment.description))}`] : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map((line) => `${foldLine(line)}\r\n`).join('');
}
