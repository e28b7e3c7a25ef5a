import type { ServiceDeps } from '../../../platform/deps.ts';
import type { ForceId } from '../../../platform/ids.ts';
import type { SecretBox } from '../../../platform/secrets.ts';
import type { IntakeResult } from '../../intake/intake.schema.ts';
import { ingestChannelRequest, storeRejectedRequest } from '../inbound-requests.service.ts';
import { ChannelPayloadError, type RawInbound } from '../channel.ts';
import { findAccountForWebhook } from '../channel-accounts.service.ts';
import { openSettings } from '../sealed-settings.ts';
import { RCPT_HEADER, emailChannel, parseEmail, type EmailChannelConfig, type MailParserLoader } from './email.channel.ts';

/**
 * What the SMTP listener and the IMAP poller share: turning one received mail into a stored
 * request, exactly as the webhook route does for other channels (the raw mail is always kept).
 */

export type EmailAccount = { id: string; forceId: ForceId; config: EmailChannelConfig };
export type EmailDeps = ServiceDeps & { secrets: SecretBox };

/** The enabled email account for a mailbox address, with its configuration, or null. */
export async function findEmailAccount(deps: EmailDeps, address: string): Promise<EmailAccount | null> {
  const account = await findAccountForWebhook(deps.db, emailChannel.name, address.trim().toLowerCase());
  if (!account || !account.isEnabled) return null;
  const config = openSettings(deps.secrets, account.sealedConfig, emailChannel.configSchema, 'provider');
  return { id: account.id, forceId: account.forceId, config };
}

const MAX_HEADER_BYTES = 256 * 1024;

/**
 * The mail's top-level header fields, names lower-cased and repeats joined, for the stored
 * request. Our own `x-bluelamp-*` names are dropped: a sender must not be able to set them.
 */
export function topLevelHeaders(rawBody: Buffer): Record<string, string> {
  const head = rawBody.subarray(0, MAX_HEADER_BYTES).toString('latin1');
  const end = head.search(/\r?\n\r?\n/);
  const lines = (end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const match = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (!match?.[1]) continue;
    const name = match[1].toLowerCase();
    if (name.startsWith('x-bluelamp-')) continue;
    const value = (match[2] ?? '').trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return headers;
}

/** A received mail as the request the shared pipeline stores (method SMTP or IMAP). */
export function rawInboundFromMail(input: {
  rawBody: Buffer;
  recipient: string;
  method: 'SMTP' | 'IMAP';
  url: string;
  receivedAt: Date;
  /** What the transport knew: envelope sender, client address. */
  transport?: Record<string, string>;
}): RawInbound {
  const headers: Record<string, string> = { ...topLevelHeaders(input.rawBody) };
  for (const [name, value] of Object.entries(input.transport ?? {})) headers[`x-bluelamp-${name}`] = value;
  headers[RCPT_HEADER] = input.recipient.toLowerCase();
  return { method: input.method, url: input.url, path: '/', query: {}, headers, rawBody: input.rawBody, receivedAt: input.receivedAt };
}

export type EmailIngestOutcome =
  | { status: 'stored'; inboundRequestId: string; results: IntakeResult[] }
  | { status: 'quarantined'; inboundRequestId: string; reason: string };

/**
 * Stores one mail for one account: parsed into a contact message (once per Message-ID, however
 * often it is delivered), or, if it cannot be parsed, kept as a rejected request with the reason
 * so one bad mail never blocks the mailbox. Throws when the database does, or the mail parser will
 * not load (a `ModuleLoadError`): the caller then asks the sender to retry (SMTP 451) or leaves the
 * mail unseen (IMAP). `loadParser` is the process's shared loader unless a caller passes its own.
 */
export async function ingestEmail(deps: EmailDeps, account: EmailAccount, raw: RawInbound, loadParser?: MailParserLoader): Promise<EmailIngestOutcome> {
  const request = { channel: emailChannel.name, channelAccountId: account.id, request: raw };
  let parsed;
  try {
    parsed = await parseEmail(raw, loadParser);
  } catch (error) {
    if (!(error instanceof ChannelPayloadError)) throw error;
    const inboundRequestId = await storeRejectedRequest(deps, account.forceId, request, error.message);
    deps.logger.warn({ channel: emailChannel.name, inboundRequestId, reason: error.message }, 'email quarantined');
    return { status: 'quarantined', inboundRequestId, reason: error.message };
  }
  const result = await ingestChannelRequest(deps, account.forceId, { ...request, parsed });
  deps.logger.info({ channel: emailChannel.name, inboundRequestId: result.inboundRequestId, messages: result.results.length }, 'email stored');
  return { status: 'stored', inboundRequestId: result.inboundRequestId, results: result.results };
}
