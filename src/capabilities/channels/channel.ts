import type { z } from 'zod';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { MailerPool } from '../../platform/mail/mailer.ts';
import type { Clock } from '../../platform/clock.ts';
import type { IdentityKind } from '../people/people.schema.ts';
import type { InboundMessage } from '../intake/intake.schema.ts';
import type { FieldIssue } from '../../platform/errors.ts';

/**
 * The contract every channel adapter implements. An adapter knows one provider's wire format and
 * nothing else: the inbound pipeline, threading, identities, storage and retries are shared.
 * Nothing outside `src/capabilities/channels/<name>/` knows which provider a channel is.
 */

/** An HTTP request exactly as the provider sent it: signatures are computed over these bytes. */
export type RawInbound = {
  method: string;
  /** The full URL the provider called, as it sees it (PUBLIC_URL-based), for URL-signing schemes. */
  url: string;
  path: string;
  query: Record<string, string>;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  rawBody: Buffer;
  receivedAt: Date;
};

/** The most of a file's bytes kept (10 MB); a larger one keeps its hash only, or is refused where its channel says so. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export type InboundAttachment = {
  filename: string | null;
  declaredType: string | null;
  content: Buffer | null;
  /**
   * When the provider only gives a link, the size and hash are taken once we fetch it. An adapter
   * with `openAttachment` may store its own reference here instead (WhatsApp's media id).
   */
  url?: string;
  /** The SHA-256 the provider gave for the file (hex), which the download must match. */
  declaredSha256?: string;
};

/**
 * A linked attachment as an adapter opens it: the provider's answer with the bytes, with the
 * hashes it declared for them (hex) and the kinds of file the channel carries; or why it is
 * refused for good. A failure worth trying again later is thrown instead.
 */
export type OpenedAttachment =
  | { response: Response; sha256s: string[]; allowedTypes: ReadonlySet<string> }
  /** `retryable`: refused until something outside the file is mended (an account's revoked token), so staff may try again. */
  | { refusal: string; retryable?: boolean };

/**
 * One message from the public as an adapter parses it: the message intake records (the fields it
 * acts on are typed there), and its attachments, which the channel side stores and fetches.
 */
export type ChannelMessage = InboundMessage & { attachments?: InboundAttachment[] };

/** A provider's report on a message we sent. */
export type DeliveryStatusUpdate = {
  providerMessageId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  reason: string | null;
  /** The reference we gave the provider when sending, echoed back (Notify). */
  reference?: string | null;
  /** About a kind of message only the outbox sends (a Notify email): never a thread's reply. */
  isOutboxOnly?: boolean;
  /** When the provider says it happened, if it says and it is believable (Twilio's RawDlrDoneDate on a delivered text). */
  at?: Date | null;
  /** When the report reached us, when that was before now (it waited in the backlog). */
  heardAt?: Date;
  /**
   * The provider account whose credentials verified the report (Twilio's Account SID), for a
   * provider whose force may connect several: a report waiting for its send settles only a
   * message sent through that account (decision 0196). Absent for providers with none.
   */
  account?: string;
  /** The provider that sent the report, as metrics and logs name it ('twilio'), when it has accounts to check. */
  provider?: string;
  /**
   * The outbox message the report names (the id we put in the callback URL we gave the provider),
   * the number it says the message went to, the provider account it came from (the one its request
   * was verified with), and the provider as the outbox names it: found by these when the provider's
   * id was never recorded (decisions 0176, 0184).
   */
  namedOutbox?: { outboxId: string; to: string; account: string; provider: string };
};

/** What an adapter makes of a verified request. */
export type ParsedInbound = {
  messages: ChannelMessage[];
  statuses: DeliveryStatusUpdate[];
  /**
   * Events of a batch the adapter could not read, each as where and why. The rest of the batch is
   * stored and the provider answered as usual (it would resend the same bytes for ever), and the
   * request is kept as rejected, with these reasons, for a replay once the parser is fixed.
   */
  unreadable?: string[];
  /**
   * Numbers that told the provider to stop (or start again) texting them: recorded against the
   * person in the transaction that stores the request, so no journey, outbox message or reply
   * texts a number that said STOP.
   */
  smsOptOuts?: SmsOptOutChange[];
};

