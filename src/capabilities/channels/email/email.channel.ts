import { createHash } from 'node:crypto';
import type { ParsedMail, simpleParser } from 'mailparser';
import { z } from 'zod';
import type { JsonValue } from '../../../platform/db/tables.ts';
import { loadOnFirstUse } from '../../../platform/load-on-first-use.ts';
import { smtpUrlSchema } from '../../../platform/mail/smtp-url.ts';
import {
  ChannelPayloadError,
  ChannelSendError,
  type ChannelAdapter,
  type ChannelMessage,
  type InboundAttachment,
  type ParsedInbound,
  type RawInbound,
  type OutboundTarget,
  type ConnectField,
} from '../channel.ts';
import { automaticReasonOf } from './email.automatic.ts';
import { OUR_MESSAGE_ID_DOMAIN, bouncedStatusesOf } from './email.bounce.ts';
import { declareLegacyCharsets, legacyHeaderText } from './email.charset.ts';
import { stripHtmlCheaply } from './email.html-text.ts';
import { readTextTime } from '../provider-time.ts';

/**
 * The email channel: the force's public mailbox (e.g. contact@force.police.uk). Mail reaches us
 * through our own SMTP listener (the force's MX or a forwarding rule points at it) or by polling
 * the mailbox over IMAP; replies go out through the force's SMTP server, threaded with
 * In-Reply-To/References so the person's answer comes back to the same contact.
 */

/** Set by the listener and the IMAP poller: the mailbox the mail was delivered to (the account key). */
export const RCPT_HEADER = 'x-bluelamp-rcpt';
/** Set by the listener: the SMTP envelope sender (MAIL FROM), empty for a bounce. */
const ENVELOPE_FROM_HEADER = 'x-bluelamp-mail-from';
/** A contact reference as the force writes it, e.g. DEMO-2026-000123, quoted in subjects. */
const REFERENCE_PATTERN = /\b[A-Z]{2,8}-\d{4}-\d{6}\b/;
const DEFAULT_SUBJECT = 'Your contact with us';
const MAX_BODY_CHARS = 100_000;
/** RFC 5321 allows a path of 256 octets with its angle brackets: no real address is longer. */
const MAX_ADDRESS_CHARS = 254;
/**
 * html-to-text holds the event loop for about half a second per megabyte of HTML (every request
 * of the process waits meanwhile): HTML longer than this is stripped cheaply instead.
 */
const MAX_HTML_TO_CONVERT = 100_000;
/** How much of HTML too long to convert is stripped for its text: more than the body keeps. */
const MAX_HTML_TO_STRIP = 300_000;
/** Ends a stored text that is not the whole of the mail's (the raw mail is always kept). */
const TEXT_CUT_NOTE = '[This email is longer than shown here: the rest is in the original mail.]';

const imapSchema = z.strictObject({
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535).default(993),
  secure: z.boolean().default(true),
  user: z.string().min(1).max(320),
  password: z.string().min(1).max(1000),
  mailbox: z.string().min(1).max(200).default('INBOX'),
  pollSeconds: z.number().int().min(10).max(3600).default(60),
});

