import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import { isConnectionLost } from '../../../platform/db/connection-errors.ts';
import type { ForceId } from '../../../platform/ids.ts';
import type { LiveHub, LiveMessage } from '../../../platform/realtime/live.ts';
import { ChannelPayloadError, type ParsedInbound, type RawInbound } from '../channel.ts';
import { ingestChannelRequest } from '../inbound-requests.service.ts';
import { CHAT_CHANNEL, SESSION_HEADER, chatChannel } from './chat.channel.ts';
import { REPLACED_CLOSE_CODE, type ChatSockets } from './chat.limits.ts';
import {
  HISTORY_LIMIT,
  authenticateChatSession,
  chatHistory,
  chatRepliesSince,
  sessionOfContact,
  storedChatMessage,
  type ChatAccount,
  type ChatDeps,
  type ChatSession,
} from './chat.service.ts';
import type { ChatServerFrame } from './chat.schema.ts';

/**
 * One visitor's socket. The protocol, in frames of JSON text:
 *   client → `{type:'auth', sessionId, token}` first, within AUTH_TIMEOUT_MS (else close 4401);
 *   server → `{type:'history', welcomeMessage, messages}` (the latest HISTORY_LIMIT lines, on every connect);
 *   client → `{type:'message', clientId, text, name?, email?}`;
 *   server → `{type:'ack', clientId, reference, at}` once stored (`at` as the history gives it), `{type:'reply', id, body, at}` for
 *            each operator reply, `{type:'error', reason, clientId?}` for a frame it cannot use.
 * A bad frame never closes the socket; flooding (4429), oversized frames (1009) and a chat that
 * was disabled or no longer allows the page's site (4403, at the next message) do, and a
 * session's oldest socket is closed (4409) when it opens more than ChatSockets allows.
 */

export const AUTH_TIMEOUT_MS = 10_000;
export const MAX_FRAME_BYTES = 16 * 1024;
const FLOOD_WINDOW_MS = 10_000;
const FLOOD_MAX_FRAMES = 20;
/** The header, set by the route from the request, that holds the visitor's address. */
export const REMOTE_ADDRESS_HEADER = 'x-bluelamp-remote-address';
/** Keeps idle sockets open through proxies that drop quiet connections (often after 60 s). */
const PING_INTERVAL_MS = 30_000;
/** How soon a reply push interrupted by a lost database connection is tried again. */
const PUSH_RETRY_MS = 1_000;
export const CLOSE_CODES = { unauthenticated: 4401, closedChat: 4403, replaced: REPLACED_CLOSE_CODE, flooding: 4429, tooLarge: 1009, internal: 1011 } as const;

const authFrameSchema = z.strictObject({ type: z.literal('auth'), sessionId: z.string().max(100), token: z.string().max(200) });

/** Where the socket was opened, as stored with each frame (the request log shows it). */
export type FrameContext = { url: string; query: Record<string, string>; headers: Record<string, string> };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Which chat session a contact belongs to, remembered: every `queue.changed` of the force reaches
 * every chat socket of this process, and this keeps that to one lookup per contact. A contact
 * never changes channel or thread, so the answer never goes stale.
 */
export class ContactSessions {
  private readonly known = new Map<string, string | null>();
  private readonly pending = new Map<string, Promise<string | null>>();
  constructor(private readonly deps: ChatDeps) {}

  sessionOf(forceId: ForceId, contactId: string): Promise<string | null> {
    const cached = this.known.get(contactId);
    if (cached !== undefined) return Promise.resolve(cached);
    const inFlight = this.pending.get(contactId);
    if (inFlight) return inFlight;
    const lookup = sessionOfContact(this.deps, forceId, contactId)
      .then((sessionId) => {
        if (this.known.size >= 10_000) this.known.clear();
        this.known.set(contactId, sessionId);
        return sessionId;
      })
      .finally(() => this.pending.delete(contactId));
    this.pending.set(contactId, lookup);
    return lookup;
  }
}

export type ConnectionDeps = ChatDeps & {
  hub: LiveHub;
  contacts: ContactSessions;
  sockets: ChatSockets;
  /** Whether the chat is still enabled and still allows the socket's origin (an admin may change either). */
  isChatOpen: () => Promise<boolean>;
};