/** A number (E.164) that replied STOP (`opted_out`) or START (`opted_in`) to our texts. */
export type SmsOptOutChange = { phoneNumber: string; change: 'opted_out' | 'opted_in' };

/** A direct answer to the provider (handshakes, challenges) instead of ingesting anything. */
export type DirectResponse = { status: number; contentType: string; body: string };

export type OutboundMessage = {
  body: string;
  /** The person's handle on this channel. */
  recipient: { kind: IdentityKind; value: string };
  threadKey: string | null;
  /** The provider id of the newest inbound message of the thread, to reply in place. */
  replyToProviderMessageId: string | null;
  /** The contact's reference, for subjects and for the person to quote. */
  reference: string;
  /** The contact's channel metadata (from its first inbound message). */
  contactMeta: { [key: string]: JsonValue };
  /** Stable per outbound message: providers that support idempotency keys get it. */
  idempotencyKey: string;
  /**
   * True when the channel's reply window (`replyWindow`) has closed for this person: the
   * provider delivers only an approved template, so the adapter sends the account's template or
   * refuses (ChannelSendError, permanent) with the reason staff read (decisions 0097, 0103).
   */
  isOutsideReplyWindow?: boolean;
  /** The language the person chose or wrote in (`en`, `cy`), when known: it picks a template's language. */
  language?: string | null;
  /**
   * The provider id of the message staff chose to answer ("reply to this message"), for a channel
   * that can quote (`canQuote`): WhatsApp's `context.message_id`, email's In-Reply-To. Null otherwise.
   */
  quotesProviderMessageId?: string | null;
  /**
   * The outbox message this is, for a provider whose delivery reports come to a URL we give with
   * each send (Twilio's StatusCallback): the URL names it, so a report finds it even when its send
   * never recorded the provider's id (decision 0176). Absent for a thread's reply.
   */
  outboxId?: string;
};

/**
 * Which provider rule a reply window is: WhatsApp's customer service window (`whatsapp`), Meta's
 * messaging window for a Page's or Instagram account's direct replies (`meta_message`), or Meta's
 * days for one private reply to a comment (`meta_private_reply`).
 */
export type ReplyWindowKind = 'whatsapp' | 'meta_message' | 'meta_private_reply';

/** How long after the person's last message a reply may go, and under which rule. */
export type ReplyWindowRule = { hours: number; kind: ReplyWindowKind };

/** What a provider answered a send with, and anything staff should know of how it went (shown beside the message). */
export type SentMessage = { providerMessageId: string; note?: string };

/**
 * What an adapter reaches its provider with: the guarded HTTP client, the process's mailers, the
 * address the outbound guard approved for each of its `outboundTargets` (by field), which a
 * non-HTTP connection (SMTP) must connect to instead of looking the name up again, the clock
 * (a request signed with its time, as the API channel's callbacks are, is signed as it is sent),
 * and the service's public address (PUBLIC_URL), where a provider posts its reports back when the
 * account names no address of its own (decision 0184); never a target we call.
 */
export type SendVia = { fetch: typeof fetch; mailers: MailerPool; approvedAddresses: ReadonlyMap<string, string>; clock: Clock; publicUrl?: string | undefined };

/** Raised by `parse` for a payload that is not what the provider sends: the request gets a 400. */
export class ChannelPayloadError extends Error {
  override name = 'ChannelPayloadError';
  constructor(
    message: string,
    /** 415 for a content type the provider never sends; 400 otherwise. */
    readonly status: 400 | 415 = 400,
  ) {
    super(message);
  }
}

/** Raised by `send` with the provider's reason; the job retries, then shows it to the operator. */
export class ChannelSendError extends Error {
  override name = 'ChannelSendError';
  constructor(
    message: string,
    readonly isPermanent = false,
  ) {
    super(message);
  }
}

/**
 * One setting of a channel's connect form, as a force admin reads it. `name` is its place in the
 * configuration (dotted inside a nested object: `imap.host`). Every credential is a `secret`: the
 * console shows it as a password input and nothing ever sends its value back.
 */
