import { createHash, timingSafeEqual } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { instantField } from '../../../platform/http/request-fields.ts';
import type { JsonValue } from '../../../platform/db/tables.ts';
import { ChannelPayloadError, ChannelSendError, type ChannelAdapter, type ChannelMessage, type RawInbound, type ConnectField } from '../channel.ts';
import { isBelievableTime, readIsoTime } from '../provider-time.ts';
import { AmlFormatError, describeAml, parseAmlHttps, parseAmlSms, type AmlRecord } from './aml.ts';

/**
 * The phone channel: 999 and 101 calls as the force's telephony platform reports them, and the
 * Advanced Mobile Location (AML) a handset sends during an emergency call. There is no common
 * standard for call records, so the platform posts our documented JSON contract (see
 * docs/channels/telephony.md); AML is ETSI TS 103 625, relayed by the platform unchanged.
 * Both are authenticated by the force's shared secret in a header. Nobody can be replied to by
 * text here: a call is answered by calling back.
 */

export const SECRET_HEADER = 'x-bluelamp-telephony-secret';

const configSchema = z.strictObject({
  secret: z.string().min(16, 'must be at least 16 characters'),
});
export type TelephonyChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`. */
const connectFields: ConnectField[] = [
  { name: 'secret', label: 'Shared secret', kind: 'secret', isOptional: false, identifiesAccount: true, hint: 'The telephony platform sends it in the X-Bluelamp-Telephony-Secret header of every call event. At least 16 characters: choose a long random value and set it on the platform.' },
];

const PHONE_MESSAGE = 'must be a phone number in E.164 (+447700900123) or UK national (07700 900123) form';

/**
 * A caller's number in E.164. "Possible" (the right length for its country), not "valid": a call
 * record must never be refused because the number-plan data is older than the number (and Ofcom's
 * drama range, 07700 900xxx, is possible but never valid).
 */
function toE164(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value.trim(), 'GB');
  return parsed?.isPossible() ? parsed.number : null;
}
const phone = z
  .string()
  .max(32)
  .transform((value, ctx) => {
    const e164 = toE164(value);
    if (!e164) ctx.addIssue({ code: 'custom', message: PHONE_MESSAGE });
    return e164 ?? value;
  });
const instant = instantField();
/** A call's time as the platform wrote it (ISO 8601 with its offset, it is documented to be). */
const callTime = z.string().max(100);

/**
 * How long after a handset's latest location (AML) on a contact of its own a call from that number,
 * presented to the force later, takes that contact over (decision 0092). A handset sends AML as
 * the emergency call is dialled; the platform presents the call once the operator connects it.
 * Measured on our clock from when the fix reached us, never from the handset's time in it, which
 * may be minutes out (decision 0113).
 */
export const AML_BEFORE_CALL_MINUTES = 10;

/**
 * How long after its call began a handset's location fix can still be that call's. A handset fixes
 * its position and sends it within about 20 seconds of the emergency call being dialled; five
 * minutes leaves room for a slow fix and for the handset's and the platform's clocks. A call that
 * began longer before the fix is an earlier call from the number, not the one the fix was sent for.
 */
export const AML_AFTER_CALL_START_MINUTES = 5;

/**
 * How far a handset's clock and the telephony platform's may differ, and how long after a call ends
 * a fix taken in it can still be stamped (a handset sends its fix once it has one, or about 20
 * seconds after dialling, even if the call is over by then). A fix whose call began (`time`), or
 * else which was taken, more than this after the caller's call ended is a later call's: it waits
 * for that call as a fix that comes first does, rather than joining the ended one (decision 0107).
 */
export const AML_CLOCK_TOLERANCE_SECONDS = 60;

/** A call's thread is `call:<callId>`. */
const CALL_THREAD_KIND = 'call';
const callThreadOf = (callId: string) => `${CALL_THREAD_KIND}:${callId}`;

/** The thread of the contact a handset's AML begins when no call of its number matches it. */
const amlThreadOf = (e164: string) => `aml:${e164}`;

const CALL_EVENTS = ['offered', 'answered', 'ended', 'abandoned', 'callback_requested'] as const;
type CallEvent = (typeof CALL_EVENTS)[number];

/** One event of one call, as the telephony platform posts it. */
const callSchema = z
  .strictObject({
    // Platform call ids are UUIDs or SIP Call-IDs (`a84b4c76e66710@pc33.example.com`): no spaces.
    callId: z.string().regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 printable characters without spaces'),
    line: z.enum(['999', '101']),
    callerNumber: phone,
    calledNumber: z.string().trim().regex(/^\+?\d{2,15}$/, 'must be the number dialled, digits only'),
    queue: z.string().trim().min(1).max(100).optional(),
    // Times are read by `readIsoTime`, never required to be times: a call is never refused for one (decision 0172).
    startedAt: callTime,
    answeredAt: callTime.optional(),
    endedAt: callTime.optional(),
    event: z.enum(CALL_EVENTS),
    callbackNumber: phone.optional(),
    notes: z.string().trim().min(1).max(2000).optional(),
  })
  .refine((call) => call.event !== 'answered' || call.answeredAt !== undefined, { message: 'an answered event needs answeredAt', path: ['answeredAt'] })
  .refine((call) => (call.event !== 'ended' && call.event !== 'abandoned') || call.endedAt !== undefined, {
    message: 'an ended or abandoned event needs endedAt',
    path: ['endedAt'],
  });
type CallRecord = z.infer<typeof callSchema>;

/** SMS AML relayed by the platform: the SMS text as received, and the number it came from. */
const amlSmsSchema = z.strictObject({
  sms: z.string().min(1).max(1000),
  from: phone,
  receivedAt: instant.optional(),
});

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function givenSecret(request: RawInbound): string | null {
  const value = request.headers[SECRET_HEADER];
  return value ? value : null;
}

function requireContentType(request: RawInbound, types: RegExp[], expected: string): string {
  const type = request.headers['content-type'] ?? '';
  if (!types.some((pattern) => pattern.test(type))) throw new ChannelPayloadError(`content type must be ${expected}`, 415);
  return type;
}

function readJson(request: RawInbound): unknown {
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new ChannelPayloadError('body is not valid JSON');
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

function duration(from: Date, to: Date): string | null {
  const seconds = Math.round((to.getTime() - from.getTime()) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

/** A readable line per event: the contact's thread reads as the call's story. */
/** A call's times that could be times, read once: any other is unknown. */
type CallTimes = { startedAt: Date | null; answeredAt: Date | null; endedAt: Date | null };

function callTimesOf(call: CallRecord, receivedAt: Date): CallTimes {
  const read = (text: string | undefined) => (text === undefined ? null : readIsoTime(text, receivedAt));
  return { startedAt: read(call.startedAt), answeredAt: read(call.answeredAt), endedAt: read(call.endedAt) };
}

function describeCall(call: CallRecord, times: CallTimes, caller: string, callback: string | null): string {
  const queue = call.queue ? ` on queue ${call.queue}` : '';
  const lines: Record<CallEvent, () => string> = {
    offered: () => `${call.line} call offered${queue} from ${caller}`,
    answered: () => `${call.line} call answered${queue}`,
    ended: () => {
      const talked = times.answeredAt && times.endedAt ? duration(times.answeredAt, times.endedAt) : null;
      return `${call.line} call ended${talked ? ` after ${talked}` : ''}`;
    },
    abandoned: () => `${call.line} call abandoned by the caller before it was answered`,
    callback_requested: () => `Caller asked to be called back on ${callback ?? caller}`,
  };
  const line = lines[call.event]();
  return call.notes ? `${line}\nNotes: ${call.notes}` : line;
}

/** When the event happened, as the platform says, or null when its time is not one. */
function eventTime(call: CallRecord, times: CallTimes): Date | null {
  if (call.event === 'answered') return times.answeredAt;
  if (call.event === 'ended' || call.event === 'abandoned') return times.endedAt;
  return times.startedAt;
}

function parseCall(request: RawInbound): ChannelMessage[] {
  requireContentType(request, [/^application\/json\b/i], 'application/json');
  const json = readJson(request);
  // An event type we do not know yet (a platform upgrade, say) is acknowledged and not stored.
  if (isRecord(json) && typeof json.event === 'string' && !(CALL_EVENTS as readonly string[]).includes(json.event)) return [];
  const parsed = callSchema.safeParse(json);
  if (!parsed.success) throw new ChannelPayloadError(issues(parsed.error));
  const call = parsed.data;
  const times = callTimesOf(call, request.receivedAt);
  // Threading needs when the call began and ended: at the latest, when the platform told us.
  const endedAt = times.endedAt ?? (call.endedAt !== undefined ? request.receivedAt : null);
  // The schema turned both numbers into E.164: the caller is one person whatever format the platform used.
  const caller = call.callerNumber;
  const callback = call.callbackNumber ?? null;
  const meta: { [key: string]: JsonValue } = {
    callId: call.callId,
    event: call.event,
    callerNumber: caller,
    calledNumber: call.calledNumber,
    queue: call.queue ?? null,
    answeredAt: times.answeredAt ? (call.answeredAt ?? null) : null,
    endedAt: times.endedAt ? (call.endedAt ?? null) : null,
  };
  return [
    {
      providerMessageId: `${call.callId}:${call.event}`,
      threadKey: callThreadOf(call.callId),
      sender: { kind: 'phone', value: caller, displayName: null },
      // Stored as the contact's `startedAt`: a handset's fix goes to the call it was dialled with.
      startedAt: times.startedAt ?? request.receivedAt,
      // A fix taken after the call ended belongs to the caller's next call (decision 0107).
      ...(endedAt ? { endedAt } : {}),
      // The handset's location may have come first: the call takes over the contact it began.
      takeOverContactOn: { threadKey: amlThreadOf(caller), withinMinutes: AML_BEFORE_CALL_MINUTES },
      // Or it came first and joined the caller's earlier call, still open: a fix that is this call's is copied onto it (decision 0120).
      claimJoinedMessages: { threadKind: CALL_THREAD_KIND, withinMinutes: AML_BEFORE_CALL_MINUTES },
      body: describeCall(call, times, caller, callback),
      sentAt: eventTime(call, times),
      line: call.line,
      // The platform's record of the call, not the caller's words.
      writtenBy: 'channel',
      // Answering the call is the force's first response.
      ...(call.event === 'answered' ? { isAnswered: true } : {}),
      // The caller asked for a call back: intake makes it a callback of its own.
      ...(call.event === 'callback_requested' ? { callbackNumber: callback ?? caller } : {}),
      meta,
    },
  ];
}

/** The HTTPS data set as a map of field names to text, from a form or a flat JSON object. */
function httpsFields(json: Record<string, unknown>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const [name, value] of Object.entries(json)) {
    if (typeof value === 'string') fields.set(name, value);
    else if (typeof value === 'number' && Number.isFinite(value)) fields.set(name, String(value));
    else if (value !== null) throw new ChannelPayloadError(`${name}: must be a string or a number`);
  }
  return fields;
}

function readAml(request: RawInbound): { record: AmlRecord; receivedAt: Date | null } {
  const type = requireContentType(
    request,
    [/^application\/x-www-form-urlencoded\b/i, /^application\/json\b/i],
    'application/x-www-form-urlencoded or application/json',
  );
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    const fields = new Map<string, string>();
    for (const [name, value] of new URLSearchParams(request.rawBody.toString('utf8'))) fields.set(name, value);
    // Some senders leave the + of an international number unencoded, and forms decode it to a space.
    const number = fields.get('device_number');
    if (number && /^ \d/.test(number)) fields.set('device_number', `+${number.slice(1)}`);
    return { record: parseAmlHttps(fields), receivedAt: null };
  }
  const json = readJson(request);
  if (!isRecord(json)) throw new ChannelPayloadError('body must be a JSON object');
  if ('sms' in json) {
    const parsed = amlSmsSchema.safeParse(json);
    if (!parsed.success) throw new ChannelPayloadError(issues(parsed.error));
    const record = parseAmlSms(parsed.data.sms);
    return { record: { ...record, deviceNumber: parsed.data.from }, receivedAt: parsed.data.receivedAt ? new Date(parsed.data.receivedAt) : null };
  }
  return { record: parseAmlHttps(httpsFields(json)), receivedAt: null };
}

function parseAml(request: RawInbound): ChannelMessage[] {
  let read;
  try {
    read = readAml(request);
  } catch (error) {
    if (error instanceof AmlFormatError) throw new ChannelPayloadError(`malformed AML: ${error.message}`);
    throw error;
  }
  const { record, receivedAt } = read;
  // When the handset fixed its position, or else when the relay received its text.
  const fixedAt = record.time ?? receivedAt;
  if (!record.deviceNumber) throw new ChannelPayloadError('malformed AML: no device_number, so no caller to attach it to');
  const device = toE164(record.deviceNumber);
  if (!device) throw new ChannelPayloadError(`malformed AML: device_number ${PHONE_MESSAGE}`);
  const aml: { [key: string]: JsonValue } = {
    transport: record.transport,
    lat: record.lat,
    lon: record.lon,
    radiusMetres: record.radiusMetres,
    time: record.time?.toISOString() ?? null,
    callStartedAt: record.callStartedAt?.toISOString() ?? null,
    positioningMethod: record.positioningMethod,
    confidencePercent: record.confidencePercent,
    emergencyNumber: record.emergencyNumber,
    imeiLast4: record.imeiLast4,
    imsiLast4: record.imsiLast4,
    networkMcc: record.networkMcc,
    networkMnc: record.networkMnc,
  };
  // Retries of one AML, however encoded, carry the same position: that is its identity.
  const identity = sha256(JSON.stringify([device, record.transport, record.lat, record.lon, record.radiusMetres, aml.time, record.positioningMethod]));
  return [
    {
      providerMessageId: `aml:${identity.slice(0, 40)}`,
      // The handset does not know the call's id, only when it fixed its position, which is after
      // its call began: the fix joins the caller's open call that began last at or before it (a
      // caller's earlier call still open is not the one they have just dialled), and otherwise
      // starts a contact of its own, which the call takes over when it is presented.
      threadKey: amlThreadOf(device),
      sender: { kind: 'phone', value: device, displayName: null },
      body: describeAml(record, device),
      sentAt: fixedAt && isBelievableTime(fixedAt, request.receivedAt) ? fixedAt : null,
      inReplyTo: [],
      joinContactStartedBy: {
        threadKind: CALL_THREAD_KIND,
        at: record.time ?? receivedAt,
        withinMinutes: AML_AFTER_CALL_START_MINUTES,
        // Not a call that ended before this fix's call began (or, without that, before it was taken),
        // nor one the caller had left for a newer call by then (decisions 0107, 0113).
        toleranceSeconds: AML_CLOCK_TOLERANCE_SECONDS,
        begunAt: record.callStartedAt,
        // A fix that reaches us during the caller's call though its time reads minutes before it (decision 0113).
        readsBeforeMinutes: AML_BEFORE_CALL_MINUTES,
      },
      // A handset sends AML only when an emergency call is dialled: a location that arrives before
      // its call (or whose call never reaches us) is a 999 contact, triaged as one.
      line: record.emergencyNumber === '112' ? '112' : '999',
      writtenBy: 'channel',
      ...(record.lat !== null && record.lon !== null
        ? { place: { lat: record.lat, lon: record.lon, radiusMetres: record.radiusMetres, source: 'aml' as const, at: record.time?.toISOString() ?? null } }
        : {}),
      meta: { aml, deviceNumber: device },
    },
  ];
}

export const telephonyChannel: ChannelAdapter<TelephonyChannelConfig> = {
  name: 'phone',
  label: 'Phone (999/101) and AML',
  canReplyInWriting: false,
  configSchema,
  connectFields,
  demoAccounts: [{ label: 'Demo telephony platform', config: { secret: 'demo-telephony-secret' } }],
  // The secret travels in its own header, not in Authorization: there is no scheme to challenge with.
  secretCredential: { missing: `No telephony secret: send it in the ${SECRET_HEADER} header`, wrong: 'Wrong telephony secret' },
  identifyAccount(request) {
    const secret = givenSecret(request);
    return secret ? sha256(secret) : null;
  },
  accountKeyOf(config) {
    return sha256(config.secret);
  },
  verify(request, config) {
    // Compared as digests: equal lengths whatever was sent, so the compare is constant-time.
    const given = createHash('sha256').update(givenSecret(request) ?? '').digest();
    const expected = createHash('sha256').update(config.secret).digest();
    return timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: 'Wrong telephony secret' };
  },
  parse(request) {
    const messages = request.path.endsWith('/aml') ? parseAml(request) : parseCall(request);
    return { messages, statuses: [] };
  },
  acknowledge(parsed) {
    return { status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, accepted: parsed.messages.length }) };
  },
  send() {
    // Text cannot reach a caller through the telephony platform; the operator calls back instead.
    return Promise.reject(new ChannelSendError('replies to calls are made by calling back', true));
  },
};