const configSchema = z.strictObject({
  /** The force's public mailbox; lower-cased, it is the account key. */
  address: z.email().max(254).transform((address) => address.toLowerCase()),
  displayName: z.string().trim().min(1).max(200),
  /** Outgoing mail server for replies, e.g. smtps://user:password@smtp.example.net:465. Without it, replies fail. */
  smtpUrl: smtpUrlSchema.nullable().default(null),
  /** Optional: poll this mailbox instead of (or as well as) receiving through the SMTP listener. */
  imap: imapSchema.nullable().default(null),
});
export type EmailChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`; the IMAP ones only to poll the mailbox. */
const IMAP_ONLY = 'Leave every IMAP setting blank to receive mail through the mail listener only.';
const connectFields: ConnectField[] = [
  { name: 'address', label: 'Mailbox address', kind: 'email', isOptional: false, identifiesAccount: true, hint: 'The force’s public mailbox, such as contact@force.police.uk. Its mail reaches Bluelamp through the mail listener (the MX record or a forwarding rule points at it) or by polling over IMAP.' },
  { name: 'displayName', label: 'Sender name', kind: 'text', isOptional: false, hint: 'The name replies come from, such as Demo Constabulary.' },
  { name: 'smtpUrl', label: 'Outgoing mail server (SMTP URL)', kind: 'secret', isOptional: true, hint: 'Replies go out through it, such as smtps://user:password@smtp.force.police.uk:465: it holds the password. Leave blank and replies cannot be sent.' },
  { name: 'imap.host', label: 'IMAP server', kind: 'text', isOptional: false, hint: `To poll the mailbox, its IMAP server’s name, such as imap.force.police.uk. ${IMAP_ONLY}` },
  { name: 'imap.port', label: 'IMAP port', kind: 'number', isOptional: true, default: 993, hint: 'The port the mail provider gives for IMAP.' },
  { name: 'imap.secure', label: 'Connect to the IMAP server over TLS', kind: 'boolean', isOptional: true, default: true, hint: 'Leave ticked unless the mail provider says otherwise.' },
  { name: 'imap.user', label: 'IMAP user name', kind: 'text', isOptional: false, hint: 'The mailbox’s sign-in name at the mail provider, often its address.' },
  { name: 'imap.password', label: 'IMAP password', kind: 'secret', isOptional: false, hint: 'The mailbox’s password, or an app password the mail provider issues for it.' },
  { name: 'imap.mailbox', label: 'IMAP folder', kind: 'text', isOptional: true, default: 'INBOX', hint: 'The folder new mail arrives in.' },
  { name: 'imap.pollSeconds', label: 'Seconds between checks', kind: 'number', isOptional: true, default: 60, hint: 'How often the mailbox is checked, from 10 to 3600 seconds.' },
];

// ---------------------------------------------------------------------------------------------
// Inbound

/** Angle-bracketed ids of a Message-ID, In-Reply-To or References header, brackets removed. */
function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '');
  const bracketed = [...text.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? '');
  // Some mailers drop the brackets; a bare token is still the id.
  const ids = bracketed.length > 0 ? bracketed : text.split(/\s+/).filter((token) => token.includes('@'));
  return ids.filter((id) => id.length > 0 && id.length <= 500);
}

/** The value of a raw header line (`Name: value`, folded), unfolded. */
const headerLineValue = (line: string) => line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();

export type AuthenticationResult = { authservId: string; spf: string | null; dkim: string | null; dmarc: string | null };

/**
 * Reads one Authentication-Results header (RFC 8601): the host that checked, and the spf, dkim
 * and dmarc results. Comments and quoted strings are dropped first (they may hold `;` and `=`).
 * Any sender can write this header, so it is recorded for the operator, never trusted.
 */
export function parseAuthenticationResults(value: string): AuthenticationResult {
  let plain = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i] ?? '';
    if (quoted) {
      if (char === '\\') i += 1;
      else if (char === '"') quoted = false;
    } else if (char === '"' && depth === 0) {
      quoted = true;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')' && depth > 0) {
      depth -= 1;
    } else if (char === '\\' && depth > 0) {
      i += 1;
    } else if (depth === 0) {
      plain += char;
    }
  }
  const [servPart = '', ...resinfos] = plain.split(';');
  const results: Record<string, string[]> = {};
  for (const resinfo of resinfos) {
    const match = /^\s*([a-z0-9_-]+)\s*(?:\/\s*\d+\s*)?=\s*([a-z]+)/i.exec(resinfo);
    if (!match?.[1] || !match[2]) continue;
    const method = match[1].toLowerCase();
    (results[method] ??= []).push(match[2].toLowerCase());
  }
  // One passing DKIM signature is what DMARC counts; otherwise report the first result.
  const pick = (method: string) => {
    const found = results[method] ?? [];
    return found.includes('pass') ? 'pass' : (found[0] ?? null);
  };
  return { authservId: servPart.trim().split(/\s+/)[0] ?? '', spf: pick('spf'), dkim: pick('dkim'), dmarc: pick('dmarc') };
}

/** The declared type exactly as the part said it (mailparser guesses one for octet-stream). */
function declaredTypeOf(attachment: ParsedMail['attachments'][number]): string | null {
  const header = attachment.headers.get('content-type');
  if (header && typeof header === 'object' && 'value' in header && typeof header.value === 'string') return header.value.toLowerCase();
  return attachment.contentType || null;
}

/** The mail's Date, or when we received it if that is missing or not a time it could have been sent. */
/** When the mail says it was written (its Date header), or null when it says none that could be a time. */
function sentAtOf(mail: ParsedMail, receivedAt: Date): Date | null {
  // mailparser reports "now" for an unreadable Date header; read the header ourselves.
  const line = mail.headerLines.find((header) => header.key === 'date');
  return line ? readTextTime(headerLineValue(line.line), receivedAt) : null;
}

/** The header fields that say which message this is; trace fields added on the way (Received, DKIM, spam scores) are not among them. */
const IDENTIFYING_HEADERS = ['from', 'to', 'cc', 'date', 'subject'];

/**
 * The key of a mail without a Message-ID: a hash of the fields its writer set and of its body, so
 * the same mail reaching us through two relays (each adding its own Received, Return-Path,
 * signatures and spam headers) is one message. Line endings and trailing spaces, which relays may
 * change, are left out.
 */
function contentKeyOf(mail: ParsedMail, rawBody: Buffer): string {
  const hash = createHash('sha256');
  for (const key of IDENTIFYING_HEADERS) {
    const values = mail.headerLines.filter((header) => header.key === key).map((header) => headerLineValue(header.line).replace(/\s+/g, ' '));
    hash.update(`${key}:${JSON.stringify(values)}\n`);
  }
  const head = rawBody.subarray(0, 256 * 1024).toString('latin1');
  const separator = /\r?\n\r?\n/.exec(head);
  const body = separator ? rawBody.subarray(separator.index + separator[0].length) : Buffer.alloc(0);
  hash.update('\n');
  hash.update(body.toString('latin1').replace(/[ \t]*\r?\n/g, '\n').trimEnd(), 'latin1');
  return hash.digest('hex');
}

/**
 * The mail's text. HTML mailparser did not convert (too long, or nested too deep for html-to-text)
 * is stripped cheaply from its start; `isCut` says some of it was left out.
 */
function textOf(mail: ParsedMail): { text: string; isCut: boolean } {
  const text = (mail.text ?? '').trim();
  if (!mail.textConversionError || typeof mail.html !== 'string') return { text, isCut: false };
  const stripped = stripHtmlCheaply(mail.html, MAX_HTML_TO_STRIP);
  return { text: [text, stripped.text].filter(Boolean).join('\n\n'), isCut: stripped.isCut };
}

/** The subject; raw 8-bit bytes that are not UTF-8 (an old mailer's) read as windows-1252. */
function subjectOf(mail: ParsedMail): string {
  const decoded = mail.subject ?? '';
  if (!decoded.includes('\uFFFD')) return decoded;
  const line = mail.headerLines.find((header) => header.key === 'subject');
  return (line && !line.line.includes('=?') ? legacyHeaderText(headerLineValue(line.line)) : null) ?? decoded;
}

/** Turns a decoded mail into the shared inbound shape. */
function toParsedInbound(mail: ParsedMail, request: RawInbound): ParsedInbound {
  const { rawBody } = request;
  const from = mail.from?.value.find((address) => address.address && address.address.includes('@'));
  if (!from?.address) throw new ChannelPayloadError('the mail has no From address');
  // The address becomes the person's identity: one longer than any mail server accepts is not a
  // person's, and would not fit the identities index (PostgreSQL refuses the row).
  const senderAddress = from.address.trim();
  if (senderAddress.length > MAX_ADDRESS_CHARS) {
    throw new ChannelPayloadError(`the From address is ${senderAddress.length} characters long; an address has at most ${MAX_ADDRESS_CHARS} (RFC 5321)`);
  }
  const ownId = messageIds(mail.messageId)[0] ?? contentKeyOf(mail, rawBody);
  const references = messageIds(mail.references);
  const inReplyTo = messageIds(mail.inReplyTo);
  const subject = subjectOf(mail).replace(/[\r\n\t]+/g, ' ').trim().slice(0, 998);
  const { text, isCut } = textOf(mail);
  const whole = text || subject || '(empty email)';
  const body = isCut || whole.length > MAX_BODY_CHARS ? `${whole.slice(0, MAX_BODY_CHARS - TEXT_CUT_NOTE.length - 2)}\n\n${TEXT_CUT_NOTE}` : whole;

  const authentication: JsonValue[] = mail.headerLines
    .filter((header) => header.key === 'authentication-results')
    .slice(0, 5)
    .map((header) => parseAuthenticationResults(headerLineValue(header.line)));
  const meta: { [key: string]: JsonValue } = { subject: subject || null, authentication };
  const autoSubmitted = mail.headerLines.find((header) => header.key === 'auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(headerLineValue(autoSubmitted.line))) meta.autoSubmitted = headerLineValue(autoSubmitted.line).slice(0, 100);
  // Channel-neutral names: the acknowledgement (and anything else that answers by itself) reads them.
  const automaticReason = automaticReasonOf(mail.headerLines, request.headers[ENVELOPE_FROM_HEADER], from.address);
  if (automaticReason) {
    meta.isAutomatic = true;
    meta.automaticReason = automaticReason;
  }
  if (mail.textConversionError) meta.htmlNotConverted = true;

  const attachments: InboundAttachment[] = mail.attachments.map((attachment) => ({
    filename: attachment.filename ?? null,
    declaredType: declaredTypeOf(attachment),
    content: attachment.content,
  }));
  const message: ChannelMessage = {
    providerMessageId: ownId,
    // The thread's root as far as the mail says; a fresh mail starts its own thread.
    threadKey: references[0] ?? inReplyTo[0] ?? ownId,
    sender: { kind: 'email', value: senderAddress, displayName: from.name.trim().slice(0, 200) || null },
    body,
    sentAt: sentAtOf(mail, request.receivedAt),
    inReplyTo: [...new Set([...inReplyTo, ...references])],
    // A reference in the subject (ours, on a reply) joins that contact if it is the sender's.
    referenceHint: REFERENCE_PATTERN.exec(subject)?.[0] ?? null,
    meta,
    attachments,
  };
  // A bounce of mail we sent fails that mail (a journey email then goes by the victim's next channel).
  return { messages: [message], statuses: bouncedStatusesOf(mail) };
}

/** mailparser, loaded by the first mail a process reads (decision 0148). */
const loadMailparser = loadOnFirstUse('the mail parser (mailparser)', () => import('mailparser'));

/** How a mail's reader gets mailparser: the process's shared loader, or one a caller passes. */
export type MailParserLoader = () => Promise<{ simpleParser: typeof simpleParser }>;

async function decodeMime(rawBody: Buffer, loadParser: MailParserLoader): Promise<ParsedMail> {
  if (rawBody.length === 0) throw new ChannelPayloadError('the mail is empty');
  // Outside the try: a parser that will not load is the installation's fault, not the mail's, so
  // the mail is not quarantined as unreadable but left for the sender or the next poll to retry.
  const { simpleParser } = await loadParser();
  try {
    return await simpleParser(rawBody, {
      // Only the text is kept: no HTML rendering, no inlined images, no hashing we redo anyway.
      skipTextToHtml: true,
      skipImageLinks: true,
      keepCidLinks: true,
      checksumAlgo: false,
      maxHtmlLengthToParse: MAX_HTML_TO_CONVERT,
    });
  } catch (error) {
    throw new ChannelPayloadError(`unreadable MIME: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Parses a received mail (the listener, the poller and replay all come through here). */
