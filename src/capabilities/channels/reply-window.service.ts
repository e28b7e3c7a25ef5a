import type { Tx } from '../../platform/db/database.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { commentedAtOf, findLastInboundAt, findLatestInboundWithProviderId } from '../contacts/messages.repository.ts';
import type { ReplyWindowKind } from './channel.ts';
import { findAdapter } from './registry.ts';
import { openedOrNull } from './sealed-settings.ts';

/**
 * Whether a reply reaches the person now, and until when (null: they never wrote on it); `kind`
 * names the provider's rule and `hours` its length after the person's last message.
 */
export type ReplyWindow = { closesAt: Date | null; isOpen: boolean; kind: ReplyWindowKind; hours: number };

/** A contact as its reply window is found: its channel and where its conversation is held. */
export type WindowedContact = {
  id: string;
  channel: string;
  meta: { [key: string]: JsonValue };
  person_id: string | null;
  thread_key: string | null;
  channel_account_id: string | null;
};

/**
 * The contact's reply window at `now`, for its account's opened `settings` (null when they do not
 * open): it closes the channel's hours after the person's last message on the account (WhatsApp:
 * 24; Meta: 24, or 7 days as the account's settings say). Null for a contact whose replies have no window.
 */
export async function findReplyWindow(tx: Tx, forceId: ForceId, now: Date, contact: WindowedContact, settings: unknown): Promise<ReplyWindow | null> {
  const rule = findAdapter(contact.channel)?.replyWindow?.(contact.meta, settings) ?? null;
  if (rule === null) return null;
  // A comment's private reply: 7 days from the comment, by Meta's time where it gave one (decision 0112).
  const comment = rule.kind === 'meta_private_reply' ? await findLatestInboundWithProviderId(tx, forceId, contact.id) : null;
  const lastInboundAt = comment ? commentedAtOf(comment) : await findLastInboundAt(tx, forceId, contact);
  if (!lastInboundAt) return { closesAt: null, isOpen: false, ...rule };
  const closesAt = new Date(lastInboundAt.getTime() + rule.hours * 3_600_000);
  return { closesAt, isOpen: now.getTime() < closesAt.getTime(), ...rule };
}

/** Finds a contact's reply window from its account's stored settings, which only the channels room opens. */
export type ReplyWindowFinder = (tx: Tx, forceId: ForceId, now: Date, contact: WindowedContact) => Promise<ReplyWindow | null>;

/**
 * The reply windows as other rooms read them (a contact's detail): the account's settings are
 * opened here, its adapter reads the window from them, and only the window leaves, so a reader
 * holds no key and sees no setting (decision 0103). Settings that no longer open give the adapter
 * none; replies from such an account fail anyway, telling staff to connect it again.
 */
export function replyWindowFinder(secrets: SecretBox): ReplyWindowFinder {
  return async (tx, forceId, now, contact) => {
    const adapter = findAdapter(contact.channel);
    if (!adapter?.replyWindow) return null;
    let settings: unknown = null;
    if (contact.channel_account_id !== null) {
      const row = await tx
        .selectFrom('channel_accounts')
        .select('config_ciphertext')
        .where('force_id', '=', forceId)
        .where('id', '=', contact.channel_account_id)
        .executeTakeFirst();
      settings = row ? openedOrNull(secrets, row.config_ciphertext, adapter.configSchema) : null;
    }
    return findReplyWindow(tx, forceId, now, contact, settings);
  };
}
