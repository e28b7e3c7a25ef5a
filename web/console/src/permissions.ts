import type { Permission, StaffUser } from './api/types.ts';

/** Whether the signed-in member of staff's role allows `permission` (the server's list, from the API document). */
export function hasPermission(user: StaffUser, permission: Permission): boolean {
  return user.permissions.includes(permission);
}