export type ConnectField = {
  name: string;
  label: string;
  /** What it is, and where to find it at the provider. */
  hint: string;
  kind: 'text' | 'secret' | 'url' | 'email' | 'number' | 'boolean' | 'lines' | 'choice';
  /** Left blank, the setting takes its default (or none). Inside a nested object: when the object is given. */
  isOptional: boolean;
  /** What a blank optional setting takes, when that is a value (never for a credential). */
  default?: string | number | boolean;
  /** The values a `choice` takes, each with what an admin calls it. */
  options?: { value: string; label: string }[];
  /** Only for configurations whose `platform` is one of these (Meta: a Page, an Instagram account or the app's webhook). */
  platforms?: string[];
  /**
   * The account is known by this setting: connecting again with the same value replaces the
   * account's settings and credentials; a different value connects another account.
   */
  identifiesAccount?: boolean;
};

export type ChannelAdapter<Config> = {
  /** The channel name stored on contacts and messages, e.g. `sms_twilio`. */
  name: string;
  /** Human name for the console. */
  label: string;
  /** False when nobody can be answered in writing here (a call is answered by calling back). */
  canReplyInWriting?: boolean;
  /** Validates a force's configuration (credentials included) before it is stored. */
  configSchema: z.ZodType<Config>;
  /** The fields of the console's connect form: exactly the keys of `configSchema` (a test holds them together). */
  connectFields: ConnectField[];
  /** The provider account this (unverified) request claims to be for, or null if it names none. */
  identifyAccount(request: RawInbound): string | null;
  /**
   * Set where the account is known by a hash of a secret every request carries (decision 0101): a
   * request without it, or with one no account has, is answered 401 with these reasons, so a wrong
   * secret reads exactly as "no such account" does; `challenge` is the WWW-Authenticate scheme, where there is one.
   */
  secretCredential?: { missing: string; wrong: string; challenge?: 'Bearer' };
  /**
   * Every account a POST holds events for, when the provider batches several accounts' events in
   * one request (Meta: one entry per Page or Instagram account). With it, each account's part is
   * verified, parsed and stored for that account; without it, `identifyAccount` routes the request.
   */
  identifyAccounts?(request: RawInbound): string[];
  /**
   * The part of a batch that is one account's (its entries only), kept in that account's force
   * when the batch holds accounts of more than one force: no force keeps another force's events.
   */
  partFor?(request: RawInbound, accountKey: string): RawInbound;
  /** The account key of a stored configuration (the same value `identifyAccount` finds). */
  accountKeyOf(config: Config): string;
  /**
   * The provider account a message sent with this configuration goes through, as its reports'
   * `account` names it (Twilio's Account SID); absent for providers with none (decision 0196).
   */
  sendingAccountOf?(config: Config): string;
  /** Answers handshakes (e.g. Meta's hub.challenge, X's CRC); null if the request is not one. */
  handshake?(request: RawInbound, config: Config): DirectResponse | null;
  /** Checks the request's signature or token. */
  verify(request: RawInbound, config: Config): { ok: true } | { ok: false; reason: string };
  /** Parses a verified request; throws (or rejects with) ChannelPayloadError for anything malformed. */
  parse(request: RawInbound, config: Config): ParsedInbound | Promise<ParsedInbound>;
  /** What the provider expects back once we have stored its request. */
  acknowledge?(parsed: ParsedInbound): DirectResponse;
  /** The fixed, documented accounts of the demo force (never created in production), with labels. */
  demoAccounts?: { label: string; config: Config }[];
  /**
   * Whether this configuration is the demo's stand-in for a real account: it would still send a
   * credential published in `demoAccounts` to the provider's real address. Nothing is sent
   * through a stand-in: replies fail with a reason, the outbox holds its texts (decision 0057).
   */
  isDemoStandIn?(config: Config): boolean;
  /** The provider as staff know it, in reasons shown to them ("GOV.UK Notify could not be reached"). */
  providerName?: string;
  /**
   * Whether a reply on a contact with this metadata can name one earlier message of the
   * conversation (decision 0110); without it, a reply that asks to is sent unquoted and staff are told.
   */
  canQuote?(contactMeta: { [key: string]: JsonValue }): boolean;
  /** Whether a reply on a contact with this metadata is a text, which a number that replied STOP may not get. */
  isTextMessage?(contactMeta: { [key: string]: JsonValue }): boolean;
  /**
   * The window within which a reply may go, for a contact with this metadata on an account with
   * these settings (null when they no longer open): hours after the person's last message on the
   * account (WhatsApp's customer service window, 24; Meta's messaging window, 24 or 7 days) and
   * which rule it is. Null or absent when replies have no window. Settings are opened by the
   * channels room only, and only the window leaves it (decision 0103).
   */
  replyWindow?(contactMeta: { [key: string]: JsonValue }, settings: Config | null): ReplyWindowRule | null;
  /** Sends a reply through the provider; returns the provider's id for the sent message. */
  send(message: OutboundMessage, config: Config, via: SendVia): Promise<SentMessage>;
  /** Headers needed to download an attachment the provider only links to (e.g. HTTP Basic auth). */
  attachmentRequestHeaders?(config: Config): Record<string, string>;
  /**
   * Opens an attachment the provider names by reference rather than by a link one request can
   * fetch (WhatsApp's media id: a look-up for a short-lived link, then the file, each with the
   * account's token). Every request goes through `fetcher`, the outbound guard. Null for a plain
   * link, fetched as any other.
   */
  openAttachment?(reference: string, config: Config, fetcher: typeof fetch): Promise<OpenedAttachment> | null;
  /** Every URL this configuration makes the server connect to, by setting: checked when saved and before each send. */
  outboundTargets?(config: Config): OutboundTarget[];
};

