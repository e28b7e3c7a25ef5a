import type { Tx } from '../../platform/db/database.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import { findLastInboundAt } from '../contacts/messages.repository.ts';
import { findAdapter } from './registry.ts';

/** Whether a free-form reply reaches the person now, and until when (null: they never wrote on it). */
export type ReplyWindow = { closesAt: Date | null; isOpen: boolean };

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
 * The contact's reply window at `now`: it closes the channel's hours after the person's last
 * message on the account (WhatsApp: 24). Null for a contact whose replies have no window.
 */
export async function findReplyWindow(tx: Tx, forceId: ForceId, now: Date, contact: WindowedContact): Promise<ReplyWindow | null> {
  const hours = findAdapter(contact.channel)?.replyWindowHours?.(contact.meta) ?? null;
  if (hours === null) return null;
  const lastInboundAt = await findLastInboundAt(tx, forceId, contact);
  if (!lastInboundAt) return { closesAt: null, isOpen: false };
  const closesAt = new Date(lastInboundAt.getTime() + hours * 3_600_000);
  return { closesAt, isOpen: now.getTime() < closesAt.getTime() };
}
