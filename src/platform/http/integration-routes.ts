import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { claimsIntegrationToken, type IntegrationCaller } from '../auth/integration-tokens.ts';
import type { Permission } from '../auth/permissions.ts';
import type { StaffPrincipal } from '../auth/sessions.ts';
import { AppError } from '../errors.ts';
import type { ForceId } from '../ids.ts';
import type { Responses, WithSuccess } from './responses.ts';
import {
  ROUTE_HELPER,
  admitStaff,
  documentedSchema,
  invokeHandler,
  loadStaff,
  prepareRequest,
  type AnySchema,
  type HandlerResult,
  type PublicHandlerInput,
  type RouteBase,
  type RouteDeps,
} from './routes.ts';

/** An integration token as its admin routes show it: never the token, only its first characters (`hint`). */
export const integrationTokenView = z.object({ id: z.string(), label: z.string(), hint: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });

/** The body that issues an integration token: a label for the admin's list, the integration's name if none is given. */
export const integrationTokenBody = (defaultLabel: string) => z.strictObject({ label: z.string().trim().min(1).max(200).default(defaultLabel) });

/** Who made a request to a route that takes staff or an integration: a member of staff, or a token. */
export type StaffOrIntegrationCaller = { forceId: ForceId } & ({ kind: 'staff'; staff: StaffPrincipal } | { kind: 'integration'; tokenId: string });

/** What an integration route states beyond any route: whose token it takes and how that token is checked. */
type IntegrationSpec = {
  /** The integration whose token the route takes (`records`, `tracking`), as the API document names it. */
  integration: string;
  /** The caller an `Authorization: Bearer …` header names, or a 401 (the kind's `authenticate…`). */
  authenticate: (authorization: string) => Promise<IntegrationCaller>;
};

const integrationCallers = new WeakMap<FastifyRequest, IntegrationCaller>();

/** Checks a Bearer header with the route's `authenticate` and remembers its caller on the request; throws a 401 otherwise. */
async function admitIntegration(spec: IntegrationSpec, request: FastifyRequest, authorization: string): Promise<void> {
  integrationCallers.set(request, await spec.authenticate(authorization));
}

function integrationCallerOf(request: FastifyRequest): IntegrationCaller {
  const caller = integrationCallers.get(request);
  if (!caller) throw new AppError('unauthenticated', 'no integration token checked');
  return caller;
}

/**
 * Declares a route only an integration calls, with its force's bearer token and no session (the
 * records system's case updates). The token is checked before the body is read, so a caller
 * without one learns nothing; every refusal is a 401 (integration-tokens.ts says why).
 */
export function integrationRoute<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
  R extends Responses & WithSuccess,
>(
  app: FastifyInstance,
  spec: RouteBase<P, Q, B, R> &
    IntegrationSpec & {
      handler: (input: PublicHandlerInput<P, Q, B> & { caller: IntegrationCaller }) => HandlerResult<R>;
    },
): void {
  // No member of staff's permission opens it: the token is the credential, as `security` says.
  const permission = 'public';
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission, [ROUTE_HELPER]: 'integration' },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: {
      ...documentedSchema({ ...spec, tags: spec.tags ?? ['integrations'] }, permission, [{ integrationToken: [] }]),
      'x-integration-token': spec.integration,
    },
    preValidation: async (request) => {
      prepareRequest(spec, request);
      await admitIntegration(spec, request, request.headers.authorization ?? '');
    },
    handler: async (request, reply) => {
      const caller = integrationCallerOf(request);
      request.log.info({ audit: spec.audit, integrationTokenId: caller.tokenId, forceId: caller.forceId }, 'integration action');
      return invokeHandler(spec.handler, request, reply, { caller });
    },
  });
}

/**
 * Declares a route a member of staff with the permission may call (session and CSRF token, as
 * `staffRoute`), and the force's integration may call with its bearer token in place of a session
 * (decision 0203). A request whose `Authorization` header is a bearer token with an integration
 * prefix is the integration's (the same test the load-shedding gate reads): `authenticate` accepts
 * it or throws 401, and no CSRF token is asked for (a browser does not send the header on its own).
 * Any other header (a proxy's `Basic`, or its own bearer token) is not ours: the request is judged
 * by its session, and without one it is a 401 that says what is wanted. The
 * token works here and nowhere else: every other staff route ignores it.
 */
export function staffOrIntegrationRoute<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
  R extends Responses & WithSuccess,
>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteBase<P, Q, B, R> &
    IntegrationSpec & {
      permission: Permission;
      handler: (input: PublicHandlerInput<P, Q, B> & { caller: StaffOrIntegrationCaller }) => HandlerResult<R>;
    },
): void {
  const security: Record<string, string[]>[] = [{ session: [], csrf: [] }, { integrationToken: [] }];
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission, [ROUTE_HELPER]: 'staff-or-integration' },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: {
      ...documentedSchema({ ...spec, tags: spec.tags ?? ['staff'] }, spec.permission, security),
      'x-integration-token': spec.integration,
    },
    // Authentication runs before the body is validated, so a caller without a credential learns nothing.
    preValidation: async (request) => {
      prepareRequest(spec, request);
      const authorization = request.headers.authorization;
      if (authorization !== undefined && claimsIntegrationToken(authorization)) return admitIntegration(spec, request, authorization);
      if (authorization !== undefined && !(await loadStaff(deps, request))) {
        throw new AppError('unauthenticated', `${spec.integration} integration: an Authorization header that is no integration's bearer token, and no session`, {
          publicMessage: 'Sign in, or send the integration token as Authorization: Bearer …',
        });
      }
      await admitStaff(deps, request, spec);
    },
    handler: async (request, reply) => {
      const staff = request.staff;
      const token = integrationCallers.get(request);
      let caller: StaffOrIntegrationCaller;
      if (token) caller = { forceId: token.forceId, kind: 'integration', tokenId: token.tokenId };
      else if (staff) caller = { forceId: staff.forceId, kind: 'staff', staff };
      else throw new AppError('unauthenticated', 'no caller checked');
      const who = caller.kind === 'staff' ? { staffId: caller.staff.staffId } : { integrationTokenId: caller.tokenId };
      request.log.info({ audit: spec.audit, ...who, forceId: caller.forceId }, caller.kind === 'staff' ? 'staff action' : 'integration action');
      return invokeHandler(spec.handler, request, reply, { caller });
    },
  });
}