export async function parseEmail(request: RawInbound, loadParser: MailParserLoader = loadMailparser): Promise<ParsedInbound> {
  let mail = await decodeMime(request.rawBody, loadParser);
  const hasUndecodedBytes = (mail.text || '').includes('\uFFFD') || (typeof mail.html === 'string' && mail.html.includes('\uFFFD'));
  if (hasUndecodedBytes) {
    // A text part with no charset that is not UTF-8: read again with the legacy default declared.
    const declared = declareLegacyCharsets(request.rawBody);
    if (declared) mail = await decodeMime(declared, loadParser);
  }
  return toParsedInbound(mail, request);
}

// ---------------------------------------------------------------------------------------------
// Outbound

/** `Re: <their subject> [<reference>]`, so the person's answer carries the reference back. */
export function replySubject(original: JsonValue | undefined, reference: string): string {
  // eslint-disable-next-line no-control-regex -- control characters (line breaks above all) are what this takes out of a header
  const base = (typeof original === 'string' ? original.replace(/[\x00-\x1f\x7f]+/g, ' ').trim() : '') || DEFAULT_SUBJECT;
  const withRe = /^re\s*:/i.test(base) ? base : `Re: ${base}`;
  return withRe.includes(reference) ? withRe : `${withRe} [${reference}]`;
}

