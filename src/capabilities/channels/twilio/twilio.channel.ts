import { z } from 'zod';
import {
  ChannelPayloadError,
  ChannelSendError,
  type ChannelAdapter,
  type ChannelMessage,
  type InboundAttachment,
  type SmsOptOutChange,
  type ConnectField,
} from '../channel.ts';
import { isPublishedCredentialFor } from '../channel-kit.ts';
import type { SharedPlace } from '../../intake/intake.schema.ts';
import { WHATSAPP_WINDOW_HOURS } from '../reply-window.ts';
import { TWILIO_WINDOW_CLOSED_CODE, templateFieldsFor, twilioFailureReason, whatsAppTemplateFields, whatsAppTemplateSettings } from './twilio.templates.ts';
import { isTwilioSignatureOf } from './twilio.signature.ts';
import { deliveryStatus, formOf, formParams, kindOf, namedOutboxOf, statusCallbackBase, statusCallbackFor, type Form } from './twilio.delivery-reports.ts';

/**
 * Twilio Programmable Messaging (SMS and MMS, and WhatsApp on the same number). Twilio posts
 * inbound messages to the number's messaging webhook and delivery reports to the StatusCallback
 * URL we give when sending, both as form-encoded bodies signed with X-Twilio-Signature. Replies go
 * through the Messages REST API. See docs/channels/sms-twilio.md.
 */
const E164 = /^\+[1-9]\d{6,14}$/;

/** Twilio names WhatsApp addresses `whatsapp:+E164`, in webhooks and in the Messages API alike. */
const WHATSAPP_PREFIX = 'whatsapp:';

/** How a message travels through Twilio: a text message, or WhatsApp. */
type TwilioMedium = 'sms' | 'whatsapp';

/** A Twilio address without its medium: `whatsapp:+447700900123` is the number `+447700900123` on WhatsApp. */
function splitAddress(address: string): { medium: TwilioMedium; number: string } {
  const trimmed = address.trim();
  if (trimmed.toLowerCase().startsWith(WHATSAPP_PREFIX)) return { medium: 'whatsapp', number: trimmed.slice(WHATSAPP_PREFIX.length).trim() };
  return { medium: 'sms', number: trimmed };
}

/** The address Twilio expects for a number on a medium. */
const addressOn = (medium: TwilioMedium, number: string) => (medium === 'whatsapp' ? `${WHATSAPP_PREFIX}${number}` : number);

/** The medium a contact's messages travel on, from its stored metadata (contacts from before WhatsApp are SMS). */
const mediumOfMeta = (meta: { [key: string]: unknown }): TwilioMedium => (meta.medium === 'whatsapp' ? 'whatsapp' : 'sms');

