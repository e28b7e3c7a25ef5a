import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyWebsocket from '@fastify/websocket';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../clock.ts';
import { AppError, isOutOfRangeValue, isUniqueViolation, type ErrorCode, type FieldIssue } from '../errors.ts';
import { normaliseError } from './normalise-error.ts';
import { parseFormBody } from './form-body.ts';
import { databaseUnavailableReason } from '../db/connection-errors.ts';
import { isStorableText, toStorableText } from '../db/storable-text.ts';
import { UNHOOKED_ANSWER_HEADERS } from './security-headers.ts';
import { answerClientError, answerExpectations, refuseMissingHost } from './client-errors.ts';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import { completeApiDocument, API_TAGS } from './api-document.ts';
import { createResponseSerializer, refuseUndeclaredResponses } from './response-check.ts';
import { errorFormatOf, recordRoutes } from './routes.ts';
import { summariseFieldIssues, wordFieldIssues, type RequestSchemas, type WordedFieldIssue } from './field-wording.ts';
import { redactUrl } from '../logging/redact-url.ts';

/** Seconds a client is asked to wait (Retry-After) before trying a 503 again. */
export const RETRY_AFTER_SECONDS = 5;

/** A page for a failed page request, from its status: the error's message is for the log and the API, not for a page. */
export type HtmlErrorRenderer = (request: FastifyRequest, status: number) => string;

export type ServerOptions = {
  logger: Logger;
  trustProxy: boolean;
  cookieSecret: string;
  /** Renders errors for pages (not /api, not webhooks) as HTML. */
  renderHtmlError?: HtmlErrorRenderer;
  /**
   * Answers, with a page of its own, a page request the database could not serve (its connection
   * lost, out of resources, too busy): the portal gives a report form back with what was typed. Returns
   * false to leave the request to `renderHtmlError`.
   */
  respondToUnavailablePage?: (request: FastifyRequest, reply: FastifyReply) => boolean;
  /**
   * Fails (500) any response whose body has a field its schema does not declare, or whose status
   * the route does not declare, instead of quietly leaving it out: tests turn it on so that a
   * response schema behind its handler is found at once.
   */
  isResponseCheckExact?: boolean;
  /**
   * The application's clock: every response's Date header reads it, so the console's countdowns
   * (which correct the PC's clock by that header) count on the time the deadlines were set by,
   * including a clock a test has moved on.
   */
  clock?: Clock;
  /**
   * How long a request may take to arrive, headers and body (default 60 s). Fastify's own default
   * is no limit, so a sender trickling a body a byte at a time held its connection for ever.
   */
  requestTimeoutMs?: number;
};

/** The timeouts of the HTTP server for a request timeout (see `ServerOptions.requestTimeoutMs`). */
export function httpTimeouts(requestTimeoutMs: number): { requestTimeout: number; headersTimeout: number; connectionsCheckingInterval: number } {
  return {
    requestTimeout: requestTimeoutMs,
    // Node requires the headers' limit to be no longer than the whole request's.
    headersTimeout: Math.min(20_000, Math.ceil(requestTimeoutMs / 3)),
    // Node looks for late requests this often (its default, 30 s, would let one run on that long).
    connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(requestTimeoutMs / 4))),
  };
}

/** The longest path parameter the router takes (an id is 36 characters, a template key far fewer). */
const MAX_PARAM_LENGTH = 200;

/**
 * The URL itself when the router can take it; otherwise a path no route has, under the same
 * first segment (so an API path still gets JSON and a portal path a page), with the same query. The router refuses a
 * path with a malformed percent escape or a segment longer than MAX_PARAM_LENGTH before any
 * hook runs, which would answer without the security headers and outside our error shape.
 */
