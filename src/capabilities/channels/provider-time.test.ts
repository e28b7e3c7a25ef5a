import { describe, expect, it } from 'vitest';
import { emailChannel } from './email/email.channel.ts';
import { readDlrDoneDate, readEpochTime, readIsoTime, readTextTime } from './provider-time.ts';

const receivedAt = new Date('2026-05-06T09:00:00Z');

/** A mail with this Date header line (or none), as the listener hands it over. */
function mailDated(date: string | null) {
  const raw = [`From: Sam <sam@example.org>`, 'To: contact@demo.police.uk', 'Subject: Help', 'Message-ID: <a1@example.org>', ...(date === null ? [] : [`Date: ${date}`]), '', 'Someone took my bike.', ''].join('\r\n');
  return emailChannel.parse(
    { method: 'SMTP', url: 'smtp://listener', path: '/', query: {}, headers: { 'x-bluelamp-rcpt': 'contact@demo.police.uk' }, rawBody: Buffer.from(raw), receivedAt },
    { address: 'contact@demo.police.uk', displayName: 'Demo', smtpUrl: null, imap: null },
  );
}

describe('times providers send', () => {
  it('reads-a-carrier-done-date-as-twilio-passes-it-on-and-refuses-what-is-not-one', () => {
    expect(readDlrDoneDate('2605060858', receivedAt)?.toISOString()).toBe('2026-05-06T08:58:00.000Z');
    for (const bad of ['', '26050608', '2602310858', '2605062460', '2605080858', 'abcdefghij']) expect(readDlrDoneDate(bad, receivedAt), bad).toBeNull();
  });

  it('reads-notify-times-and-refuses-what-is-not-one', () => {
    expect(readIsoTime('2026-05-06T08:59:30.123456Z', receivedAt)?.toISOString()).toBe('2026-05-06T08:59:30.123Z');
    expect(readIsoTime('2026-05-06T09:59:30+01:00', receivedAt)?.toISOString()).toBe('2026-05-06T08:59:30.000Z');
    for (const bad of ['yesterday', '2026-02-31T00:00:00Z', '2026-05-06 08:59:30Z', '1969-12-31T23:59:59Z', '2026-05-07T09:00:01Z', '-271821-04-20T00:00:00Z']) {
      expect(readIsoTime(bad, receivedAt), bad).toBeNull();
    }
  });

  it('dates-a-mail-by-its-date-header-or-leaves-its-sent-time-unknown-if-that-is-no-time', async () => {
    const sentAt = async (date: string | null) => (await mailDated(date)).messages[0]?.sentAt?.toISOString() ?? null;
    expect(await sentAt('Wed, 06 May 2026 09:58:00 +0100')).toBe('2026-05-06T08:58:00.000Z');
    for (const absurd of ['-271821-04-20T00:00:00Z', 'Mon, 1 Jan 1900 00:00:00 +0000', 'Thu, 1 Jan 2099 00:00:00 +0000', 'Mon, 30 Feb 2026 10:00:00 +0000', 'not a date', null]) {
      expect(await sentAt(absurd), String(absurd)).toBeNull();
    }
  });

  it('reads-counts-since-1970-in-the-unit-the-provider-documents-and-refuses-what-is-not-one', () => {
    // WhatsApp: seconds as a string; Messenger: milliseconds as a number; X: milliseconds as a string.
    expect(readEpochTime('1778057940', 'seconds', receivedAt)?.toISOString()).toBe('2026-05-06T08:59:00.000Z');
    expect(readEpochTime(1778057940123, 'milliseconds', receivedAt)?.toISOString()).toBe('2026-05-06T08:59:00.123Z');
    expect(readEpochTime('1778057940123', 'milliseconds', receivedAt)?.toISOString()).toBe('2026-05-06T08:59:00.123Z');
    expect(readEpochTime(946684800000, 'milliseconds', receivedAt)?.toISOString()).toBe('2000-01-01T00:00:00.000Z');
    const absurd: [unknown, 'seconds' | 'milliseconds'][] = [
      ['-315619200', 'seconds'], // 1960
      [-315619200000, 'milliseconds'],
      ['4102444800', 'seconds'], // 2100
      ['1778057940123', 'seconds'], // milliseconds where seconds are documented: year 58314
      ['1778057940', 'milliseconds'], // seconds where milliseconds are documented: 21 January 1970
      [946684799999, 'milliseconds'], // the last moment of 1999: before any provider of ours
      ['yesterday', 'seconds'],
      [1778057940.5, 'seconds'],
      ['1e9', 'seconds'],
      [{ seconds: 1778057940 }, 'seconds'],
      [null, 'milliseconds'],
      [undefined, 'milliseconds'],
      ['9'.repeat(16), 'milliseconds'],
    ];
    for (const [value, unit] of absurd) expect(readEpochTime(value, unit, receivedAt), `${String(value)} ${unit}`).toBeNull();
  });

  it('reads-dates-in-words-only-on-days-their-month-has', () => {
    expect(readTextTime('Wed May 06 08:59:00 +0000 2026', receivedAt)?.toISOString()).toBe('2026-05-06T08:59:00.000Z');
    expect(readTextTime('Sat, 29 Feb 2020 12:00:00 +0000', receivedAt)?.toISOString()).toBe('2020-02-29T12:00:00.000Z');
    for (const absurd of ['Mon Feb 30 10:00:00 +0000 2026', 'Fri, 29 Feb 2019 12:00:00 +0000', '2026-02-30T10:00:00Z', 'Fri Jan 01 00:00:00 +0000 1960', 'soon', 42]) {
      expect(readTextTime(absurd, receivedAt), String(absurd)).toBeNull();
    }
  });
});
