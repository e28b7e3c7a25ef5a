import { z } from 'zod';
import { PERMISSIONS, STAFF_ROLES } from './permissions.ts';

/** The signed-in member of staff as the console sees them, with what their role allows. */
export const signedInUser = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(STAFF_ROLES),
    forceId: z.string(),
    forceName: z.string(),
    permissions: z.array(z.enum(PERMISSIONS)),
    mustChangePassword: z.boolean().describe('a one-time password: only change-password, me and logout are open until it is changed'),
  })
  .meta({ id: 'SignedInUser' });

/** Who is signed in, and the token every state-changing request carries in `x-csrf-token`. */
export const sessionView = z
  .object({ user: signedInUser, csrfToken: z.string() })
  .meta({ id: 'Session' });
