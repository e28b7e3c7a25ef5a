import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, nameField, openedVersionField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { STAFF_ROLES } from '../../platform/auth/permissions.ts';
import { addStaffMember, changeStaffRole } from './staff-accounts.service.ts';
import { CAPACITY_CLASSES, SKILLS, roleChanged, staffAdded } from './staff.schema.ts';

const role = z.enum(STAFF_ROLES, 'must be one of the staff roles');
const addBody = z.strictObject({
  name: nameField('enter their name'),
  email: z.email('must be an email address').max(320, 'must be 320 characters or fewer'),
  role,
  skills: z.array(z.enum(SKILLS)).max(SKILLS.length).optional(),
  capacity: z.partialRecord(z.enum(CAPACITY_CLASSES), z.number().int('must be a whole number').min(0).max(50, 'must be 50 or less')).optional(),
});

/** A force admin adds staff and changes their role (passwords and deactivation: staff.routes.ts). */
export function registerStaffAdminRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/staff',
    permission: 'staff:manage',
    audit: 'staff.add',
    summary: 'Add a member of staff with a role, skills and capacity; their one-time password is in this response only',
    tags: ['admin'],
    body: addBody,
    bodyLimit: 16 * 1024,
    response: { 201: staffAdded },
    handler: async ({ staff, body, reply }) => {
      const added = await addStaffMember(deps, staff.forceId, { ...body, actorStaffId: staff.staffId });
      // The one-time password is in this response only; no cache may keep it.
      reply.header('cache-control', 'no-store');
      return reply.status(201).send(added);
    },
  });

  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/staff/:id/role',
    permission: 'staff:manage',
    audit: 'staff.change_role',
    summary: "Change a colleague's role; one that no longer works the queue gives its contacts back",
    tags: ['admin'],
    params: z.object({ id: idField('must be a staff id') }),
    body: z.strictObject({ role, version: openedVersionField("role's") }),
    response: { 200: roleChanged },
    handler: async ({ staff, params, body }) => changeStaffRole(deps, staff.forceId, { staffId: params.id, ...body, actorStaffId: staff.staffId }),
  });
}