export function routableUrl(url: string): string {
  if (!url.startsWith('/')) return url;
  const query = url.indexOf('?');
  const path = query < 0 ? url : url.slice(0, query);
  let isRoutable = path.split('/').every((segment) => segment.length <= MAX_PARAM_LENGTH);
  if (isRoutable && path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      isRoutable = false;
    }
  }
  if (isRoutable) return url;
  const first = /^\/[A-Za-z0-9_-]{1,40}(?=\/)/.exec(path)?.[0] ?? '';
  // The query stays: it may ask for the page's language (`?lang=cy`).
  return `${first}/-unroutable-${query < 0 ? '' : url.slice(query)}`;
}

/** With TRUST_PROXY, the one TLS-terminating proxy in front of us (hop 0) is trusted, no further hop. */
const trustFirstHopOnly = (_address: string, hop: number) => hop === 0;

/** Builds the Fastify instance with the pieces every route relies on. Routes are added by the caller. */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  // Typed as Fastify's logger, so the instance is a plain FastifyInstance rather than one typed by pino.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const timeouts = httpTimeouts(options.requestTimeoutMs ?? 60_000);
  const app: FastifyInstance = Fastify({
    loggerInstance,
    // Node's refusal of an HTTP/1.1 request without a Host is an empty 400: refuseMissingHost says why.
    http: { headersTimeout: timeouts.headersTimeout, connectionsCheckingInterval: timeouts.connectionsCheckingInterval, requireHostHeader: false },
    requestTimeout: timeouts.requestTimeout,
    // One hop: the client is the address our proxy appended, never an entry the client wrote itself.
    trustProxy: options.trustProxy ? trustFirstHopOnly : false,
    bodyLimit: 1024 * 1024,
    // A request that reaches us on a busy connection once closing has begun is served as any other
    // (the database stays open until every request is answered; its answer ends the connection).
    // Fastify's own 503 for it skipped every hook: bare JSON, no headers, a report's text lost.
    return503OnClosing: false,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // A path Fastify could not route (a malformed escape, an over-long parameter) is sent to a
    // path no route has, so it gets the not-found answer with every hook (headers, cookies).
    rewriteUrl: (request) => routableUrl(request.url ?? '/'),
    // Should one still reach Fastify's own refusal, it is answered in our error shape.
    frameworkErrors: (_error, _request, reply: FastifyReply) => {
      void reply.headers(UNHOOKED_ANSWER_HEADERS).status(400).send({ error: { code: 'validation_failed', message: 'The address is not valid' } });
    },
    // What Node's parser refuses (headers too large, not HTTP, too slow) is answered in our shape too.
    clientErrorHandler: (error, socket) => answerClientError(loggerInstance, error, socket),
  });
  answerExpectations(app);
  refuseMissingHost(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createResponseSerializer({ isExact: options.isResponseCheckExact === true }));
  if (options.isResponseCheckExact) refuseUndeclaredResponses(app);
  recordRoutes(app);

  await app.register(fastifyCookie, { secret: options.cookieSecret });
  await app.register(fastifyFormbody, { bodyLimit: 256 * 1024, parser: parseFormBody });
  // Before the plugin's own, which closes sockets with no code (1005): 1001 tells clients the
  // server is going away, so they reconnect, to another process if there is one.
  app.addHook('preClose', (done) => {
    for (const client of app.websocketServer.clients) client.close(1001, 'server shutting down');
    done();
  });
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 64 * 1024 },
    errorHandler: (error, socket, request) => {
      const code = (error as { code?: unknown }).code;
      // A frame too large or not UTF-8: anyone can send one, and ws has closed the socket with its code.
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) return request.log.warn({ code, reason: error.message }, 'websocket closed on a bad frame');
      request.log.error({ err: error }, 'websocket failed');
      socket.terminate();
    },
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Bluelamp API',
        version: '0.1.0',
        description: 'The staff console, integrations and the public portal speak this API.',
      },
      tags: API_TAGS.map((tag) => ({ ...tag })),
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The session cookie set by POST /api/auth/login' },
          csrf: {
            type: 'apiKey',
            in: 'header',
            name: 'x-csrf-token',
            description: "The session's CSRF token (from /api/auth/login or /api/auth/me), required on every state-changing request",
          },
          integrationToken: {
            type: 'http',
            scheme: 'bearer',
            description: "A token of the force's integration (records system, vehicle tracking), made by a force admin and shown once; a route names the kind it takes",
          },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: completeApiDocument,
  });

  // Plain text is not a format any route accepts; without a parser it is a clean 415.
  app.removeContentTypeParser('text/plain');
  // The API speaks JSON only: a form post to it (a cross-site form, say) is refused before parsing.
  app.addHook('preValidation', async (request) => {
    if (!request.url.startsWith('/api/') || request.body === undefined) return;
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      throw new AppError('unsupported_media_type', `content type ${type} on ${redactUrl(request.url)}`, {
        publicMessage: 'This endpoint accepts application/json only',
      });
    }
  });
  // PostgreSQL stores neither U+0000 (in text or jsonb) nor a lone surrogate (in jsonb, where
  // event data and job payloads go). A form post is a person typing into a page (the portal): its
  // text is kept, each such character made U+FFFD, as a provider's webhook text is. Any other body
  // is a program's, refused up front with the field named, never a 500 from the database once the
  // use case has run. Query strings and path parameters cannot hold a lone surrogate (an escape
  // of one is not UTF-8, so it is left undecoded) and routes check their NUL.
  app.addHook('preValidation', async (request) => {
    if (isFormPost(request)) {
      makeFormStorable(request.body);
      return;
    }
    const issue = findUnstorableText(request.body, 'body');
    if (issue) throw new AppError('validation_failed', `${issue.path}: ${issue.message}`, { fields: [issue] });
  });

  const clock = options.clock;
  if (clock) {
    // Node stamps its own time only on a response that has no Date header.
    app.addHook('onSend', async (_request, reply) => {
      reply.header('date', clock.now().toUTCString());
    });
  }

  // Once closing begins, every answer ends its connection. Node closes only the connections idle
  // when the server closes: one busy then was kept alive after its answer, and the close waited
  // for the client or Fastify's keep-alive timeout (72 s) to end it. The header also tells the
  // client not to send another request on a connection about to go.
  let isClosing = false;
  app.addHook('preClose', async () => {
    isClosing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    if (isClosing && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
  });

  const outage = new OutageLog(options.logger, () => (clock ?? systemClock).now().getTime());
  app.setErrorHandler((error, request, reply) => sendError(options, outage, error, request, reply));
  app.setNotFoundHandler((request, reply) =>
    sendError(options, outage, new AppError('not_found', `no route ${request.method} ${redactUrl(request.url)}`, { publicMessage: 'Page not found' }), request, reply),
  );
  return app;
}

