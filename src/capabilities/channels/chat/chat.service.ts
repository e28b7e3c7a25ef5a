import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { withForce, withSystem, type Tx } from '../../../platform/db/database.ts';
import type { ServiceDeps } from '../../../platform/deps.ts';
import { isId, newId, type ForceId } from '../../../platform/ids.ts';
import type { SecretBox } from '../../../platform/secrets.ts';
import { findAccountForWebhook } from '../channel-accounts.service.ts';
import { openedOrNull, openSettings } from '../sealed-settings.ts';
import { secretsEqual, sha256Hex } from '../channel-kit.ts';
import { CHAT_CHANNEL, chatChannel, type ChatChannelConfig } from './chat.channel.ts';
import { findContact } from '../../contacts/contacts.repository.ts';
import { listStoredProviderMessages } from '../../contacts/messages.repository.ts';
import { storedFirst, storedLast } from '../../../platform/db/stored-order.ts';

export type ChatDeps = ServiceDeps & { secrets: SecretBox };
export type ChatAccount = { id: string; forceId: ForceId; config: ChatChannelConfig };
export type ChatSession = { id: string; forceId: ForceId; accountId: string };

/** One line of a conversation as the visitor sees it. */
export type ChatHistoryItem =
  | { from: 'visitor'; clientId: string; body: string; at: string }
  | { from: 'force'; id: string; body: string; at: string };

/** A session not used for this long is refused; the widget then starts a new one. */
export const SESSION_IDLE_MS = 30 * 24 * 60 * 60 * 1000;
/** The most lines of a conversation a visitor is sent at once, on connecting or over HTTP. */
export const HISTORY_LIMIT = 200;
/** Replies the visitor may see: the send job has run (the chat adapter cannot fail later). */
const VISIBLE_REPLY_STATUSES = ['sent', 'delivered', 'read'];

/** The enabled chat account a widget key names, with its configuration, or null. */
export async function findChatAccount(deps: ChatDeps, widgetKey: string): Promise<ChatAccount | null> {
  const account = await findAccountForWebhook(deps.db, CHAT_CHANNEL, widgetKey);
  if (!account || !account.isEnabled) return null;
  const config = openSettings(deps.secrets, account.sealedConfig, chatChannel.configSchema, 'provider');
  return { id: account.id, forceId: account.forceId, config };
}

/**
 * Every origin any enabled chat account allows. Only CORS preflights use it (they carry no
 * widget key); the requests themselves are checked against their own account.
 */
export async function allAllowedOrigins(deps: ChatDeps): Promise<Set<string>> {
  const rows = await withSystem(deps.db, (tx) =>
    tx.selectFrom('channel_accounts').select('config_ciphertext').where('channel', '=', CHAT_CHANNEL).where('is_enabled', '=', true).execute(),
  );
  const origins = new Set<string>();
  for (const row of rows) {
    // An account whose settings do not open allows no origin; the others' still work.
    const settings = openedOrNull(deps.secrets, row.config_ciphertext, chatChannel.configSchema);
    if (settings) for (const origin of settings.allowedOrigins) origins.add(origin);
  }
  return origins;
}

/** Opens a session for a visitor: a random token, of which only the hash is kept. */
export async function createChatSession(deps: ChatDeps, account: ChatAccount): Promise<{ sessionId: string; visitorToken: string }> {
  const sessionId = newId();
  const visitorToken = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await withForce(deps.db, account.forceId, (tx) =>
    tx
      .insertInto('chat_sessions')
      .values({
        id: sessionId,
        force_id: account.forceId,
        channel_account_id: account.id,
        token_hash: sha256Hex(visitorToken),
        created_at: now,
        last_seen_at: now,
      })
      .execute(),
  );
  return { sessionId, visitorToken };
}

/**
 * The session if the token is its own and it has been used recently, else null. Sessions are
 * looked up across forces by their random id (the visitor does not know the force); the token,
 * compared in constant time, is what proves it.
 */
export async function authenticateChatSession(deps: ChatDeps, sessionId: string, token: string): Promise<ChatSession | null> {
  if (!isId(sessionId) || token.length === 0 || token.length > 200) return null;
  const row = await withSystem(deps.db, (tx) =>
    tx.selectFrom('chat_sessions').select(['id', 'force_id', 'channel_account_id', 'token_hash', 'last_seen_at']).where('id', '=', sessionId).executeTakeFirst(),
  );
  if (!row || !secretsEqual(sha256Hex(token), row.token_hash)) return null;
  const now = deps.clock.now();
  if (now.getTime() - row.last_seen_at.getTime() > SESSION_IDLE_MS) return null;
  const forceId = row.force_id as ForceId;
  await withForce(deps.db, forceId, (tx) => tx.updateTable('chat_sessions').set({ last_seen_at: now }).where('id', '=', row.id).execute());
  return { id: row.id, forceId, accountId: row.channel_account_id };
}

/** Messages of the session's conversation, from the visitor's identity through its chat contacts. */
function conversation(tx: Tx, forceId: ForceId, sessionId: string) {
  return tx
    .selectFrom('identities as i')
    .innerJoin('contacts as c', (join) => join.onRef('c.person_id', '=', 'i.person_id').onRef('c.force_id', '=', 'i.force_id'))
    .innerJoin('messages as m', 'm.contact_id', 'c.id')
    .where('i.force_id', '=', forceId)
    .where('i.kind', '=', 'social')
    .where('i.value', '=', `chat:${sessionId}`)
    .where('c.channel', '=', CHAT_CHANNEL)
    .where('c.thread_key', '=', `chat:${sessionId}`);
}

