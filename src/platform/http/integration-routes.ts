import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IntegrationCaller } from '../auth/integration-tokens.ts';
import type { Permission } from '../auth/permissions.ts';
import type { StaffPrincipal } from '../auth/sessions.ts';
import { AppError } from '../errors.ts';
import type { ForceId } from '../ids.ts';
import type { Responses, WithSuccess } from './responses.ts';
import { ROUTE_HELPER, admitStaff, documentedSchema, type AnySchema, type HandlerResult, type Infer, type PublicHandlerInput, type RouteBase, type RouteDeps } from './routes.ts';

/** Who made a request to a route that takes staff or an integration: a member of staff, or a token. */
export type StaffOrIntegrationCaller = { forceId: ForceId } & ({ kind: 'staff'; staff: StaffPrincipal } | { kind: 'integration'; tokenId: string });

const integrationCallers = new WeakMap<FastifyRequest, IntegrationCaller>();

/**
 * Declares a route a member of staff with the permission may call (session and CSRF token, as
 * `staffRoute`), and the force's integration may call with its bearer token in place of a session
 * (decision 0203). A request with any `Authorization` header is the integration's: `authenticate`
 * accepts it or throws 401, and no CSRF token is asked for (a browser does not send the header on
 * its own). The token works here and nowhere else: every other staff route ignores it.
 */
export function staffOrIntegrationRoute<
  P extends AnySchema | undefined,
  Q extends AnySchema | undefined,
  B extends AnySchema | undefined,
  R extends Responses & WithSuccess,
>(
  app: FastifyInstance,
  deps: RouteDeps,
  spec: RouteBase<P, Q, B, R> & {
    permission: Permission;
    authenticate: (authorization: string) => Promise<IntegrationCaller>;
    handler: (input: PublicHandlerInput<P, Q, B> & { caller: StaffOrIntegrationCaller }) => HandlerResult<R>;
  },
): void {
  const security: Record<string, string[]>[] = [{ session: [], csrf: [] }, { integrationToken: [] }];
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    config: { audit: spec.audit, permission: spec.permission, [ROUTE_HELPER]: 'staff' },
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    schema: documentedSchema({ ...spec, tags: spec.tags ?? ['staff'] }, spec.permission, security),
    // Authentication runs before the body is validated, so a caller without a credential learns nothing.
    preValidation: async (request) => {
      const authorization = request.headers.authorization;
      if (authorization === undefined) await admitStaff(deps, request, spec);
      else integrationCallers.set(request, await spec.authenticate(authorization));
    },
    handler: async (request, reply) => {
      const token = integrationCallers.get(request);
      const staff = request.staff;
      let caller: StaffOrIntegrationCaller;
      if (token) caller = { forceId: token.forceId, kind: 'integration', tokenId: token.tokenId };
      else if (staff) caller = { forceId: staff.forceId, kind: 'staff', staff };
      else throw new AppError('unauthenticated', 'no caller checked');
      const who = caller.kind === 'staff' ? { staffId: caller.staff.staffId } : { integrationTokenId: caller.tokenId };
      request.log.info({ audit: spec.audit, ...who, forceId: caller.forceId }, caller.kind === 'staff' ? 'staff action' : 'integration action');
      const result = await spec.handler({
        params: request.params as Infer<P>,
        query: request.query as Infer<Q>,
        body: request.body as Infer<B>,
        caller,
        request,
        reply,
      });
      return reply.sent ? reply : result;
    },
  });
}