const configSchema = z.strictObject({
  accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be a Twilio Account SID (AC followed by 32 hex digits)'),
  authToken: z.string().min(8, 'must be the account auth token'),
  /** Our Twilio number, E.164: the account key, and the sender of replies. */
  phoneNumber: z.string().regex(E164, 'must be an E.164 number such as +447700900001'),
  /** Where Twilio reports delivery of our texts; null for this service's own (PUBLIC_URL + /webhooks/twilio/status) when PUBLIC_URL is set. */
  statusCallbackUrl: z.url().nullable().default(null),
  apiBaseUrl: z.url().default('https://api.twilio.com'),
  ...whatsAppTemplateSettings,
});
export type TwilioChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`. */
const connectFields: ConnectField[] = [
  { name: 'accountSid', label: 'Account SID', kind: 'text', isOptional: false, hint: 'AC followed by 32 hex digits, under Account Info in the Twilio Console.' },
  { name: 'authToken', label: 'Auth token', kind: 'secret', isOptional: false, hint: 'Beside the Account SID under Account Info in the Twilio Console. It checks Twilio’s requests and sends replies.' },
  { name: 'phoneNumber', label: 'Twilio phone number', kind: 'text', isOptional: false, identifiesAccount: true, hint: 'The force’s Twilio number in international form, such as +447700900001, under Phone Numbers, Active numbers.' },
  {
    name: 'statusCallbackUrl',
    label: 'Delivery report URL',
    kind: 'url',
    isOptional: true,
    hint: 'Where Twilio reports whether replies and journey texts reached the person. Leave blank to use this service’s own address (its public address followed by /webhooks/twilio/status); if the service has no public address set, blank means no reports, and texts never show as delivered or failed.',
  },
  { name: 'apiBaseUrl', label: 'Twilio API address', kind: 'url', isOptional: true, default: 'https://api.twilio.com', hint: 'Change it only for a training simulator.' },
  ...whatsAppTemplateFields,
];

/** A location the person shared (WhatsApp sends `Latitude` and `Longitude`): the operator sees it as a place. */
function sharedPlaceOf(form: Form): { place?: SharedPlace } {
  const lat = Number.parseFloat(form.get('Latitude') ?? '');
  const lon = Number.parseFloat(form.get('Longitude') ?? '');
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return {};
  return { place: { lat, lon, radiusMetres: null, source: 'shared', at: null } };
}

function attachmentsOf(form: Form): InboundAttachment[] {
  const count = Math.min(Number.parseInt(form.get('NumMedia') ?? '0', 10) || 0, 20);
  const attachments: InboundAttachment[] = [];
  for (let i = 0; i < count; i += 1) {
    const url = form.get(`MediaUrl${i}`);
    // Only web links: the console shows these to staff, so nothing like javascript: gets through.
    if (!url || !/^https?:\/\//i.test(url)) continue;
    attachments.push({ filename: null, declaredType: form.get(`MediaContentType${i}`) ?? null, content: null, url });
  }
  return attachments;
}

const required = (form: Form, name: string): string => {
  const value = form.get(name)?.trim();
  if (!value) throw new ChannelPayloadError(`${name} is missing`);
  return value;
};

/**
 * Twilio's standard opt-out, opt-in and help keywords: Twilio acts on a text that is only one of
 * them (any case, spaces around) by blocking or unblocking the number and answering it itself.
 * With Advanced Opt-Out a Messaging Service has its own keywords, and names the kind in `OptOutType`.
 */
const OPT_OUT_KEYWORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN_KEYWORDS = new Set(['START', 'YES', 'UNSTOP']);
const HELP_KEYWORDS = new Set(['HELP', 'INFO']);

/**
 * What Twilio took this inbound text as: an opt-out, an opt-in or a help keyword rather than a
 * message to us, or null for a message. Twilio's own `OptOutType` decides when it names one.
 */
function keywordOf(form: Form, medium: TwilioMedium): 'stop' | 'start' | 'help' | null {
  const optOutType = form.get('OptOutType')?.trim().toUpperCase();
  if (optOutType) return optOutType === 'STOP' ? 'stop' : optOutType === 'START' ? 'start' : 'help';
  // Twilio filters keywords on SMS; on WhatsApp "stop" is just a word someone wrote.
  if (medium !== 'sms') return null;
  const word = (form.get('Body') ?? '').trim().toUpperCase();
  if (OPT_OUT_KEYWORDS.has(word)) return 'stop';
  if (OPT_IN_KEYWORDS.has(word)) return 'start';
  return HELP_KEYWORDS.has(word) ? 'help' : null;
}

/** What a keyword changes for the number: STOP opts it out, START back in; HELP changes nothing. */
function optOutChangeOf(keyword: 'stop' | 'start' | 'help', from: { medium: TwilioMedium; number: string }): SmsOptOutChange[] {
  // Only a real number's texts are blocked by Twilio (a WhatsApp opt-out is not a text one).
  if (keyword === 'help' || from.medium !== 'sms' || !E164.test(from.number)) return [];
  return [{ phoneNumber: from.number, change: keyword === 'stop' ? 'opted_out' : 'opted_in' }];
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The demo number's account sid and auth token: published, so they must never reach Twilio itself. */
const DEMO_ACCOUNT_SID = 'AC00000000000000000000000000000001';
const DEMO_AUTH_TOKEN = 'demo-twilio-auth-token';

export const twilioSmsChannel: ChannelAdapter<TwilioChannelConfig> = {
  name: 'sms_twilio',
  label: 'SMS (Twilio)',
  providerName: 'Twilio',
  configSchema,
  connectFields,
  demoAccounts: [
    {
      label: 'Demo Twilio number',
      config: {
        accountSid: DEMO_ACCOUNT_SID,
        authToken: DEMO_AUTH_TOKEN,
        phoneNumber: '+447700900001',
        statusCallbackUrl: null,
        apiBaseUrl: 'https://api.twilio.com',
        whatsappTemplateSid: null,
        whatsappTemplateSidWelsh: null,
        whatsappTemplateCarries: 'message',
      },
    },
  ],
  isDemoStandIn(config) {
    return isPublishedCredentialFor(
      { credentials: [config.accountSid, config.authToken], url: config.apiBaseUrl },
      { published: [DEMO_ACCOUNT_SID, DEMO_AUTH_TOKEN], domains: ['twilio.com'] },
    );
  },
  identifyAccount(request) {
    const form = formOf(request);
    // Inbound messages are to our number; delivery reports are about messages from it.
    // A WhatsApp message is to (or from) the same number with Twilio's `whatsapp:` prefix.
    const address = kindOf(form) === 'status' ? form.get('From') : form.get('To');
    return address ? splitAddress(address).number || null : null;
  },
  accountKeyOf(config) {
    return config.phoneNumber;
  },
  sendingAccountOf(config) {
    return config.accountSid;
  },
  verify(request, config) {
    const given = request.headers['x-twilio-signature'];
    if (!given) return { ok: false, reason: 'missing X-Twilio-Signature' };
    const params = formParams(request);
    const ok = isTwilioSignatureOf(config.authToken, request.url, params, given);
    return ok ? { ok: true } : { ok: false, reason: 'wrong X-Twilio-Signature' };
  },
  parse(request, config) {
    if (!/^application\/x-www-form-urlencoded\b/i.test(request.headers['content-type'] ?? '')) {
      throw new ChannelPayloadError('content type must be application/x-www-form-urlencoded', 415);
    }
    const form = formOf(request);
    const kind = kindOf(form);
    if (kind === 'other') return { messages: [], statuses: [] };
    const sid = form.get('MessageSid')?.trim() || form.get('SmsSid')?.trim();
    if (!sid) throw new ChannelPayloadError('MessageSid is missing');
    if (kind === 'status') {
      const named = namedOutboxOf(request, form, config.accountSid);
      // A report through another account's callbacks (its own AccountSid) names nothing of this one's.
      const isThisAccount = (form.get('AccountSid') ?? config.accountSid) === config.accountSid;
      const status = deliveryStatus(form, sid, request.receivedAt);
      // The account whose token verified the report, never the form's AccountSid (the signer chooses that): decision 0196.
      return { messages: [], statuses: status ? [{ ...status, account: config.accountSid, provider: 'twilio', ...(isThisAccount ? named : {}) }] : [] };
    }
    const from = splitAddress(required(form, 'From'));
    // The number becomes the person's identity, which must fit its index; no number or sender id is this long.
    if (from.number.length > 32) throw new ChannelPayloadError('From: must be a phone number or sender id of at most 32 characters');
    const to = splitAddress(required(form, 'To')).number;
    if (!form.has('Body')) throw new ChannelPayloadError('Body is missing');
    // A keyword is Twilio's business: the person opted out (or in), not a report. It is kept with
    // the raw request, and opens no contact, so no acknowledgement goes to a number that said STOP;
    // the opt-out is recorded against the number, so nothing of ours tries to text it.
    const keyword = keywordOf(form, from.medium);
    if (keyword) return { messages: [], statuses: [], smsOptOuts: optOutChangeOf(keyword, from) };
    const attachments = attachmentsOf(form);
    const isWhatsApp = from.medium === 'whatsapp';
    const message: ChannelMessage = {
      providerMessageId: sid,
      // One conversation per person per force number and medium: SMS has no threads of its own,
      // and a reply must go back on the medium the person wrote on.
      threadKey: `${from.medium}:${to}`,
      // The person is their phone number on either medium, so their texts and WhatsApp messages
      // are one person's (each medium its own contact).
      sender: { kind: 'phone', value: from.number, displayName: isWhatsApp ? form.get('ProfileName')?.trim() || null : null },
      body: form.get('Body') ?? '',
      sentAt: null,
      meta: {
        medium: from.medium,
        to,
        accountSid: form.get('AccountSid') ?? null,
        messagingServiceSid: form.get('MessagingServiceSid') ?? null,
        // The attachments table keeps no link yet, so the message keeps Twilio's media links.
        media: attachments.map((a) => ({ url: a.url ?? null, contentType: a.declaredType })),
      },
      attachments,
      ...sharedPlaceOf(form),
    };
    return { messages: [message], statuses: [] };
  },
  acknowledge() {
    // An empty TwiML response: store, and send no automatic reply.
    return { status: 200, contentType: 'text/xml', body: EMPTY_TWIML };
  },
  outboundTargets(config) {
    return [{ field: 'apiBaseUrl', url: config.apiBaseUrl }];
  },
  attachmentRequestHeaders(config) {
    // Twilio serves media to the account that owns it (HTTP Basic auth with the account's credentials).
    return { authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}` };
  },
  isTextMessage(contactMeta) {
    return mediumOfMeta(contactMeta) === 'sms';
  },
  replyWindow(contactMeta) {
    return mediumOfMeta(contactMeta) === 'whatsapp' ? { hours: WHATSAPP_WINDOW_HOURS, kind: 'whatsapp' } : null;
  },
  async send(message, config, { fetch: fetcher, publicUrl }) {
    if (message.recipient.kind !== 'phone') throw new ChannelSendError('the contact has no phone number', true);
    const medium = mediumOfMeta(message.contactMeta);
    // Outside WhatsApp's window only the number's approved template is delivered: it goes instead of the body.
    const template = medium === 'whatsapp' && message.isOutsideReplyWindow ? templateFieldsFor(message, config) : null;
    const form = new URLSearchParams({ To: addressOn(medium, message.recipient.value), From: addressOn(medium, config.phoneNumber), ...(template?.fields ?? { Body: message.body }) });
    const callbackBase = statusCallbackBase(config.statusCallbackUrl, publicUrl);
    if (callbackBase) form.set('StatusCallback', statusCallbackFor(callbackBase, message.outboxId));
    const url = `${config.apiBaseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
    const response = await fetcher(url, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        // No idempotency header: Twilio's Messages API takes none (its I-Twilio-Idempotency-Token is
        // on the webhooks it sends us). A send whose outcome is unknown is decided by the outbox
        // instead (decision 0163): sent again only for what a victim must have.
      },
      body: form.toString(),
    });
    const json: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const error = z.object({ code: z.number().optional(), message: z.string().optional() }).safeParse(json);
      const detail = error.success ? [error.data.code, error.data.message].filter((part) => part !== undefined).join(' ') : '';
      if (error.success && String(error.data.code) === TWILIO_WINDOW_CLOSED_CODE) throw new ChannelSendError(twilioFailureReason(TWILIO_WINDOW_CLOSED_CODE), true);
      const reason = `Twilio answered ${response.status}${detail ? `: ${detail}` : ''}`.slice(0, 500);
      throw new ChannelSendError(reason, response.status >= 400 && response.status < 500 && response.status !== 429);
    }
    const created = z.object({ sid: z.string().min(1) }).safeParse(json);
    // Twilio may have queued the message: failing for good is better than texting the person twice.
    if (!created.success) throw new ChannelSendError('Twilio answered without a message sid', true);
    return { providerMessageId: created.data.sid, ...(template ? { note: template.note } : {}) };
  },
};
