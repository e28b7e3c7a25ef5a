import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../../platform/config/config.ts';
import { withForce } from '../../../platform/db/database.ts';
import type { ServiceDeps } from '../../../platform/deps.ts';
import { AppError } from '../../../platform/errors.ts';
import { AttemptLimiter, attemptKeySecret } from '../../../platform/http/attempt-limiter.ts';
import { publicRoute, publicSocketRoute } from '../../../platform/http/routes.ts';
import { noContent, textBody } from '../../../platform/http/responses.ts';
import { errorResponseBody } from '../../../platform/http/server.ts';
import { normaliseError } from '../../../platform/http/normalise-error.ts';
import type { LiveHub } from '../../../platform/realtime/live.ts';
import type { SecretBox } from '../../../platform/secrets.ts';
import { VISIBLE } from '../../../platform/visible-text.ts';
import { loadAccountConfig } from '../channel-accounts.service.ts';
import { WIDGET_KEY_PARAM, chatChannel } from './chat.channel.ts';
import { ChatConnection, ContactSessions, REMOTE_ADDRESS_HEADER } from './chat.connection.ts';
import { ChatSockets } from './chat.limits.ts';
import { chatHistoryView, chatServerFrame, chatSessionView } from './chat.schema.ts';
import {
  allAllowedOrigins,
  authenticateChatSession,
  chatHistory,
  createChatSession,
  findChatAccount,
  type ChatAccount,
} from './chat.service.ts';

export type RegisterChatDeps = ServiceDeps & {
  secrets: SecretBox;
  /** The process's live hub, fed by LISTEN bluelamp_live: replies reach sockets through it. */
  hub: LiveHub;
  config: Pick<Config, 'publicUrl' | 'sessionSecret'>;
  /** The widget's strings per language (the portal's catalogues hold them, with the pages' own). */
  widgetMessages: { [language: string]: { [key: string]: string } };
};

/** Per address: enough for a family or an office behind one address, not for filling the table. */
const SESSIONS_PER_IP = 30;
const SESSIONS_WINDOW_MS = 10 * 60 * 1000;
/** How long an open socket trusts that its chat is still enabled and allows its origin. */
export const CHAT_RECHECK_MS = 5 * 1000;
/** How long the union of allowed origins (for preflights only) is trusted before it is read again. */
const CORS_CACHE_MS = 60 * 1000;
const WIDGET_FILE = new URL('./widget/chat-widget.js', import.meta.url);
const WIDGET_STYLES_FILE = new URL('./widget/chat-widget.css', import.meta.url);
const WIDGET_EXIT_KEEPER_FILE = new URL('./widget/keep-exit-clear.js', import.meta.url);
const WIDGET_TIME_FILE = new URL('./widget/message-time.js', import.meta.url);
const MESSAGES_PLACEHOLDER = '__BLUELAMP_CHAT_MESSAGES__';
const STYLES_PLACEHOLDER = '__BLUELAMP_CHAT_STYLES__';
const EXIT_KEEPER_PLACEHOLDER = '__BLUELAMP_CHAT_EXIT_KEEPER__';
const VISIBLE_PLACEHOLDER = '__BLUELAMP_CHAT_VISIBLE__';
const TIME_PLACEHOLDER = '__BLUELAMP_CHAT_TIME__';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The widget script with its strings in every language and its styles filled in, as JavaScript literals. */
function widgetSource(messages: RegisterChatDeps['widgetMessages']): string {
  const styles = readFileSync(WIDGET_STYLES_FILE, 'utf8');
  // Replacer functions, so a `$` in the text is never read as a replacement pattern.
  return readFileSync(WIDGET_FILE, 'utf8')
    .replace(MESSAGES_PLACEHOLDER, () => JSON.stringify(messages))
    .replace(STYLES_PLACEHOLDER, () => JSON.stringify(styles))
    // The server's own test of text a reader would see, so the widget never sends what it refuses.
    .replace(VISIBLE_PLACEHOLDER, () => VISIBLE.toString())
    .replace(EXIT_KEEPER_PLACEHOLDER, () => `(function () {\n${readFileSync(WIDGET_EXIT_KEEPER_FILE, 'utf8')}\nreturn createExitKeeper;\n})()`)
    .replace(TIME_PLACEHOLDER, () => `(function () {\n${readFileSync(WIDGET_TIME_FILE, 'utf8')}\nreturn createTimeOf;\n})()`);
}

/** True when the request comes from the page's own site (the portal), by Host or PUBLIC_URL. */
function isOwnOrigin(origin: string, request: FastifyRequest, publicUrl: string | undefined): boolean {
  try {
    const url = new URL(origin);
    return url.host === request.host || (publicUrl !== undefined && url.origin === new URL(publicUrl).origin);
  } catch {
    return false;
  }
}

/** A request without an Origin is not from a browser page; it still needs the session token. */
function originAllowed(request: FastifyRequest, publicUrl: string | undefined, allowed: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return isOwnOrigin(origin, request, publicUrl) || allowed.includes(origin);
}