/** When a visitor's message was sent, as the visitor is shown it: their time where believed, else when it reached us. */
function visitorTimeOf(row: { created_at: Date; sent_at: Date | null }): string {
  return (row.sent_at ?? row.created_at).toISOString();
}

/**
 * The most recent HISTORY_LIMIT lines of the conversation, in the order stored: the visitor's
 * messages and the replies they may see, each with when it was sent (a visitor's when believed,
 * else when it reached us, decision 0180).
 */
export async function chatHistory(deps: ChatDeps, forceId: ForceId, sessionId: string): Promise<ChatHistoryItem[]> {
  const latest = await withForce(deps.db, forceId, (tx) =>
    conversation(tx, forceId, sessionId)
      .select(['m.id', 'm.direction', 'm.body', 'm.created_at', 'm.sent_at', 'm.provider_message_id'])
      .where((eb) => eb.or([eb('m.direction', '=', 'inbound'), eb('m.delivery_status', 'in', VISIBLE_REPLY_STATUSES)]))
      .orderBy('m.created_at', 'desc')
      .orderBy('m.seq', storedLast)
      .orderBy('m.id', 'desc')
      .limit(HISTORY_LIMIT)
      .execute(),
  );
  const prefix = `${sessionId}:`;
  return latest.reverse().map((row): ChatHistoryItem => {
    if (row.direction === 'outbound') return { from: 'force', id: row.id, body: row.body, at: row.created_at.toISOString() };
    const at = visitorTimeOf(row);
    const providerId = row.provider_message_id ?? '';
    return { from: 'visitor', clientId: providerId.startsWith(prefix) ? providerId.slice(prefix.length) : providerId, body: row.body, at };
  });
}

/** One reply of the conversation, seen or not yet: `isSettled` once it will never change whether it is seen. */
export type ChatReply = { id: string; body: string; at: Date; isVisible: boolean; isSettled: boolean };

/**
 * The replies stored at or after `since` (every reply when null), in order, including those the
 * visitor may not see yet, so a caller can tell how far it has read for good.
 */
export async function chatRepliesSince(deps: ChatDeps, forceId: ForceId, sessionId: string, since: Date | null): Promise<ChatReply[]> {
  const rows = await withForce(deps.db, forceId, (tx) => {
    const replies = conversation(tx, forceId, sessionId)
      .select(['m.id', 'm.body', 'm.created_at', 'm.delivery_status'])
      .where('m.direction', '=', 'outbound')
      .orderBy('m.created_at')
      .orderBy('m.seq', storedFirst)
      .orderBy('m.id');
    return (since ? replies.where('m.created_at', '>=', since) : replies).execute();
  });
  return rows.map((row) => {
    const isVisible = VISIBLE_REPLY_STATUSES.includes(row.delivery_status ?? '');
    return { id: row.id, body: row.body, at: row.created_at, isVisible, isSettled: isVisible || row.delivery_status === 'failed' };
  });
}

/**
 * The message stored under a chat message's provider id (session and client id) on a chat account,
 * or null if none is: its text, and its time as the history gives it (decision 0180).
 */
export async function storedChatMessage(deps: ChatDeps, forceId: ForceId, accountId: string, providerMessageId: string): Promise<{ body: string; at: string } | null> {
  const stored = await withForce(deps.db, forceId, (tx) => listStoredProviderMessages(tx, forceId, CHAT_CHANNEL, providerMessageId, accountId));
  const first = stored[0];
  return first ? { body: first.body, at: visitorTimeOf(first) } : null;
}

/** The chat session a contact belongs to, or null for a contact on another channel. */
export async function sessionOfContact(deps: ChatDeps, forceId: ForceId, contactId: string): Promise<string | null> {
  if (!isId(contactId)) return null;
  const row = await withForce(deps.db, forceId, (tx) =>
    findContact(tx, forceId, contactId, ['channel', 'thread_key']),
  );
  if (row?.channel !== CHAT_CHANNEL || !row.thread_key?.startsWith('chat:')) return null;
  return row.thread_key.slice('chat:'.length);
}

/** What the portal's chat page needs: the force's name and its chat's widget key, if it has one. */
export async function portalChat(deps: ServiceDeps, forceSlug: string): Promise<{ forceName: string; widgetKey: string | null } | null> {
  const force = await withSystem(deps.db, (tx) => tx.selectFrom('forces').select(['id', 'name']).where('slug', '=', forceSlug).executeTakeFirst());
  if (!force) return null;
  const forceId = force.id as ForceId;
  // The account key of a chat account is its widget key, so the sealed configuration stays shut.
  const account = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('channel_accounts')
      .select('account_key')
      .where('force_id', '=', forceId)
      .where('channel', '=', CHAT_CHANNEL)
      .where('is_enabled', '=', true)
      // The first connected of its enabled chats, as the outbox takes its text accounts (decision 0178).
      .orderBy('created_at')
      .orderBy(sql`seq nulls first`)
      .orderBy('id')
      .executeTakeFirst(),
  );
  return { forceName: force.name, widgetKey: account?.account_key ?? null };
}
