import type { ParsedMail } from 'mailparser';
import type { DeliveryStatusUpdate } from '../channel.ts';

// A bounce of mail we sent (RFC 3464 delivery status notification, inside a multipart/report, RFC
// 6522) read as a failed delivery of that mail. We know which mail it was by the Message-ID we gave
// it (`<id@bluelamp.outbox>`, staff replies and the outbox's journey emails alike), which a report
// carries in the returned message or its headers, or as X-Original-Message-ID. Pure.

/**
 * The domain of the Message-IDs we give the mail we send: replies to them and bounces of them are
 * told apart from the public's own ids by it.
 */
export const OUR_MESSAGE_ID_DOMAIN = 'bluelamp.outbox';

const OUR_ID = /^<?\s*([0-9a-z][0-9a-z.-]{0,100}@bluelamp\.outbox)\s*>?$/i;
/** Parts that carry the returned message, or only its headers (RFC 6522, RFC 6533 for the global ones). */
const RETURNED_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/global', 'message/global-headers']);
const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
/** Longest reason kept: the first line a person reads in the console's delivery error. */
const MAX_REASON_CHARS = 300;

type Fields = Map<string, string>;

/** The header-style fields of one block of lines (`Name: value`, folded lines joined), names lower-cased. */
function fieldsOf(block: string): Fields {
  const fields: Fields = new Map();
  let last: string | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && last) {
      fields.set(last, `${fields.get(last) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = null;
      continue;
    }
    last = line.slice(0, colon).trim().toLowerCase();
    // The first of a repeated field counts, as for the headers a mail reader shows.
    if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
    else last = null;
  }
  return fields;
}

/** The header section of a returned message (up to its first empty line). */
function headerSection(text: string): string {
  const end = text.search(/\r?\n\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

/** Our Message-ID (without angle brackets), or null for anyone else's. */
function ourId(value: string | undefined): string | null {
  if (!value) return null;
  const match = OUR_ID.exec(value.trim());
  return match?.[1]?.toLowerCase() ?? null;
}

/** Whether the mail is a delivery status report (multipart/report; report-type=delivery-status). */
export function isDeliveryReport(mail: Pick<ParsedMail, 'headers'>): boolean {
  const type = mail.headers.get('content-type');
  if (!type || typeof type !== 'object' || !('value' in type)) return false;
  const { value, params } = type as { value: string; params?: Record<string, string> };
  return value.toLowerCase() === 'multipart/report' && /^(global-)?delivery-status$/i.test(params?.['report-type'] ?? '');
}

/**
 * The recipients' blocks of the report's delivery-status part: each block of fields naming an
 * Action. The part is found among the attachments, or (as the mail parser files it) in the text.
 */
function recipientBlocks(mail: Pick<ParsedMail, 'attachments' | 'text'>): { perMessage: Fields; recipients: Fields[] } {
  const parts = mail.attachments.filter((part) => STATUS_TYPES.has(part.contentType.toLowerCase())).map((part) => part.content.toString('utf8'));
  const texts = parts.length > 0 ? parts : [mail.text ?? ''];
  const perMessage: Fields = new Map();
  const recipients: Fields[] = [];
  for (const text of texts) {
    for (const block of text.split(/\r?\n[ \t]*\r?\n/)) {
      const fields = fieldsOf(block);
      if (fields.has('action') && (fields.has('final-recipient') || fields.has('status'))) recipients.push(fields);
      else if (fields.has('reporting-mta')) for (const [key, value] of fields) if (!perMessage.has(key)) perMessage.set(key, value);
    }
  }
  return { perMessage, recipients };
}

/** Whether a recipient's block says delivery failed for good (not delayed, relayed or delivered). */
function isPermanentFailure(fields: Fields): boolean {
  // RFC 3464 2.3.3: "failed" is final, whatever the status code; "delayed" is still being tried.
  return (fields.get('action') ?? '').trim().toLowerCase().startsWith('failed');
}

/** What the receiving server said, for the person who reads the delivery error. */
function reasonOf(fields: Fields): string {
  const recipient = (fields.get('final-recipient') ?? '').replace(/^rfc822\s*;\s*/i, '').trim();
  const diagnostic = (fields.get('diagnostic-code') ?? '').replace(/^smtp\s*;\s*/i, '').trim();
  const status = fields.get('status')?.trim();
  const said = diagnostic || (status ? `status ${status}` : 'no reason given');
  const reason = `bounced${recipient ? ` by the mail server for ${recipient}` : ''}: ${said}`;
  return reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS - 1)}…` : reason;
}

/**
 * The mail of ours this report says could not be delivered, as failed delivery statuses: none when
 * the mail is not a delivery report, when no recipient failed for good (a delay, a relay), or when
 * it names no Message-ID of ours. One status per id of ours it names.
 */
export function bouncedStatusesOf(mail: Pick<ParsedMail, 'headers' | 'attachments' | 'text'>): DeliveryStatusUpdate[] {
  if (!isDeliveryReport(mail)) return [];
  const { perMessage, recipients } = recipientBlocks(mail);
  const failed = recipients.find(isPermanentFailure);
  if (!failed) return [];
  const ids = new Set<string>();
  const original = ourId(perMessage.get('x-original-message-id'));
  if (original) ids.add(original);
  for (const part of mail.attachments) {
    if (!RETURNED_TYPES.has(part.contentType.toLowerCase())) continue;
    const id = ourId(fieldsOf(headerSection(part.content.toString('utf8'))).get('message-id'));
    if (id) ids.add(id);
  }
  const reason = reasonOf(failed);
  return [...ids].map((providerMessageId) => ({ providerMessageId, status: 'failed' as const, reason }));
}