/** How often, at most, requests answered 503 for an unreachable database are logged. */
export const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Requests answered 503 because the database is out of reach (a failover, a restart): the first
 * is logged at once, as a warning with the reason (the process is fine; the stack says nothing),
 * then one line every OUTAGE_LOG_INTERVAL_MS with how many more there were, instead of a line
 * with a stack for every request of a busy minute.
 */
class OutageLog {
  private loggedAt = -Infinity;
  private unlogged = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  note(appError: AppError): void {
    const now = this.now();
    if (now - this.loggedAt < OUTAGE_LOG_INTERVAL_MS) {
      this.unlogged += 1;
      return;
    }
    this.logger.warn({ code: appError.code, reason: appError.message, moreSinceLastLine: this.unlogged }, 'requests answered 503: the database is out of reach or out of resources');
    this.loggedAt = now;
    this.unlogged = 0;
  }
}

function sendError(options: ServerOptions, outage: OutageLog, error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = normaliseError(error);
  const isDatabaseUnavailable = appError.code === 'unavailable' && databaseUnavailableReason(appError.options.cause) !== null;
  if (isDatabaseUnavailable) {
    outage.note(appError);
  } else if (appError.status >= 500) {
    request.log.error({ err: appError.options.cause ?? appError, code: appError.code }, 'request failed');
  } else if (isUniqueViolation(appError.options.cause)) {
    // A race its use case does not name: answered 409, and logged louder than a refusal so it gets its own words.
    request.log.warn({ code: appError.code, reason: appError.message }, 'request refused: a race its use case does not name');
  } else if (isOutOfRangeValue(appError.options.cause)) {
    // Answered 400, and logged louder than a refusal so its schema gets a bound.
    request.log.warn({ code: appError.code, reason: appError.message }, 'request refused: a value its schema does not bound');
  } else {
    request.log.info({ code: appError.code, reason: appError.message }, 'request refused');
  }
  reply.status(appError.status);
  if (appError.status === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  const isPage = errorFormatOf(request.url) === 'html';
  if (isPage && isDatabaseUnavailable && options.respondToUnavailablePage?.(request, reply)) return reply;
  if (isPage && options.renderHtmlError) {
    return reply.type('text/html; charset=utf-8').send(options.renderHtmlError(request, appError.status));
  }
  return reply.send(errorResponseBody(appError, request));
}

/**
 * The one error body. A refused field is named as a person knows it (the route's schema may give
 * it a title), and, unless the use case wrote its own message, the message is those fields'
 * sentences: never a path like `body.rules.0.weight`, which stays in each field for programs.
 */
export function errorResponseBody(appError: AppError, request: FastifyRequest): { error: { code: ErrorCode; message: string; fields?: WordedFieldIssue[] } } {
  const schemas: RequestSchemas = request.routeOptions.schema ?? {};
  const fields = appError.options.fields ? wordFieldIssues(appError.options.fields, schemas) : undefined;
  const message = fields && fields.length > 0 && appError.options.publicMessage === undefined ? summariseFieldIssues(fields) : appError.publicMessage;
  return { error: { code: appError.code, message, ...(fields ? { fields } : {}) } };
}

/**
 * The first string in a parsed body, object keys included, that PostgreSQL would refuse (a NUL, a
 * lone surrogate), as the field issue naming it, or null. Raw bodies (bytes, as webhooks take
 * them) are their channel's to clean. Walked without recursion, so no nesting is too deep to check.
 */
export function findUnstorableText(body: unknown, root: string): FieldIssue | null {
  const pending: { value: unknown; path: string }[] = [{ value: body, path: root }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      const issue = unstorableIssue(value, path);
      if (issue) return issue;
      continue;
    }
    if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) continue;
    const entries = Object.entries(value).map(([key, inner]: [string, unknown]) => ({ key, value: inner, path: `${path}.${toStorableText(key)}` }));
    for (const entry of entries) {
      const issue = unstorableIssue(entry.key, entry.path);
      if (issue) return issue;
    }
    // Last pushed is first taken: pushed in reverse, the fields are checked in the order they were sent.
    for (const entry of entries.reverse()) pending.push(entry);
  }
  return null;
}

function isFormPost(request: FastifyRequest): request is FastifyRequest & { body: Record<string, unknown> } {
  const type = request.headers['content-type'] ?? '';
  const body: unknown = request.body;
  return /^application\/x-www-form-urlencoded\b/i.test(type) && typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
}

/** A parsed url-encoded form's names and values (strings, or lists of them) made storable, in place. */
function makeFormStorable(form: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(form)) {
    const storable = typeof value === 'string' ? toStorableText(value) : Array.isArray(value) ? value.map((item: unknown) => (typeof item === 'string' ? toStorableText(item) : item)) : value;
    const storableName = toStorableText(name);
    if (storableName !== name) delete form[name];
    form[storableName] = storable;
  }
}

function unstorableIssue(text: string, path: string): FieldIssue | null {
  if (isStorableText(text)) return null;
  return { path, message: text.includes('\u0000') ? 'must not contain NUL characters' : 'must not contain unpaired surrogate characters' };
}
