import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES, allowedChannels, isValidWindow, messageSuppression, nextSafeTime, type ContactPreferences } from './safe-contact.schema.ts';

const prefs = (over: Partial<ContactPreferences>): ContactPreferences => ({ ...DEFAULT_PREFERENCES, ...over });
const everywhere = { email: 'v@example.org', sms: '+447700900123', portal: 'DEMO-C-2026-000001', letter: null };

describe('which channels a message may use', () => {
  it('uses the victim’s channels in their order', () => {
    expect(allowedChannels(prefs({ channels: ['sms', 'email'] }), everywhere)).toEqual({
      allowed: [
        { channel: 'sms', recipient: '+447700900123' },
        { channel: 'email', recipient: 'v@example.org' },
      ],
      suppressed: [],
    });
  });

  it('never-sms-removes-sms-and-says-why', () => {
    expect(allowedChannels(prefs({ channels: ['sms', 'email'], neverSms: true }), everywhere)).toEqual({
      allowed: [{ channel: 'email', recipient: 'v@example.org' }],
      suppressed: [{ channel: 'sms', reason: 'never by SMS: SMS never used' }],
    });
  });

  it('refused-address-removes-its-channel-and-says-why', () => {
    expect(allowedChannels(prefs({ channels: ['sms', 'email'] }), everywhere, { sms: 'replied STOP to our texts' })).toEqual({
      allowed: [{ channel: 'email', recipient: 'v@example.org' }],
      suppressed: [{ channel: 'sms', reason: 'replied STOP to our texts' }],
    });
    // A channel with no address to refuse is simply not used, as before.
    expect(allowedChannels(prefs({ channels: ['sms', 'email'] }), { ...everywhere, sms: null }, { sms: 'replied STOP to our texts' }).suppressed).toEqual([]);
  });

  it('portal-only-leaves-only-the-portal-even-when-not-listed', () => {
    const decision = allowedChannels(prefs({ channels: ['sms', 'email'], portalOnly: true }), everywhere);
    expect(decision.allowed).toEqual([{ channel: 'portal', recipient: 'DEMO-C-2026-000001' }]);
    expect(decision.suppressed).toEqual([
      { channel: 'sms', reason: 'portal only: SMS never used' },
      { channel: 'email', reason: 'portal only: email never used' },
    ]);
  });

  it('skips a channel with no address without calling it a suppression', () => {
    expect(allowedChannels(prefs({ channels: ['letter', 'email'] }), everywhere)).toEqual({ allowed: [{ channel: 'email', recipient: 'v@example.org' }], suppressed: [] });
  });

  it('writes a letter only as the first channel that can take the message (decision 0136)', () => {
    const posted = { ...everywhere, letter: 'Mair Jones\n1 Heol Fawr\nCAERDYDD\nCF10 1AA' };
    const letter = { channel: 'letter', recipient: posted.letter };
    // By default, a letter only where nothing else can go; never behind email as its fallback.
    expect(allowedChannels(DEFAULT_PREFERENCES, { letter: posted.letter }).allowed).toEqual([letter]);
    expect(allowedChannels(DEFAULT_PREFERENCES, posted).allowed.map((c) => c.channel)).toEqual(['email', 'sms', 'portal']);
    // Preferred, it goes first, the others behind it.
    expect(allowedChannels(prefs({ channels: ['letter', 'email'] }), posted).allowed).toEqual([letter, { channel: 'email', recipient: 'v@example.org' }]);
    // Left out of a victim's channels, it is never used.
    expect(allowedChannels(prefs({ channels: ['email', 'sms'] }), { letter: posted.letter }).allowed).toEqual([]);
    // Portal only rules it out, and says so.
    expect(allowedChannels(prefs({ channels: ['letter', 'portal'], portalOnly: true }), posted).suppressed).toEqual([{ channel: 'letter', reason: 'portal only: letter never used' }]);
  });

  it('writes-no-letter-to-a-victim-of-domestic-abuse-who-did-not-choose-letters-first', () => {
    const posted = { letter: 'Mair Jones\n1 Heol Fawr\nCAERDYDD\nCF10 1AA' };
    // Nothing else can reach them, and they chose nothing: no letter comes to the home.
    expect(allowedChannels(prefs({ domesticAbuse: true }), posted)).toEqual({
      allowed: [],
      suppressed: [{ channel: 'letter', reason: 'domestic abuse: a letter only when they chose letters first' }],
    });
    // They chose letters first: they are written to.
    expect(allowedChannels(prefs({ domesticAbuse: true, channels: ['letter', 'email'] }), posted).allowed).toEqual([{ channel: 'letter', recipient: posted.letter }]);
    // No address: nothing to rule out, nothing said.
    expect(allowedChannels(prefs({ domesticAbuse: true }), { email: 'v@example.org' }).suppressed).toEqual([]);
  });

  it('suppresses non-statutory updates for an opted-out victim, never statutory ones', () => {
    const optedOut = prefs({ optOutNonStatutory: true });
    expect(messageSuppression(optedOut, { statutory: false })).toBe('opted out of non-statutory updates');
    expect(messageSuppression(optedOut, { statutory: true })).toBeNull();
    expect(messageSuppression(DEFAULT_PREFERENCES, { statutory: false })).toBeNull();
  });
});

