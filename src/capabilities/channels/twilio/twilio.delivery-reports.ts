import { ChannelPayloadError, type DeliveryStatusUpdate, type RawInbound } from '../channel.ts';
import { readDlrDoneDate } from '../provider-time.ts';
import { twilioFailureReason } from './twilio.templates.ts';

// What Twilio posts to us, read: the form of a request, whether it is a delivery report, and the
// report itself; and the StatusCallback URL we ask Twilio to report to (decisions 0176, 0184).

export const formParams = (request: RawInbound): [string, string][] => [...new URLSearchParams(request.rawBody.toString('utf8'))];

export type Form = Map<string, string>;
export const formOf = (request: RawInbound): Form => new Map(formParams(request));

/** Inbound message, delivery status callback, or something else Twilio may post (a voice call, say). */
export function kindOf(form: Form): 'inbound' | 'status' | 'other' {
  const status = form.get('MessageStatus') ?? form.get('SmsStatus');
  // Inbound messages carry SmsStatus=received; any other status is a report on one we sent.
  if (status !== undefined && status !== 'received' && status !== 'receiving') return 'status';
  return form.has('Body') || status !== undefined ? 'inbound' : 'other';
}

/** Twilio statuses we record; the transient ones (queued, accepted, sending, scheduled) change nothing. */
export function deliveryStatus(form: Form, sid: string, receivedAt: Date): DeliveryStatusUpdate | null {
  const status = form.get('MessageStatus') ?? form.get('SmsStatus') ?? '';
  const reason = twilioFailureReason(form.get('ErrorCode') || status);
  switch (status) {
    case 'sent':
    case 'read':
      return { providerMessageId: sid, status, reason: null };
    case 'delivered': {
      // The carrier's own time, where it gave one: what staff read of a text thought lost (decision 0173).
      const doneDate = form.get('RawDlrDoneDate');
      return { providerMessageId: sid, status, reason: null, ...(doneDate ? { at: readDlrDoneDate(doneDate, receivedAt) } : {}) };
    }
    case 'undelivered': {
      // The carrier's time, as for delivered: what staff read of a text taken after all that did not reach them (decision 0176).
      const doneDate = form.get('RawDlrDoneDate');
      return { providerMessageId: sid, status: 'failed', reason, ...(doneDate ? { at: readDlrDoneDate(doneDate, receivedAt) } : {}) };
    }
    case 'failed':
    case 'canceled':
      return { providerMessageId: sid, status: 'failed', reason };
    default:
      return null;
  }
}

/** The query parameter of the StatusCallback URL that names the outbox message a text is (decision 0176). */
const OUTBOX_PARAM = 'outbox';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The path Twilio's delivery reports come in at (the status webhook's route). */
export const TWILIO_STATUS_PATH = '/webhooks/twilio/status';

/**
 * Where Twilio is asked to report on a send: the account's own delivery-report URL, else this
 * service's status webhook at its public address (decision 0184), else nowhere (null).
 */
export function statusCallbackBase(statusCallbackUrl: string | null, publicUrl: string | undefined): string | null {
  if (statusCallbackUrl) return statusCallbackUrl;
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}` : null;
}

/** The StatusCallback URL for a send: the account's, naming the outbox message when the send is one. */
export function statusCallbackFor(base: string, outboxId: string | undefined): string {
  if (outboxId === undefined) return base;
  const url = new URL(base);
  url.searchParams.set(OUTBOX_PARAM, outboxId);
  return url.toString();
}

/**
 * The outbox message a status callback names in the URL Twilio called (the one we gave it), with
 * the number the report says the text went to and the account whose token verified it (only a
 * text sent through that account is its to settle: decision 0184), or nothing for a URL that names none. The URL is
 * covered by Twilio's signature, so only the account's own callbacks can name one; a name that is
 * not one outbox id is refused (400), never looked up.
 */
export function namedOutboxOf(request: RawInbound, form: Form, accountSid: string): Pick<DeliveryStatusUpdate, 'namedOutbox'> {
  const named = new URLSearchParams(request.url.split('?')[1] ?? '').getAll(OUTBOX_PARAM);
  if (named.length === 0) return {};
  const [outboxId = ''] = named;
  if (named.length > 1 || !UUID.test(outboxId)) throw new ChannelPayloadError(`${OUTBOX_PARAM}: the callback URL must name one outbox message by its id`);
  const to = form.get('To')?.trim();
  return to ? { namedOutbox: { outboxId: outboxId.toLowerCase(), to, account: accountSid, provider: 'twilio' } } : {};
}
