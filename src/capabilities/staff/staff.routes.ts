import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { AttemptLimiter, attemptKeySecret } from '../../platform/http/attempt-limiter.ts';
import { MAX_PASSWORD_LENGTH } from './password-policy.schema.ts';
import { changeOwnPassword, deactivateStaff, listStaff, reactivateStaff, resetStaffPassword } from './staff.service.ts';
import { deactivated, passwordChanged, passwordReset, reactivated, staffMemberView } from './staff.schema.ts';

const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1, 'enter your current password').max(MAX_PASSWORD_LENGTH * 2),
  // The policy (length, not the email, not common) is checked by the service, field by field.
  newPassword: z.string().min(1, 'enter a new password').max(MAX_PASSWORD_LENGTH * 2),
});

const staffParams = z.object({ id: idField('must be a staff id') });

/**
 * Staff credentials: anyone changes their own password (the only thing a session with a one-time
 * password may do besides me and logout); a force admin lists their force's staff, resets a
 * password, deactivates and reactivates.
 */
export function registerStaffRoutes(app: FastifyInstance, deps: ServiceDeps & { sessionSecret: string }): void {
  // A stolen session must not become a way to guess the password behind it.
  const wrongCurrent = new AttemptLimiter(deps, attemptKeySecret(deps.sessionSecret), {
    scope: 'staff.password_change',
    max: 10,
    windowMs: 15 * 60 * 1000,
  });

  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/auth/password',
    permission: 'signed-in',
    isOpenBeforePasswordChange: true,
    audit: 'staff.change_password',
    summary: 'Change your own password (current password and a new one of at least 12 characters)',
    tags: ['auth'],
    body: changePasswordBody,
    bodyLimit: 8 * 1024,
    response: { 200: passwordChanged },
    handler: async ({ staff, body }) => {
      if (!(await wrongCurrent.take(staff.staffId))) {
        throw new AppError('rate_limited', 'too many password change attempts', {
          publicMessage: 'Too many attempts to change your password. Wait 15 minutes and try again.',
        });
      }
      const result = await changeOwnPassword(deps, staff, body);
      await wrongCurrent.reset(staff.staffId);
      return { changed: true, otherSessionsEnded: result.otherSessionsEnded };
    },
  });

  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/staff',
    permission: 'staff:manage',
    audit: 'staff.list',
    summary: "The force's staff: role, whether active, whether a password change is pending",
    tags: ['admin'],
    response: { 200: z.object({ staff: z.array(staffMemberView) }) },
    handler: async ({ staff }) => ({ staff: await listStaff(deps, staff.forceId) }),
  });

  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/staff/:id/reset-password',
    permission: 'staff:manage',
    audit: 'staff.reset_password',
    summary: 'Issue a new one-time password (shown once), force a change at next sign-in and end their sessions',
    tags: ['admin'],
    params: staffParams,
    response: { 200: passwordReset },
    handler: async ({ staff, params, reply }) => {
      const result = await resetStaffPassword(deps, staff.forceId, { staffId: params.id, actorStaffId: staff.staffId });
      // The one-time password is in this response only; no cache may keep it.
      reply.header('cache-control', 'no-store');
      return result;
    },
  });

  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/staff/:id/deactivate',
    permission: 'staff:manage',
    audit: 'staff.deactivate',
    summary: 'Deactivate a colleague: sign-in refused, sessions ended, open contacts back to the queue',
    tags: ['admin'],
    params: staffParams,
    body: z.strictObject({ reason: z.string().trim().max(500).optional() }).optional(),
    response: { 200: deactivated },
    handler: async ({ staff, params, body }) =>
      deactivateStaff(deps, staff.forceId, { staffId: params.id, actorStaffId: staff.staffId, reason: body?.reason || undefined }),
  });

  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/staff/:id/reactivate',
    permission: 'staff:manage',
    audit: 'staff.reactivate',
    summary: 'Let a deactivated colleague sign in again',
    tags: ['admin'],
    params: staffParams,
    response: { 200: reactivated },
    handler: async ({ staff, params }) => {
      await reactivateStaff(deps, staff.forceId, { staffId: params.id, actorStaffId: staff.staffId });
      return { reactivated: true };
    },
  });
}
