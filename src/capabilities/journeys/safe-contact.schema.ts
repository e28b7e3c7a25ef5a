// Safe contact: which of a victim's channels a message may use, and when it may go. Pure: the
// preferences, the addresses we know and the time come in; decisions go out. Every journey message
// passes through here before it is queued, so no rule and no operator can go around it.

/** The channels a victim can be written to. */
export const CONTACT_CHANNELS = ['email', 'sms', 'portal', 'letter'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly window when contact is safe: on these days, from `from` to `to` ("HH:MM", from before to), local time. */
export type SafeWindow = { days: Weekday[]; from: string; to: string };

/** Safe times are the victim's own clock: UK local time, summer time included. */
export const SAFE_TIME_ZONE = 'Europe/London';

export type ContactPreferences = {
  /** In the victim's order: the first is tried first, the others are fallbacks. */
  channels: ContactChannel[];
  /** Null: the language of their report (English when not known). */
  language: 'en' | 'cy' | null;
  /** Empty: any time is safe. */
  safeWindows: SafeWindow[];
  neverSms: boolean;
  /** Only the portal inbox, which the victim opens when it is safe to (domestic abuse). */
  portalOnly: boolean;
  /** No updates beyond those the Victims' Code requires. */
  optOutNonStatutory: boolean;
  /** A victim of domestic abuse: journeys may have rules for them alone. */
  domesticAbuse: boolean;
};

/**
 * A victim who has said nothing: email, then text, then the portal, then a letter, at any time. A
 * letter goes only where none of the others can (see `allowedChannels`).
 */
export const DEFAULT_PREFERENCES: ContactPreferences = {
  channels: ['email', 'sms', 'portal', 'letter'],
  language: null,
  safeWindows: [],
  neverSms: false,
  portalOnly: false,
  optOutNonStatutory: false,
  domesticAbuse: false,
};

const CHANNEL_WORDS: Record<ContactChannel, string> = { email: 'email', sms: 'SMS', portal: 'portal', letter: 'letter' };

export type ChannelSuppression = { channel: ContactChannel; reason: string };
export type ChannelDecision = {
  /** The channels the message may use, first choice first, each with its address. */
  allowed: { channel: ContactChannel; recipient: string }[];
  /** Channels the victim chose but their preferences forbid here, with the reason. */
  suppressed: ChannelSuppression[];
};

/** Why a letter is not written to a victim of domestic abuse who did not choose letters first. */
export const DOMESTIC_ABUSE_NO_LETTER = 'domestic abuse: a letter only when they chose letters first';

/**
 * The channels a message may go by: the victim's own, in their order, less those "portal only" or
 * "never by SMS" rule out, and those whose address refuses us (a number that replied STOP), each
 * recorded with the reason, and those we have no address for. A portal-only victim is written to
 * on the portal whatever else they listed. A letter goes only as the first channel that can take
 * the message, never as another's fallback (decision 0136): it is printed and posted by hand, and
 * cannot be taken back, so one listed after a channel that can take the message is left out. A
 * victim of domestic abuse is written to only when letters come first in their own list.
 */
export function allowedChannels(
  preferences: ContactPreferences,
  addresses: Partial<Record<ContactChannel, string | null>>,
  refused: Partial<Record<ContactChannel, string>> = {},
): ChannelDecision {
  const wanted = [...new Set(preferences.portalOnly && !preferences.channels.includes('portal') ? [...preferences.channels, 'portal' as const] : preferences.channels)];
  const decision: ChannelDecision = { allowed: [], suppressed: [] };
  for (const channel of wanted) {
    if (preferences.portalOnly && channel !== 'portal') {
      decision.suppressed.push({ channel, reason: `portal only: ${CHANNEL_WORDS[channel]} never used` });
    } else if (channel === 'sms' && preferences.neverSms) {
      decision.suppressed.push({ channel, reason: 'never by SMS: SMS never used' });
    } else if (channel === 'letter' && preferences.domesticAbuse && wanted[0] !== 'letter' && addresses.letter) {
      // Post comes to the home, at no safe time, for whoever opens it: a victim of domestic abuse
      // is written to only when a letter is the way they chose first.
      decision.suppressed.push({ channel, reason: DOMESTIC_ABUSE_NO_LETTER });
    } else {
      const recipient = addresses[channel];
      const refusal = refused[channel];
      if (recipient && refusal) decision.suppressed.push({ channel, reason: refusal });
      else if (recipient) decision.allowed.push({ channel, recipient });
    }
  }
  const first = decision.allowed[0];
  if (first && first.channel !== 'letter') decision.allowed = decision.allowed.filter((c) => c.channel !== 'letter');
  return decision;
}

/** Why a whole message is not sent to this victim, or null when it may be. */
export function messageSuppression(preferences: ContactPreferences, message: { statutory: boolean }): string | null {
  if (preferences.optOutNonStatutory && !message.statutory) return 'opted out of non-statutory updates';
  return null;
}

type LocalParts = { year: number; month: number; day: number; hour: number; minute: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): LocalParts {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute) };
}

/** The instant a local wall-clock time names (the later reading when the clocks go back). */
function localToUtc(local: LocalParts, timeZone: string): Date {
  const wanted = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const seen = localParts(new Date(guess), timeZone);
    const diff = wanted - Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute);
    if (diff === 0) break;
    guess += diff;
  }
  return new Date(guess);
}

function minutesOf(time: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = time.split(':').map(Number);
  return { hour, minute };
}

/** Whether a window is well formed: "HH:MM" times, from before to, at least one day. */
export function isValidWindow(window: SafeWindow): boolean {
  const time = /^([01]\d|2[0-3]):[0-5]\d$/;
  return window.days.length > 0 && time.test(window.from) && (time.test(window.to) || window.to === '24:00') && window.from < window.to;
}

/**
 * The first moment at or after `at` inside one of the windows: `at` itself when it is inside one
 * (or there are none), else the start of the next. Days and times are local (summer time
 * included), so "09:00" is nine o'clock on the victim's clock all year round.
 */
export function nextSafeTime(windows: readonly SafeWindow[], at: Date, timeZone = SAFE_TIME_ZONE): Date {
  if (windows.length === 0) return at;
  const today = localParts(at, timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7] ?? 'mon';
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    let best: Date | null = null;
    for (const window of windows) {
      if (!window.days.includes(weekday)) continue;
      const start = localToUtc({ ...day, ...minutesOf(window.from) }, timeZone);
      const end = window.to === '24:00' ? localToUtc({ ...day, hour: 23, minute: 59 }, timeZone) : localToUtc({ ...day, ...minutesOf(window.to) }, timeZone);
      if (at.getTime() >= end.getTime()) continue;
      const candidate = at.getTime() >= start.getTime() ? at : start;
      if (!best || candidate.getTime() < best.getTime()) best = candidate;
    }
    if (best) return best;
  }
  // Windows exist but none has a day (refused when saved): hold nothing back rather than forever.
  return at;
}