describe('the next safe time, on UK time', () => {
  const weekdays = [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const, from: '09:00', to: '17:00' }].map((w) => ({ ...w, days: [...w.days] }));

  it('is now when there are no windows, or now is inside one', () => {
    const at = new Date('2026-05-06T03:00:00Z');
    expect(nextSafeTime([], at)).toEqual(at);
    // Wednesday 11:00 BST.
    expect(nextSafeTime(weekdays, new Date('2026-05-06T10:00:00Z'))).toEqual(new Date('2026-05-06T10:00:00Z'));
  });

  it('waits for the start of the window the same morning (summer time: 09:00 is 08:00 UTC)', () => {
    expect(nextSafeTime(weekdays, new Date('2026-05-06T05:00:00Z'))).toEqual(new Date('2026-05-06T08:00:00Z'));
  });

  it('waits over the weekend to Monday morning', () => {
    // Friday 18:30 GMT.
    expect(nextSafeTime(weekdays, new Date('2026-01-16T18:30:00Z'))).toEqual(new Date('2026-01-19T09:00:00Z'));
  });

  it('crosses the spring clock change: Saturday evening GMT to Monday 09:00 BST', () => {
    // The clocks go forward on Sunday 29 March 2026.
    expect(nextSafeTime(weekdays, new Date('2026-03-28T20:00:00Z'))).toEqual(new Date('2026-03-30T08:00:00Z'));
  });

  it('crosses the autumn clock change: Saturday evening BST to Monday 09:00 GMT', () => {
    // The clocks go back on Sunday 25 October 2026.
    expect(nextSafeTime(weekdays, new Date('2026-10-24T19:00:00Z'))).toEqual(new Date('2026-10-26T09:00:00Z'));
  });

  it('takes the earliest of several windows', () => {
    const windows = [
      { days: ['sat' as const], from: '14:00', to: '16:00' },
      { days: ['sat' as const], from: '10:00', to: '11:00' },
    ];
    expect(nextSafeTime(windows, new Date('2026-01-17T08:00:00Z'))).toEqual(new Date('2026-01-17T10:00:00Z'));
    expect(nextSafeTime(windows, new Date('2026-01-17T12:00:00Z'))).toEqual(new Date('2026-01-17T14:00:00Z'));
  });

  it('refuses a window that ends before it starts', () => {
    expect(isValidWindow({ days: ['mon'], from: '17:00', to: '09:00' })).toBe(false);
    expect(isValidWindow({ days: [], from: '09:00', to: '17:00' })).toBe(false);
    expect(isValidWindow({ days: ['mon'], from: '09:00', to: '24:00' })).toBe(true);
  });
});