function smtpResponseCode(error: unknown): number | null {
  if (!error || typeof error !== 'object' || !('responseCode' in error)) return null;
  return typeof error.responseCode === 'number' ? error.responseCode : null;
}

export const emailChannel: ChannelAdapter<EmailChannelConfig> = {
  name: 'email',
  label: 'Email',
  configSchema,
  connectFields,
  demoAccounts: [{ label: 'Demo mailbox', config: { address: 'contact@demo.police.uk', displayName: 'Demo Constabulary', smtpUrl: null, imap: null } }],
  identifyAccount(request) {
    const rcpt = request.headers[RCPT_HEADER]?.trim().toLowerCase();
    return rcpt ? rcpt : null;
  },
  accountKeyOf(config) {
    return config.address.toLowerCase();
  },
  verify() {
    // Mail carries no shared-secret signature: SPF/DKIM/DMARC results are recorded by `parse`
    // (meta.authentication) for the operator to weigh, never used to accept or refuse.
    return { ok: true };
  },
  parse(request) {
    return parseEmail(request);
  },
  outboundTargets(config) {
    const targets: OutboundTarget[] = config.smtpUrl ? [{ field: 'smtpUrl', url: config.smtpUrl }] : [];
    if (config.imap) {
      const scheme = config.imap.secure ? 'imaps' : 'imap';
      const host = config.imap.host.includes(':') ? `[${config.imap.host}]` : config.imap.host;
      targets.push({ field: 'imap.host', url: `${scheme}://${host}:${config.imap.port}`, isForReceiving: true });
    }
    return targets;
  },
  // A reply to one chosen mail names it in In-Reply-To (its Message-ID is its provider id).
  canQuote() {
    return true;
  },
  async send(message, config, { mailers, approvedAddresses }) {
    if (!config.smtpUrl) throw new ChannelSendError('no outgoing mail server (smtpUrl) is configured for this mailbox', true);
    const replyTo = message.quotesProviderMessageId ?? message.replyToProviderMessageId;
    // The thread root first (when it is a real Message-ID), then the mail we answer (RFC 5322 3.6.4).
    const references = [...new Set([message.threadKey, replyTo].filter((id): id is string => !!id && id.includes('@')))];
    const messageId = `${message.idempotencyKey}@${OUR_MESSAGE_ID_DOMAIN}`;
    try {
      await mailers.mailerFor(config.smtpUrl, approvedAddresses.get('smtpUrl')).send({
        from: { name: config.displayName, address: config.address },
        to: message.recipient.value,
        subject: replySubject(message.contactMeta.subject, message.reference),
        text: message.body,
        messageId: `<${messageId}>`,
        ...(replyTo ? { inReplyTo: `<${replyTo}>` } : {}),
        references: references.map((id) => `<${id}>`),
      });
    } catch (error) {
      const code = smtpResponseCode(error);
      const reason = error instanceof Error ? error.message : String(error);
      throw new ChannelSendError(`sending the reply failed: ${reason}`, code !== null && code >= 500 && code < 600);
    }
    return { providerMessageId: messageId };
  },
};
