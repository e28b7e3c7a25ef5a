import type { ContactMessage } from './api/types.ts';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

// A day alone is a UK day (a court listing without its time is recorded as the UK midnight that
// starts it), shown as such wherever the browser is.
const day = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric', timeZone: 'Europe/London' });

/** A day, e.g. "17 Mar 2026", for a moment that stands for a whole UK day. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : day.format(date);
}

export function formatDateTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** How far apart a message's sent and received times must be before both are shown: clocks and queues differ by seconds. */
const SENT_TIME_SHOWN_AFTER_MS = 60_000;

/**
 * When the person sent a message, as its provider says, when that is more than a minute before (or
 * after) it reached us, so staff see both ("sent 10:02, received 10:05"); null when it is unknown or
 * close enough that the time received says it (decision 0172).
 */
export function sentTimeToShow(message: Pick<ContactMessage, 'sentAt' | 'createdAt'>): string | null {
  if (!message.sentAt) return null;
  const apart = Math.abs(Date.parse(message.createdAt) - Date.parse(message.sentAt));
  return apart > SENT_TIME_SHOWN_AFTER_MS ? message.sentAt : null;
}

/** Waiting time since `iso`, e.g. "12 min", "2 h 05 min", "3 d 4 h". */
export function formatWaiting(iso: string, now: number): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return '—';
  const minutes = Math.max(0, Math.floor((now - then) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "call_handler" → "Call handler". */
export function humanize(value: string): string {
  const text = value.replace(/[_.]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Truncate by code points so surrogate pairs (emoji) are never split. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  portal: 'Online report',
  api: 'API',
  meta: 'Facebook / Instagram',
  x: 'X',
  sms_twilio: 'SMS (Twilio)',
  sms_notify: 'SMS (Notify)',
  email: 'Email',
  phone: 'Phone',
  chat: 'Live chat',
};

/** The name an operator knows a channel by; a message's medium (WhatsApp through Twilio) names how it travelled. */
export function channelLabel(channel: string, medium?: string | null): string {
  if (medium === 'whatsapp' && channel === 'sms_twilio') return 'WhatsApp (Twilio)';
  return CHANNEL_LABELS[channel] ?? humanize(channel);
}

/** A span of whole seconds as a clock: "0:45", "12:05", "1:02:03", "2 d 3:04:05". */
export function formatClock(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const s = seconds % 60;
  const m = Math.floor(seconds / 60) % 60;
  const h = Math.floor(seconds / 3600);
  if (h === 0) return `${m}:${pad(s)}`;
  if (h < 24) return `${h}:${pad(m)}:${pad(s)}`;
  return `${Math.floor(h / 24)} d ${h % 24}:${pad(m)}:${pad(s)}`;
}

/** "Due in 1:45" while time remains, "Overdue 0:30" after; reaches "Due in 0:00" exactly at the due time. */
export function formatCountdown(remainingMs: number): string {
  return remainingMs > 0 ? `Due in ${formatClock(Math.ceil(remainingMs / 1000))}` : `Overdue ${formatClock(Math.floor(-remainingMs / 1000))}`;
}

const LANGUAGE_LABELS: Record<string, string> = { en: 'English', cy: 'Welsh (Cymraeg)' };

/** The language a person chose, by name: "cy" → "Welsh (Cymraeg)"; null when not known. */
export function languageLabel(code: string | null): string | null {
  if (!code) return null;
  return LANGUAGE_LABELS[code] ?? code;
}

/** A channel's position for a person, for reading: "51.48160° N, 3.17910° W, within 15 m". */
export function formatPlace(place: { lat: number; lon: number; radiusMetres: number | null }): string {
  const lat = `${Math.abs(place.lat).toFixed(5)}° ${place.lat < 0 ? 'S' : 'N'}`;
  const lon = `${Math.abs(place.lon).toFixed(5)}° ${place.lon < 0 ? 'W' : 'E'}`;
  const radius = place.radiusMetres === null ? '' : `, within ${Math.round(place.radiusMetres).toLocaleString('en-GB')} m`;
  return `${lat}, ${lon}${radius}`;
}

/** Where a position came from, in words. */
export function placeSourceLabel(source: 'aml' | 'shared'): string {
  return source === 'aml' ? "Caller's handset (AML)" : 'Shared by the person';
}

/** A link to the position on OpenStreetMap (the console's own map works offline; this is for a closer look). */
export function placeMapHref(place: { lat: number; lon: number }): string {
  const lat = place.lat.toFixed(5);
  const lon = place.lon.toFixed(5);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

/** Who a message is from, as the thread heads it: the channel's own record is never "From the public". */
export function messageAuthorLabel(m: Pick<ContactMessage, 'author' | 'authorName' | 'channel' | 'direction'>): string {
  if (m.author === 'staff') return `Reply from ${m.authorName ?? 'staff'}`;
  if (m.author === 'system') {
    if (m.direction === 'outbound') return 'Sent automatically';
    return m.channel === 'phone' ? 'Call record' : 'Recorded by the channel';
  }
  return 'From the public';
}

/**
 * What staff read of a failed message that went after all (decision 0173): it stays failed, but the
 * person has it (or its provider took it), and may have a second copy if it was sent again; or its
 * provider took it and then could not deliver it, so they do not have it (decision 0176).
 */
export function wentAfterAllText(
  went: { sentAt: string | null; deliveredAt: string | null; undeliveredAt?: string | null; undeliveredReason?: string | null } | null,
): string | null {
  if (!went) return null;
  if (went.deliveredAt) return `Delivered after all ${formatDateTime(went.deliveredAt)}: they may also have any copy sent since`;
  if (went.undeliveredAt) {
    const why = went.undeliveredReason ? ` (${went.undeliveredReason})` : '';
    return `Taken by the provider after all ${formatDateTime(went.sentAt)}, then not delivered ${formatDateTime(went.undeliveredAt)}${why}: they do not have it`;
  }
  return `Taken by the provider after all ${formatDateTime(went.sentAt)}, not yet known to have reached them`;
}
