import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema, HTTPMethods, RouteOptions } from 'fastify';
import type { WebSocket } from 'ws';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError } from '../errors.ts';
import { roleHasPermission, type Permission } from '../auth/permissions.ts';
import { SESSION_COOKIE, resolveSession, type StaffPrincipal } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { errorResponses, type ErrorFormat, type JsonBodyOf, type Responses, type WithSuccess } from './responses.ts';
import { dropBlankQueryValues } from './request-fields.ts';

export type AnySchema = z.ZodType;
export type Infer<S> = S extends AnySchema ? z.infer<S> : undefined;

export type RouteBase<P, Q, B, R> = {
  method: HTTPMethods;
  url: string;
  /** The name this action has in logs and in the audit trail, e.g. `contact.reply`. */
  audit: string;
  summary: string;
  tags?: string[];
  /** The operation's name in the API document; by default the audit name in camel case (`contactReply`). */
  operationId?: string;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * Every answer the route gives on success, by status code: a zod schema of the JSON body, or a
   * content declaration for anything else. Bodies are checked against it when sent (a mismatch is
   * a 500), and the API document and the console's types are generated from it. Error responses
   * are added by the helper.
   */
  response: R;
  /** Larger bodies are refused with 413 before parsing. */
  bodyLimit?: number;
};

/** What a handler may return: the declared 200 body, or the reply it has already sent. */
export type HandlerResult<R> = Promise<JsonBodyOf<R> | FastifyReply>;

export type StaffHandlerInput<P, Q, B> = {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  staff: StaffPrincipal;
  request: FastifyRequest;
  reply: FastifyReply;
};

export type PublicHandlerInput<P, Q, B> = Omit<StaffHandlerInput<P, Q, B>, 'staff'>;

/** Which helper declared a route (test/api/route-helper.test.ts); integration-routes.ts declares the `…integration` kinds (0203). */
export type RouteKind = 'staff' | 'public' | 'staff-socket' | 'public-socket' | 'integration' | 'staff-or-integration';

/** The mark of the helper that declared a route; only the route helpers of this folder set it. */
export const ROUTE_HELPER: unique symbol = Symbol('bluelamp.routeHelper');

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
  interface FastifyContextConfig {
    audit?: string;
    permission?: string;
    [ROUTE_HELPER]?: RouteKind;
  }
  interface FastifySchema {
    /** The permission the route requires, as the API document states it. */
    'x-permission'?: string;
    /** The route's audit name. */
    'x-audit'?: string;
    /** The operation upgrades to a WebSocket; its 101 response describes the messages the server sends. */
    'x-websocket'?: boolean;
    /** The integration whose bearer token the operation takes (`records`, `tracking`), in place of a session. */
    'x-integration-token'?: string;
  }
}

export type RouteDeps = { db: Db; clock: Clock };

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Looks up the session cookie, if any, and remembers the member of staff on the request. */
export async function loadStaff(deps: RouteDeps, request: FastifyRequest): Promise<StaffPrincipal | null> {
  if (request.staff) return request.staff;
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const staff = await resolveSession(deps.db, deps.clock, token);
  if (staff) request.staff = staff;
  return staff;
}

/** A state-changing request: it must carry the session's CSRF token. */
const isStateChanging = (method: string) => method !== 'GET' && method !== 'HEAD';

/** `contact.reply` → `contactReply`; `triage.rule_set.list` → `triageRuleSetList`. */
export function operationIdOf(audit: string): string {
  return audit.replace(/[._-]+([a-z0-9])/gi, (_match, next: string) => next.toUpperCase());
}

/**
 * How errors on a path are written: JSON for programs (the API, webhooks, health checks), an HTML
 * page for people (the portal). The error handler (server.ts) and the API document share this rule.
 */
export function errorFormatOf(url: string): ErrorFormat {
  return url.startsWith('/api') || url.startsWith('/webhooks') || url.startsWith('/healthz') || url.startsWith('/readyz') ? 'json' : 'html';
}

/** The route's own responses over the errors of its format. */
function responsesOf(url: string, declared: Responses, format: ErrorFormat | undefined): Responses {
  const errors = Object.entries(errorResponses(format ?? errorFormatOf(url))).filter(([status]) => !(status in declared));
  return { ...declared, ...Object.fromEntries(errors) };
}

/** The route's schema as the API document shows it: its permission, audit name, security and answers. */
export function documentedSchema<P, Q, B>(
  spec: RouteBase<P, Q, B, Responses> & { undocumentedBecause?: string; errors?: ErrorFormat },
  permission: string,
  security: Record<string, string[]>[] | undefined,
): FastifySchema {
  return {
    operationId: spec.operationId ?? operationIdOf(spec.audit),
    summary: spec.summary,
    ...(spec.tags ? { tags: spec.tags } : {}),
    ...(security ? { security } : {}),
    ...(spec.undocumentedBecause ? { hide: true } : {}),
    'x-permission': permission,
    'x-audit': spec.audit,
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    response: responsesOf(spec.url, spec.response, spec.errors),
  };
}

