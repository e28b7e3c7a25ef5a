// What the contact screen decides from the API's answer, without a browser: where the person is,
// their language, who wrote each message, and whether a contact is answered in writing or by
// calling back.
import { describe, expect, it } from 'vitest';
import { answerModeOf, numberToCall, telHref } from '../../web/console/src/call-back.ts';
import { formatPlace, languageLabel, messageAuthorLabel, placeMapHref, placeSourceLabel, sentTimeToShow } from '../../web/console/src/format.ts';
import type { ContactDetail } from '../../web/console/src/api/types.ts';
import { describeWindowLength, isReplyWindowClosed } from '../../web/console/src/reply-window.ts';

describe('where and when', () => {
  it('gives a position as degrees with their hemisphere and how far off it may be', () => {
    expect(formatPlace({ lat: 51.4816, lon: -3.1791, radiusMetres: 15 })).toBe('51.48160° N, 3.17910° W, within 15 m');
    expect(formatPlace({ lat: -33.8688, lon: 151.2093, radiusMetres: null })).toBe('33.86880° S, 151.20930° E');
    expect(formatPlace({ lat: 55.85732, lon: -4.26325, radiusMetres: 1234.4 })).toBe('55.85732° N, 4.26325° W, within 1,234 m');
  });

  it('says where a position came from, and links it to a map', () => {
    expect(placeSourceLabel('aml')).toBe("Caller's handset (AML)");
    expect(placeSourceLabel('shared')).toBe('Shared by the person');
    expect(placeMapHref({ lat: 51.4816, lon: -3.1791 })).toBe('https://www.openstreetmap.org/?mlat=51.48160&mlon=-3.17910#map=17/51.48160/-3.17910');
  });

  it('names the language the person chose', () => {
    expect(languageLabel('cy')).toBe('Welsh (Cymraeg)');
    expect(languageLabel('en')).toBe('English');
    expect(languageLabel(null)).toBeNull();
  });
});

describe('when a message was sent and received', () => {
  it('shows-the-sent-time-only-when-it-is-known-and-more-than-a-minute-from-the-received-time', () => {
    const received = '2026-03-02T10:05:00.000Z';
    expect(sentTimeToShow({ sentAt: '2026-03-02T10:02:00.000Z', createdAt: received })).toBe('2026-03-02T10:02:00.000Z');
    expect(sentTimeToShow({ sentAt: '2026-03-02T10:04:00.000Z', createdAt: received })).toBeNull();
    expect(sentTimeToShow({ sentAt: '2026-03-02T10:04:30.000Z', createdAt: received })).toBeNull();
    // A sender's clock ahead of ours (up to a day is believed) is shown too.
    expect(sentTimeToShow({ sentAt: '2026-03-02T10:07:00.000Z', createdAt: received })).toBe('2026-03-02T10:07:00.000Z');
    expect(sentTimeToShow({ sentAt: null, createdAt: received })).toBeNull();
  });
});

describe('who wrote a message', () => {
  it('never shows what the system wrote as the words of the public', () => {
    expect(messageAuthorLabel({ author: 'public', authorName: null, channel: 'portal', direction: 'inbound' })).toBe('From the public');
    expect(messageAuthorLabel({ author: 'system', authorName: null, channel: 'phone', direction: 'inbound' })).toBe('Call record');
    expect(messageAuthorLabel({ author: 'system', authorName: null, channel: 'sms_twilio', direction: 'outbound' })).toBe('Sent automatically');
    expect(messageAuthorLabel({ author: 'staff', authorName: 'Dai Jones', channel: 'email', direction: 'outbound' })).toBe('Reply from Dai Jones');
  });
});

describe('answering a call', () => {
  const detail = (channel: string, canReplyInWriting: boolean, callbackNumber: string | null, phones: string[]) =>
    ({
      contact: { channel, canReplyInWriting },
      routing: { callback: callbackNumber ? { forContactId: null, forReference: null, number: callbackNumber, note: null } : null },
      person: { identities: phones.map((value) => ({ kind: 'phone', value, isLinked: false })) },
    }) as unknown as ContactDetail;

  it('offers the call-back action, not a reply box, for calls and callbacks', () => {
    expect(answerModeOf(detail('phone', false, null, []))).toBe('call_back');
    expect(answerModeOf(detail('callback', false, '+447700900123', []))).toBe('call_back');
    expect(answerModeOf(detail('sms_twilio', true, null, []))).toBe('write');
  });

  it('calls the number asked for, or else the number the person called from', () => {
    expect(numberToCall(detail('callback', false, '+447700900999', ['+447700900123']))).toBe('+447700900999');
    expect(numberToCall(detail('phone', false, null, ['+447700900123']))).toBe('+447700900123');
    expect(numberToCall(detail('phone', false, null, []))).toBeNull();
    expect(telHref('+44 7700 900123')).toBe('tel:+447700900123');
  });
});

describe('the reply window (WhatsApp, Messenger and Instagram)', () => {
  const closesAt = '2026-03-03T09:00:00.000Z';
  it('tells staff the window has closed before they type, also when it closes while the screen is open', () => {
    expect(isReplyWindowClosed(null, Date.parse(closesAt))).toBe(false);
    expect(isReplyWindowClosed({ closesAt, isOpen: true }, Date.parse(closesAt) - 1)).toBe(false);
    expect(isReplyWindowClosed({ closesAt, isOpen: true }, Date.parse(closesAt))).toBe(true);
    expect(isReplyWindowClosed({ closesAt, isOpen: false }, 0)).toBe(true);
    expect(isReplyWindowClosed({ closesAt: null, isOpen: false }, 0)).toBe(true);
  });

  it('says Meta’s windows by their length as staff say it', () => {
    expect(describeWindowLength(24)).toBe('24 hours');
    expect(describeWindowLength(168)).toBe('7 days');
  });
});
