import { describe, expect, it } from 'vitest';
import { appointmentCalendar, escapeText, foldLine, formatUtc } from './icalendar.ts';

const base = {
  uid: 'appointment-1@bluelamp',
  stamp: new Date('2026-03-01T09:00:00.000Z'),
  start: new Date('2026-03-05T14:30:00.000Z'),
  summary: 'Meeting with your officer',
};

/** Undoes folding (RFC 5545 3.1): a CRLF followed by one space or tab is removed. */
const unfold = (text: string) => text.replace(/\r\n[ \t]/g, '');

describe('an appointment as an iCalendar file (RFC 5545)', () => {
  it('writes a VCALENDAR with one VEVENT, its UID, DTSTAMP and DTSTART in UTC', () => {
    const file = appointmentCalendar({ ...base, location: 'Low Road police station' });
    expect(file.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(file.endsWith('END:VEVENT\r\nEND:VCALENDAR\r\n')).toBe(true);
    expect(file).toContain('\r\nUID:appointment-1@bluelamp\r\n');
    expect(file).toContain('\r\nDTSTAMP:20260301T090000Z\r\n');
    expect(file).toContain('\r\nDTSTART:20260305T143000Z\r\n');
    expect(file).toContain('\r\nLOCATION:Low Road police station\r\n');
  });

  it('ends every line with CRLF and has no bare LF or CR', () => {
    const file = appointmentCalendar({ ...base, description: 'line one\nline two\r\nline three\rfour' });
    expect(file.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(unfold(file)).toContain('DESCRIPTION:line one\\nline two\\nline three\\nfour\r\n');
  });

  it('escapes backslash, semicolon and comma in text', () => {
    expect(escapeText('a\\b;c,d')).toBe('a\\\\b\\;c\\,d');
    const file = appointmentCalendar({ ...base, location: 'Unit 4, Dock Road; side door \\ rear' });
    expect(unfold(file)).toContain('LOCATION:Unit 4\\, Dock Road\\; side door \\\\ rear\r\n');
  });

  it('turns a local time into UTC (British Summer Time is an hour ahead)', () => {
    expect(formatUtc(new Date('2026-07-01T10:00:00+01:00'))).toBe('20260701T090000Z');
  });

  it('folds lines longer than 75 octets, never splitting a character, and unfolds to the original', () => {
    const long = `DESCRIPTION:${'Dewch â’ch llythyr, os gwelwch yn dda. '.repeat(8)}`;
    const folded = foldLine(long);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').slice(1).every((line) => line.startsWith(' '))).toBe(true);
    expect(unfold(folded)).toBe(long);
    expect(folded).not.toContain('\uFFFD');
    const file = appointmentCalendar({ ...base, description: '€'.repeat(60) });
    for (const line of file.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(unfold(file)).toContain(`DESCRIPTION:${'€'.repeat(60)}\r\n`);
  });

  it('leaves a line of exactly 75 octets whole', () => {
    const line = `SUMMARY:${'x'.repeat(67)}`;
    expect(foldLine(line)).toBe(line);
    expect(foldLine(`${line}y`)).toBe(`${line}\r\n y`);
  });

  it('drops control characters that a calendar cannot hold', () => {
    const file = appointmentCalendar({ ...base, summary: 'Meet\u0007ing\u0000' });
    expect(file).toContain('\r\nSUMMARY:Meeting\r\n');
  });

  it('writes a day alone as an all-day entry on its UK day, in winter and in summer', () => {
    const winter = appointmentCalendar({ ...base, start: new Date('2026-03-17T00:00:00Z'), isDateOnly: true });
    expect(winter).toContain('\r\nDTSTART;VALUE=DATE:20260317\r\nDTEND;VALUE=DATE:20260318\r\n');
    // 17 June begins at 23:00 UTC on the 16th (summer time).
    const summer = appointmentCalendar({ ...base, start: new Date('2026-06-16T23:00:00Z'), isDateOnly: true });
    expect(summer).toContain('\r\nDTSTART;VALUE=DATE:20260617\r\nDTEND;VALUE=DATE:20260618\r\n');
    expect(summer).not.toMatch(/DTSTART:\d/);
  });
});