/**
 * Lets a request through as a member of staff with the permission, or throws: 401 without a
 * session, 403 for a one-time password not yet changed or a role without the permission, and a
 * state-changing request without the session's CSRF token is refused.
 */
export async function admitStaff(
  deps: RouteDeps,
  request: FastifyRequest,
  spec: { permission: Permission | 'signed-in'; isOpenBeforePasswordChange?: boolean },
): Promise<StaffPrincipal> {
  const staff = await loadStaff(deps, request);
  if (!staff) throw new AppError('unauthenticated', 'sign in required', { publicMessage: 'You need to sign in' });
  if (staff.mustChangePassword && spec.isOpenBeforePasswordChange !== true) {
    throw new AppError('password_change_required', 'one-time password not yet changed', {
      publicMessage: 'Change your one-time password before you do anything else.',
    });
  }
  if (spec.permission !== 'signed-in' && !roleHasPermission(staff.role, spec.permission)) {
    throw new AppError('forbidden', `role ${staff.role} lacks ${spec.permission}`, {
      publicMessage: 'Your role does not allow this',
    });
  }
  if (isStateChanging(request.method)) {
    const given = request.headers['x-csrf-token'];
    if (typeof given !== 'string' || !tokensMatch(given, staff.csrfToken)) {
      throw new AppError('csrf_failed', 'missing or wrong CSRF token', {
        publicMessage: 'Your session token is missing or out of date; reload the page',
      });
    }
  }
  return staff;
}

/** What every route helper does to a request before it is validated: a blank query value is as if not given. */
export function prepareRequest(spec: { query?: AnySchema | undefined }, request: FastifyRequest): void {
  if (spec.query) dropBlankQueryValues(request.query);
}

/** Calls a route's handler with its typed parts and what the helper adds (staff, caller): every helper calls its handler so. */
export async function invokeHandler<P, Q, B, R, X extends object>(
  handler: (input: PublicHandlerInput<P, Q, B> & X) => HandlerResult<R>, request: FastifyRequest, reply: FastifyReply, added: X,
): Promise<JsonBodyOf<R> | FastifyReply> {
  const parts = { params: request.params as Infer<P>, query: request.query as Infer<Q>, body: request.body as Infer<B>, request, reply };
  const result = await handler({ ...parts, ...added });
  return reply.sent ? reply : result;
}

/**
 * Declares a route for signed-in staff. The permission is required: without a session the answer
 * is 401, with a role that lacks it 403, and a state-changing request must carry the session's
 * CSRF token in `x-csrf-token`. A session that must change its one-time password gets 403
 * `password_change_required` everywhere but the few routes marked `isOpenBeforePasswordChange`.
 */
export function staffRoute<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
  R extends Responses & WithSuccess,
>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteBase<P, Q, B, R> & {
    permission: Permission | 'signed-in';
    /** Open to a session that must still change its one-time password (change-password, me, logout). */
    isOpenBeforePasswordChange?: boolean;
    handler: (input: StaffHandlerInput<P, Q, B>) => HandlerResult<R>;
  },
): void {
  const security = isStateChanging(spec.method) ? [{ session: [], csrf: [] }] : [{ session: [] }];
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission, [ROUTE_HELPER]: 'staff' },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: documentedSchema({ ...spec, tags: spec.tags ?? ['staff'] }, spec.permission, security),
    // Authentication runs before the body is validated, so an anonymous caller learns nothing.
    preValidation: async (request) => {
      prepareRequest(spec, request);
      await admitStaff(deps, request, spec);
    },
    handler: async (request, reply) => {
      const staff = request.staff;
      if (!staff) throw new AppError('unauthenticated', 'sign in required');
      request.log.info({ audit: spec.audit, staffId: staff.staffId, forceId: staff.forceId }, 'staff action');
      return invokeHandler(spec.handler, request, reply, { staff });
    },
  });
}

export type PublicRouteSpec<P, Q, B, R> = RouteBase<P, Q, B, R> & {
  permission: 'public';
  /** Why the route is left out of the API document (a page or file for people, a CORS preflight). */
  undocumentedBecause?: string;
  /** How errors are written, when not the server's rule by path (a JSON API outside /api). */
  errors?: ErrorFormat;
  handler: (input: PublicHandlerInput<P, Q, B>) => HandlerResult<R>;
};

/** Declares a route open to anyone (the public portal, health checks, provider webhooks). */
export function publicRoute<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
  R extends Responses & WithSuccess,
>(app: FastifyInstance, spec: PublicRouteSpec<P, Q, B, R>): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission, [ROUTE_HELPER]: 'public' },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: documentedSchema({ ...spec, tags: spec.tags ?? ['public'] }, spec.permission, undefined),
    ...(spec.query ? { preValidation: async (request: FastifyRequest) => prepareRequest(spec, request) } : {}),
    handler: async (request, reply) => invokeHandler(spec.handler, request, reply, {}),
  });
}

