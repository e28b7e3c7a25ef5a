import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { publicRoute, staffRoute } from '../http/routes.ts';
import type { ServiceDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { attemptKeySecret } from '../http/attempt-limiter.ts';
import { withForce } from '../db/database.ts';
import { record } from '../events/recorder.ts';
import { staffSignedIn } from './auth.events.ts';
import { ROLE_PERMISSIONS } from './permissions.ts';
import {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  authenticateStaff,
  createSession,
  endSession,
  resolveSession,
  type StaffPrincipal,
} from './sessions.ts';
import { SignInLimits } from './sign-in-limits.ts';
import { sessionView } from './auth.schema.ts';
import { noContent } from '../http/responses.ts';

function userView(staff: StaffPrincipal) {
  return {
    id: staff.staffId,
    name: staff.name,
    email: staff.email,
    role: staff.role,
    forceId: staff.forceId,
    forceName: staff.forceName,
    permissions: [...ROLE_PERMISSIONS[staff.role]],
    mustChangePassword: staff.mustChangePassword,
  };
}

const loginBody = z.strictObject({
  email: z.string().trim().min(3).max(254).email('must be an email address'),
  password: z.string().min(1, 'is required').max(512),
});

/**
 * Sign in, sign out, who am I. Failed sign-ins are limited per address, per account for browsers
 * the account has not used, and per trusted device (see sign-in-limits.ts); successes cost nothing.
 */
export function registerAuthRoutes(app: FastifyInstance, deps: ServiceDeps & { cookieSecure: boolean; sessionSecret: string }): void {
  const limits = new SignInLimits(deps, attemptKeySecret(deps.sessionSecret), deps.cookieSecure);

  // Secure whenever the request came over TLS (directly, or via a trusted proxy), and always in production.
  const setSessionCookie = (request: FastifyRequest, reply: FastifyReply, token: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: deps.cookieSecure || request.protocol === 'https',
      path: '/',
      maxAge: SESSION_TTL_MS / 1000,
    });

  publicRoute(app, {
    method: 'POST',
    url: '/api/auth/login',
    permission: 'public',
    audit: 'staff.sign_in',
    summary: 'Sign in with email and password; sets the session cookie',
    tags: ['auth'],
    body: loginBody,
    bodyLimit: 8 * 1024,
    response: { 200: sessionView },
    handler: async ({ body, request, reply }) => {
      const ticket = await limits.begin(request, body.email);
      const who = await authenticateStaff(deps.db, body.email, body.password);
      if (!who) {
        throw new AppError('unauthenticated', 'wrong email or password', { publicMessage: 'Email or password is wrong' });
      }
      await limits.succeeded(ticket, request, reply);
      const { token } = await createSession(deps.db, deps.clock, who);
      await withForce(deps.db, who.forceId, (tx) =>
        Promise.resolve(record(tx, who.forceId, deps.clock, staffSignedIn.of({ actor: { type: 'staff', id: who.staffId }, subjectId: who.staffId, data: {} }))),
      );
      const staff = await resolveSession(deps.db, deps.clock, token);
      if (!staff) throw new AppError('internal', 'new session did not resolve');
      setSessionCookie(request, reply, token);
      return { user: userView(staff), csrfToken: staff.csrfToken };
    },
  });

  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/auth/logout',
    permission: 'signed-in',
    audit: 'staff.sign_out',
    summary: 'Sign out and end the session',
    tags: ['auth'],
    isOpenBeforePasswordChange: true,
    response: { 204: noContent },
    handler: async ({ staff, reply }) => {
      await endSession(deps.db, staff);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  });

  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/auth/me',
    permission: 'signed-in',
    audit: 'staff.me',
    summary: 'The signed-in member of staff and their CSRF token',
    tags: ['auth'],
    isOpenBeforePasswordChange: true,
    response: { 200: sessionView },
    handler: async ({ staff }) => ({ user: userView(staff), csrfToken: staff.csrfToken }),
  });
}
