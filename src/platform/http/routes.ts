import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import { roleHasPermission, type Permission } from '../auth/permissions.ts';
import { SESSION_COOKIE, resolveSession, type StaffPrincipal } from '../auth/sessions.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';

type AnySchema = z.ZodType;
type Infer<S> = S extends AnySchema ? z.infer<S> : undefined;

type RouteBase<P, Q, B> = {
  method: HTTPMethods;
  url: string;
  /** The name this action has in logs and in the audit trail, e.g. `contact.reply`. */
  audit: string;
  summary: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Larger bodies are refused with 413 before parsing. */
  bodyLimit?: number;
};

export type StaffHandlerInput<P, Q, B> = {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  staff: StaffPrincipal;
  request: FastifyRequest;
  reply: FastifyReply;
};

export type PublicHandlerInput<P, Q, B> = Omit<StaffHandlerInput<P, Q, B>, 'staff'>;

declare module 'fastify' {
  interface FastifyRequest {
    staff?: StaffPrincipal;
  }
  interface FastifyContextConfig {
    audit?: string;
    permission?: string;
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

/**
 * Declares a route for signed-in staff. The permission is required: without a session the answer
 * is 401, with a role that lacks it 403, and a state-changing request must carry the session's
 * CSRF token in `x-csrf-token`. A session that must change its one-time password gets 403
 * `password_change_required` everywhere but the few routes marked `isOpenBeforePasswordChange`.
 */
export function staffRoute<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteBase<P, Q, B> & {
    permission: Permission | 'signed-in';
    /** Open to a session that must still change its one-time password (change-password, me, logout). */
    isOpenBeforePasswordChange?: boolean;
    handler: (input: StaffHandlerInput<P, Q, B>) => Promise<unknown>;
  },
): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: {
      summary: spec.summary,
      tags: spec.tags ?? ['staff'],
      security: [{ session: [] }],
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
    },
    // Authentication runs before the body is validated, so an anonymous caller learns nothing.
    preValidation: async (request) => {
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
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        const given = request.headers['x-csrf-token'];
        if (typeof given !== 'string' || !tokensMatch(given, staff.csrfToken)) {
          throw new AppError('csrf_failed', 'missing or wrong CSRF token', {
            publicMessage: 'Your session token is missing or out of date; reload the page',
          });
        }
      }
    },
    handler: async (request, reply) => {
      const staff = request.staff;
      if (!staff) throw new AppError('unauthenticated', 'sign in required');
      request.log.info({ audit: spec.audit, staffId: staff.staffId, forceId: staff.forceId }, 'staff action');
      const result = await spec.handler({
        params: request.params as Infer<P>,
        query: request.query as Infer<Q>,
        body: request.body as Infer<B>,
        staff,
        request,
        reply,
      });
      return reply.sent ? reply : result;
    },
  });
}

export type PublicRouteSpec<P, Q, B> = RouteBase<P, Q, B> & {
  permission: 'public';
  hideFromDocs?: boolean;
  handler: (input: PublicHandlerInput<P, Q, B>) => Promise<unknown>;
};

/** Declares a route open to anyone (the public portal, health checks, provider webhooks). */
export function publicRoute<P extends AnySchema | undefined, Q extends AnySchema | undefined, B extends AnySchema | undefined>(
  app: FastifyInstance,
  spec: PublicRouteSpec<P, Q, B>,
): void {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: {
      summary: spec.summary,
      tags: spec.tags ?? ['public'],
      ...(spec.hideFromDocs ? { hide: true } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
    },
    handler: async (request, reply) => {
      const result = await spec.handler({
        params: request.params as Infer<P>,
        query: request.query as Infer<Q>,
        body: request.body as Infer<B>,
        request,
        reply,
      });
      return reply.sent ? reply : result;
    },
  });
}