type SocketSpec<M extends AnySchema> = {
  url: string;
  audit: string;
  summary: string;
  tags?: string[];
  /** Every message the server sends on the socket. */
  messages: M;
};

export type SocketHandlerInput<M extends AnySchema> = {
  socket: WebSocket;
  request: FastifyRequest;
  /** Sends one message, typed by the declared `messages`. */
  send: (message: z.output<M>) => void;
};

/** A refusal of an upgrade, answered as HTTP before the socket opens. */
export type SocketRefusal = { status: 401 | 403 | 404; code: 'unauthenticated' | 'forbidden' | 'password_change_required' | 'not_found'; message: string };

function socketRoute<M extends AnySchema>(
  app: FastifyInstance,
  spec: SocketSpec<M> & {
    kind: RouteKind;
    permission: string;
    refuse: (request: FastifyRequest) => Promise<SocketRefusal | null>;
    handler: (input: SocketHandlerInput<M>) => void;
  },
): void {
  const options: RouteOptions & { wsHandler: (socket: WebSocket, request: FastifyRequest) => void } = {
    method: 'GET',
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission, [ROUTE_HELPER]: spec.kind },
    schema: {
      operationId: operationIdOf(spec.audit),
      summary: spec.summary,
      tags: spec.tags ?? ['live'],
      ...(spec.kind === 'staff-socket' ? { security: [{ session: [] }] } : {}),
      'x-permission': spec.permission,
      'x-audit': spec.audit,
      'x-websocket': true,
      response: {
        101: { description: 'Switching Protocols: a WebSocket of JSON text messages', content: { 'application/json': { schema: spec.messages } } },
        ...errorResponses('json'),
      },
    },
    preValidation: async (request, reply) => {
      const refusal = await spec.refuse(request);
      if (refusal) return reply.status(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
    },
    // A plain GET (no upgrade) finds nothing here.
    handler: async (_request, reply) => reply.code(404).send(),
    wsHandler: (socket, request) => {
      const send = (message: z.output<M>) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      };
      spec.handler({ socket, request, send });
    },
  };
  app.route(options);
}

/**
 * Declares a WebSocket for signed-in staff with one permission. The upgrade is refused as HTTP
 * (401, 403) when the session is missing, must change its password, or lacks the permission;
 * `refuse` adds checks of the route's own that run first (the Origin, say).
 */
export function staffSocketRoute<M extends AnySchema>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: SocketSpec<M> & {
    permission: Permission;
    refuse?: (request: FastifyRequest) => SocketRefusal | null;
    handler: (input: SocketHandlerInput<M> & { staff: StaffPrincipal }) => void;
  },
): void {
  socketRoute(app, {
    ...spec,
    kind: 'staff-socket',
    refuse: async (request) => {
      const own = spec.refuse?.(request);
      if (own) return own;
      const staff = await loadStaff(deps, request);
      if (!staff) return { status: 401, code: 'unauthenticated', message: 'You need to sign in' };
      if (staff.mustChangePassword) return { status: 403, code: 'password_change_required', message: 'Change your one-time password first' };
      if (!roleHasPermission(staff.role, spec.permission)) return { status: 403, code: 'forbidden', message: 'Your role does not allow this' };
      return null;
    },
    handler: (input) => {
      const staff = input.request.staff;
      if (!staff) {
        input.socket.close(1008, 'unauthenticated');
        return;
      }
      spec.handler({ ...input, staff });
    },
  });
}

/** Declares a WebSocket open to anyone; `refuse` decides, before the upgrade, who may not open it. */
export function publicSocketRoute<M extends AnySchema>(
  app: FastifyInstance,
  spec: SocketSpec<M> & {
    permission: 'public';
    refuse: (request: FastifyRequest) => Promise<SocketRefusal | null>;
    handler: (input: SocketHandlerInput<M>) => void;
  },
): void {
  socketRoute(app, { ...spec, kind: 'public-socket' });
}

/** One route as registered, with the helper that declared it (null: not declared through a helper). */
export type RegisteredRoute = {
  method: string;
  url: string;
  kind: RouteKind | null;
  permission: string | undefined;
  audit: string | undefined;
};

const inventories = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Remembers every route registered on the server from now on, for `registeredRoutes`. */
export function recordRoutes(app: FastifyInstance): void {
  const routes: RegisteredRoute[] = [];
  inventories.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      routes.push({
        method,
        url: route.url,
        kind: route.config?.[ROUTE_HELPER] ?? null,
        permission: route.config?.permission,
        audit: route.config?.audit,
      });
    }
  });
}

/** Every route registered on a server made by createServer (HEAD twins of GET routes included). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return inventories.get(app) ?? [];
}