export class ChatConnection {
  private session: ChatSession | null = null;
  private closed = false;
  private readonly frameTimes: number[] = [];
  /** Frames and reply pushes run one at a time, in order: acks follow the visitor's order. */
  private work: Promise<void> = Promise.resolve();
  private pushQueued = false;
  private readonly shownReplies = new Set<string>();
  /** Replies stored before this time are settled and shown (or not for this socket): pushes read from here. */
  private replyCursor: Date | null = null;
  private authTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly deps: ConnectionDeps,
    private readonly account: ChatAccount,
    private readonly context: FrameContext,
    private readonly log: FastifyBaseLogger,
  ) {}

  private get address(): string {
    return this.context.headers[REMOTE_ADDRESS_HEADER] ?? '';
  }

  start(): void {
    this.socket.on('close', () => this.dispose());
    this.socket.on('error', () => this.dispose());
    if (!this.deps.sockets.admit(this.address, this)) return this.close(CLOSE_CODES.flooding, 'too many chats from this address');
    this.authTimer = setTimeout(() => this.close(CLOSE_CODES.unauthenticated, 'authentication required'), AUTH_TIMEOUT_MS);
    this.pingTimer = setInterval(() => {
      if (this.socket.readyState === this.socket.OPEN) this.socket.ping();
    }, PING_INTERVAL_MS);
    this.socket.on('message', (data, isBinary) => this.onFrame(toBuffer(data), isBinary));
  }

  private onFrame(bytes: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    if (bytes.length > MAX_FRAME_BYTES) return this.close(CLOSE_CODES.tooLarge, 'frame too large');
    const now = this.deps.clock.now().getTime();
    while (this.frameTimes.length > 0 && now - (this.frameTimes[0] ?? now) >= FLOOD_WINDOW_MS) this.frameTimes.shift();
    this.frameTimes.push(now);
    if (this.frameTimes.length > FLOOD_MAX_FRAMES) return this.close(CLOSE_CODES.flooding, 'too many frames');
    // The socket's own budget alone would let one visitor flood through many sockets.
    if (!this.deps.sockets.takeFrame(this.address, this.session?.id ?? null, now)) return this.close(CLOSE_CODES.flooding, 'too many frames');
    // A frame that arrived is stored even if the socket closes before its turn: the visitor may
    // have pressed the quick exit straight after sending.
    this.enqueue(() => (this.session ? this.handle(this.session, bytes, isBinary) : this.authenticate(bytes, isBinary)), { evenIfClosed: true });
  }

  /** Queues a task; only frames already received (`evenIfClosed`) still run once the socket has closed. */
  private enqueue(task: () => Promise<void>, { evenIfClosed = false } = {}): void {
    this.work = this.work
      .then(() => (this.closed && !evenIfClosed ? undefined : task()))
      .catch((error: unknown) => {
        this.log.error({ err: error, channel: CHAT_CHANNEL }, 'chat socket failed');
        this.close(CLOSE_CODES.internal, 'internal error');
      });
  }

  private async authenticate(bytes: Buffer, isBinary: boolean): Promise<void> {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
    const frame = authFrameSchema.safeParse(isBinary ? undefined : parseJson(bytes));
    if (!frame.success) return this.close(CLOSE_CODES.unauthenticated, 'the first frame must be auth');
    const session = await authenticateChatSession(this.deps, frame.data.sessionId, frame.data.token);
    // A session belongs to one widget: the origin was checked against that widget's account.
    if (!session || session.accountId !== this.account.id) return this.close(CLOSE_CODES.unauthenticated, 'unknown session or wrong token');
    // Frames queued behind this one are stored even when the socket has closed meanwhile.
    this.session = session;
    if (this.closed) return;
    this.deps.sockets.join(session.id, this);
    if (this.closed) return;
    // Subscribed before reading the history, so no reply falls between the two; pushes queue
    // behind this task, and a reply already in the history is never pushed twice.
    this.unsubscribe = this.deps.hub.subscribe(session.forceId, (message) => this.onLive(session, message));
    const messages = await chatHistory(this.deps, session.forceId, session.id);
    for (const item of messages) if (item.from === 'force') this.shownReplies.add(item.id);
    // Replies older than a full history were left out of it on purpose: pushes start at its first line.
    const first = messages[0];
    if (messages.length >= HISTORY_LIMIT && first) this.replyCursor = new Date(first.at);
    this.sendFrame({ type: 'history', welcomeMessage: this.account.config.welcomeMessage, messages });
  }

  private async handle(session: ChatSession, bytes: Buffer, isBinary: boolean): Promise<void> {
    if (isBinary) return this.sendFrame({ type: 'error', reason: 'frames must be JSON text' });
    const json = parseJson(bytes);
    if (!isRecord(json)) return this.sendFrame({ type: 'error', reason: 'the frame is not a JSON object' });
    const clientId = typeof json.clientId === 'string' ? json.clientId.slice(0, 100) : undefined;
    const withClientId = clientId === undefined ? {} : { clientId };
    if (json.type === 'message') return this.ingest(session, bytes, withClientId);
    if (json.type === 'auth') return this.sendFrame({ type: 'error', reason: 'already authenticated', ...withClientId });
    return this.sendFrame({ type: 'error', reason: 'unknown frame type', ...withClientId });
  }

  /** Stores the frame like any provider request; the ack goes out only after the commit. */
  private async ingest(session: ChatSession, bytes: Buffer, withClientId: { clientId?: string }): Promise<void> {
    if (!(await this.deps.isChatOpen())) {
      this.sendFrame({ type: 'error', reason: 'the chat is closed; the message was not stored', ...withClientId });
      return this.close(CLOSE_CODES.closedChat, 'the chat is closed');
    }
    const request: RawInbound = {
      method: 'WS',
      url: this.context.url,
      path: '/chat/socket',
      query: this.context.query,
      headers: { ...this.context.headers, [SESSION_HEADER]: session.id },
      rawBody: bytes,
      receivedAt: this.deps.clock.now(),
    };
    let parsed: ParsedInbound;
    try {
      parsed = await chatChannel.parse(request, this.account.config);
    } catch (error) {
      if (!(error instanceof ChannelPayloadError)) throw error;
      // Not kept in the request log: the visitor is told at once and can send it again.
      return this.sendFrame({ type: 'error', reason: error.message, ...withClientId });
    }
    // A client id names one message: the widget shows the conversation by it, so a second text
    // under the same id would never be seen after a reload. Intake stores one message per id; a
    // text sent under it at the same moment as another is found out once stored.
    const message = parsed.messages[0];
    const storedUnderId = () => (message?.providerMessageId ? storedChatMessage(this.deps, session.forceId, this.account.id, message.providerMessageId) : Promise.resolve(null));
    const isOther = (earlier: { body: string } | null) => earlier !== null && earlier.body !== message?.body;
    const refuseReusedId = () => this.sendFrame({ type: 'error', reason: 'this clientId was used for a different message; send it with a new clientId', ...withClientId });
    if (isOther(await storedUnderId())) return refuseReusedId();
    try {
      const result = await ingestChannelRequest(this.deps, session.forceId, {
        channel: CHAT_CHANNEL,
        channelAccountId: this.account.id,
        request,
        parsed,
      });
      const stored = result.results[0];
      // Read back for the time the history will give it, so the widget dates the line at once (decision 0180).
      const kept = stored ? await storedUnderId() : null;
      if (stored?.isDuplicate && isOther(kept)) return refuseReusedId();
      if (stored && kept && withClientId.clientId !== undefined) this.sendFrame({ type: 'ack', clientId: withClientId.clientId, reference: stored.reference, at: kept.at });
    } catch (error) {
      this.log.error({ err: error, channel: CHAT_CHANNEL }, 'storing a chat message failed');
      this.sendFrame({ type: 'error', reason: 'the message was not stored; send it again', ...withClientId });
    }
  }

  private onLive(session: ChatSession, message: LiveMessage): void {
    if (this.closed) return;
    // Replies may have been stored while live messages were not arriving: re-read the
    // conversation; replies already shown are not sent again.
    if (message.type === 'resync') return this.queuePush(session);
    if (message.type !== 'queue.changed') return;
    this.deps.contacts.sessionOf(session.forceId, message.contactId).then(
      (sessionId) => {
        if (sessionId === session.id) this.queuePush(session);
      },
      (error: unknown) => {
        // Could not tell whose contact it was: re-reading this conversation is harmless (replies
        // already shown are not sent again) and never misses one.
        this.log.warn({ err: error, channel: CHAT_CHANNEL }, 'chat reply lookup failed');
        this.queuePush(session);
      },
    );
  }

  private queuePush(session: ChatSession): void {
    if (this.pushQueued || this.closed) return;
    this.pushQueued = true;
    this.enqueue(async () => {
      this.pushQueued = false;
      try {
        await this.pushReplies(session);
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        // The database connection was lost under the read: the socket stays open and the
        // read is tried again shortly.
        this.log.warn({ err: error, channel: CHAT_CHANNEL }, 'chat reply push interrupted; retrying');
        setTimeout(() => this.queuePush(session), PUSH_RETRY_MS).unref();
      }
    });
  }

  /** Sends the replies not shown yet, reading only from the first one not settled when last read. */
  private async pushReplies(session: ChatSession): Promise<void> {
    let isSettledSoFar = true;
    for (const reply of await chatRepliesSince(this.deps, session.forceId, session.id, this.replyCursor)) {
      if (reply.isVisible && !this.shownReplies.has(reply.id)) {
        this.shownReplies.add(reply.id);
        this.sendFrame({ type: 'reply', id: reply.id, body: reply.body, at: reply.at.toISOString() });
      }
      // A reply still being sent may become visible later: the next read starts at it.
      isSettledSoFar &&= reply.isSettled;
      if (isSettledSoFar) this.replyCursor = reply.at;
    }
  }

  private sendFrame(frame: ChatServerFrame): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Closes the socket with a code the widget understands (ChatSockets closes a replaced one). */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.dispose();
    this.socket.close(code, reason);
  }

  private dispose(): void {
    if (!this.closed) this.deps.sockets.leave(this.address, this.session?.id ?? null, this);
    this.closed = true;
    if (this.authTimer) clearTimeout(this.authTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.authTimer = null;
    this.pingTimer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