/** One URL a channel configuration makes the server reach, and the setting it comes from. */
export type OutboundTarget = {
  field: string;
  url: string;
  /** Reached to receive (a polled mailbox), not to send: not checked before a send. */
  isForReceiving?: boolean;
};

/** A channel adapter with its configuration type erased, for the registry. */
export type AnyChannelAdapter = Omit<ChannelAdapter<never>, 'demoAccounts'> & {
  demoAccounts?: { label: string; config: unknown }[];
  configSchema: z.ZodType;
  accountKeyOf(config: unknown): string;
  sendingAccountOf?(config: unknown): string;
  handshake?(request: RawInbound, config: unknown): DirectResponse | null;
  verify(request: RawInbound, config: unknown): { ok: true } | { ok: false; reason: string };
  parse(request: RawInbound, config: unknown): ParsedInbound | Promise<ParsedInbound>;
  send(message: OutboundMessage, config: unknown, via: SendVia): Promise<SentMessage>;
  attachmentRequestHeaders?(config: unknown): Record<string, string>;
  openAttachment?(reference: string, config: unknown, fetcher: typeof fetch): Promise<OpenedAttachment> | null;
  outboundTargets?(config: unknown): OutboundTarget[];
  isDemoStandIn?(config: unknown): boolean;
  replyWindow?(contactMeta: { [key: string]: JsonValue }, settings: unknown): ReplyWindowRule | null;
};

/** Lower-cases header names and joins repeated headers, as the adapters expect. */
export function normaliseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

/**
 * A refused setting of a connect request, where it sits in the request (`body.config.imap.host`)
 * and named as the connect form names it ("IMAP server"; "Websites that may embed the chat, line 2").
 */
export function settingIssue(adapter: Pick<AnyChannelAdapter, 'connectFields'>, path: readonly PropertyKey[], message: string): FieldIssue {
  const keys = path.filter((key): key is string => typeof key === 'string');
  const line = path.find((key): key is number => typeof key === 'number');
  const field = keys.length > 0 ? adapter.connectFields.find((f) => f.name === keys.join('.')) : undefined;
  const label = field && (line === undefined ? field.label : `${field.label}, line ${line + 1}`);
  return { path: ['body', 'config', ...path.map(String)].join('.'), message, ...(label ? { label } : {}) };
}