const bearer = (request: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';

/**
 * The live chat: the widget script, sessions and the visitor's socket (the portal's page that
 * opens it is src/portal/chat.routes.ts).
 *
 * Replies: the operator's reply is "sent" by the channel job (chatChannel.send does nothing but
 * return), which publishes `queue.changed` on bluelamp_live inside its transaction. PostgreSQL
 * delivers that NOTIFY on commit to every API process, each of which already LISTENs and feeds
 * its LiveHub; the process holding the visitor's socket then reads the reply from the database
 * and pushes it. No channel of our own, no payload with message text, and it works across
 * processes because the database is the only thing they share.
 */
export async function registerChat(app: FastifyInstance, deps: RegisterChatDeps): Promise<void> {
  const { config } = deps;
  const script = widgetSource(deps.widgetMessages);
  const sessionsPerIp = new AttemptLimiter(deps, attemptKeySecret(config.sessionSecret), {
    scope: 'chat.session.address',
    max: SESSIONS_PER_IP,
    windowMs: SESSIONS_WINDOW_MS,
  });
  const contacts = new ContactSessions(deps);
  const sockets = new ChatSockets();
  const socketAccounts = new WeakMap<FastifyRequest, ChatAccount>();
  // Open sockets ask before storing each message whether their chat is still open; briefly cached.
  const accountChecks = new Map<string, { at: number; account: Promise<ChatAccount | null> }>();
  const currentAccount = (widgetKey: string) => {
    const now = deps.clock.now().getTime();
    const cached = accountChecks.get(widgetKey);
    if (cached && now - cached.at < CHAT_RECHECK_MS && now >= cached.at) return cached.account;
    const account = findChatAccount(deps, widgetKey);
    if (accountChecks.size >= 1000) accountChecks.clear();
    accountChecks.set(widgetKey, { at: now, account });
    account.catch(() => accountChecks.delete(widgetKey));
    return account;
  };

  let corsCache: { at: number; origins: Promise<Set<string>> } | null = null;
  const corsOrigins = () => {
    const now = deps.clock.now().getTime();
    if (!corsCache || now - corsCache.at >= CORS_CACHE_MS || now < corsCache.at) {
      const origins = allAllowedOrigins(deps);
      corsCache = { at: now, origins };
      origins.catch(() => {
        corsCache = null;
      });
    }
    return corsCache.origins;
  };

  // ---- The widget script, embedded on the force's site with one script tag ------------------

  publicRoute(app, {
    method: 'GET',
    url: '/chat/widget.js',
    permission: 'public',
    undocumentedBecause: 'a script that browsers load with a script tag, not an API',
    tags: ['chat'],
    audit: 'chat.widget',
    summary: 'The live chat widget script',
    response: { 200: textBody('application/javascript', 'The widget script, with its English and Welsh strings') },
    handler: async ({ reply }) =>
      reply
        .header('cache-control', 'public, max-age=300')
        // Other sites load it with a plain script tag; say so for sites that require it (COEP).
        .header('cross-origin-resource-policy', 'cross-origin')
        .type('application/javascript; charset=utf-8')
        .send(script),
  });

  // ---- Sessions and history: the only cross-origin HTTP routes ------------------------------

  await app.register(async (scope) => {
    // These answer the widget, on any site: errors are JSON, never the portal's HTML page.
    scope.setErrorHandler((error, request, reply) => {
      const appError = normaliseError(error);
      if (appError.status >= 500) request.log.error({ err: appError.options.cause ?? appError, code: appError.code }, 'chat request failed');
      return reply.status(appError.status).send(errorResponseBody(appError, request));
    });
    // CORS headers only for origins some chat allows; each route then checks its own chat's list.
    scope.addHook('onRequest', async (request, reply) => {
      reply.header('vary', 'Origin');
      const origin = request.headers.origin;
      if (!origin || isOwnOrigin(origin, request, config.publicUrl)) return;
      if ((await corsOrigins()).has(origin)) reply.header('access-control-allow-origin', origin);
    });

    const preflight = (methods: string, headers: string) => async ({ reply }: { reply: FastifyReply }) => {
      if (!reply.hasHeader('access-control-allow-origin')) {
        throw new AppError('forbidden', 'chat preflight from an origin no chat allows', { publicMessage: 'This site may not use the chat' });
      }
      return reply
        .status(204)
        .header('access-control-allow-methods', methods)
        .header('access-control-allow-headers', headers)
        .header('access-control-max-age', '600')
        .send();
    };

    publicRoute(scope, {
      method: 'OPTIONS',
      url: '/chat/sessions',
      permission: 'public',
      undocumentedBecause: 'a CORS preflight, which browsers send by themselves',
      errors: 'json',
      tags: ['chat'],
      audit: 'chat.session.preflight',
      summary: 'CORS preflight for opening a chat session',
      response: { 204: noContent },
      handler: preflight('POST', 'content-type'),
    });

    publicRoute(scope, {
      method: 'POST',
      url: '/chat/sessions',
      permission: 'public',
      errors: 'json',
      tags: ['chat'],
      audit: 'chat.session.create',
      summary: 'Opens a chat session for a visitor (from the force\'s own site or a site the chat allows)',
      bodyLimit: 1024,
      body: z.strictObject({ widgetKey: z.string().max(100) }),
      response: { 201: chatSessionView },
      handler: async ({ request, reply, body }) => {
        // JSON only: a cross-site form post must not open sessions.
        if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
          throw new AppError('unsupported_media_type', 'chat session not requested as JSON', { publicMessage: 'Send application/json' });
        }
        if (!(await sessionsPerIp.take(request.ip))) {
          throw new AppError('rate_limited', `too many chat sessions from ${request.ip}`, { publicMessage: 'Too many chats started; try again later' });
        }
        const account = await findChatAccount(deps, body.widgetKey);
        if (!account) throw new AppError('not_found', 'no such chat', { publicMessage: 'No such chat' });
        if (!originAllowed(request, config.publicUrl, account.config.allowedOrigins)) {
          throw new AppError('forbidden', `chat ${account.config.widgetKey} opened from ${request.headers.origin ?? ''}`, {
            publicMessage: 'This site may not use this chat',
          });
        }
        return reply.status(201).send(await createChatSession(deps, account));
      },
    });

    publicRoute(scope, {
      method: 'OPTIONS',
      url: '/chat/sessions/:sessionId/messages',
      permission: 'public',
      undocumentedBecause: 'a CORS preflight, which browsers send by themselves',
      errors: 'json',
      tags: ['chat'],
      audit: 'chat.history.preflight',
      summary: 'CORS preflight for reading a chat history',
      response: { 204: noContent },
      handler: preflight('GET', 'authorization'),
    });

    publicRoute(scope, {
      method: 'GET',
      url: '/chat/sessions/:sessionId/messages',
      permission: 'public',
      errors: 'json',
      tags: ['chat'],
      audit: 'chat.history',
      summary: "The conversation of a chat session (the visitor's token as a Bearer token)",
      params: z.object({ sessionId: z.string().max(100) }),
      response: { 200: chatHistoryView },
      handler: async ({ request, reply, params }) => {
        // The token travels in a header, never in the URL: URLs end up in logs.
        const session = await authenticateChatSession(deps, params.sessionId, bearer(request));
        if (!session) throw new AppError('unauthenticated', 'unknown chat session or wrong token', { publicMessage: 'Unknown chat session' });
        const accountConfig = chatChannel.configSchema.parse(
          await withForce(deps.db, session.forceId, (tx) => loadAccountConfig(tx, session.forceId, deps.secrets, session.accountId)),
        );
        if (!originAllowed(request, config.publicUrl, accountConfig.allowedOrigins)) {
          throw new AppError('forbidden', 'chat history read from a site the chat does not allow', { publicMessage: 'This site may not use this chat' });
        }
        reply.header('cache-control', 'no-store');
        return { welcomeMessage: accountConfig.welcomeMessage, messages: await chatHistory(deps, session.forceId, session.id) };
      },
    });
  });

  // ---- The visitor's socket -----------------------------------------------------------------

  publicSocketRoute(app, {
    url: '/chat/socket',
    permission: 'public',
    audit: 'chat.socket',
    summary: "The visitor's chat socket: authenticate with an auth frame, then send messages and hear replies",
    tags: ['chat'],
    messages: chatServerFrame,
    refuse: async (request) => {
      const query: unknown = request.query;
      const widgetKey = isRecord(query) && typeof query[WIDGET_KEY_PARAM] === 'string' ? query[WIDGET_KEY_PARAM] : '';
      const account = widgetKey.length > 0 && widgetKey.length <= 100 ? await findChatAccount(deps, widgetKey) : null;
      if (!account) return { status: 404, code: 'not_found', message: 'No such chat' };
      // A page on another site must not talk to this chat unless the force allowed that site.
      if (!originAllowed(request, config.publicUrl, account.config.allowedOrigins)) {
        return { status: 403, code: 'forbidden', message: 'This site may not use this chat' };
      }
      socketAccounts.set(request, account);
      return null;
    },
    handler: ({ socket, request }) => {
      const account = socketAccounts.get(request);
      if (!account) {
        socket.close(1011, 'no chat');
        return;
      }
      const base = config.publicUrl?.replace(/\/+$/, '').replace(/^http/, 'ws') ?? `${request.protocol === 'https' ? 'wss' : 'ws'}://${request.host}`;
      const headers: Record<string, string> = { [REMOTE_ADDRESS_HEADER]: request.ip };
      if (request.headers.origin) headers.origin = request.headers.origin.slice(0, 300);
      if (request.headers['user-agent']) headers['user-agent'] = request.headers['user-agent'].slice(0, 500);
      const context = {
        url: `${base}/chat/socket?${WIDGET_KEY_PARAM}=${encodeURIComponent(account.config.widgetKey)}`,
        query: { [WIDGET_KEY_PARAM]: account.config.widgetKey },
        headers,
      };
            const isChatOpen = async () => {
        const current = await currentAccount(account.config.widgetKey);
        return current?.id === account.id && originAllowed(request, config.publicUrl, current.config.allowedOrigins);
      };
      new ChatConnection(socket, { ...deps, contacts, sockets, isChatOpen }, account, context, request.log).start();
    },
  });
}
