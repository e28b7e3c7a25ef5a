import { z } from 'zod';

// What the staff routes answer.

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** A member of a force's staff as its admins see them. */
export const staffMemberView = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.string(),
    isActive: z.boolean(),
    mustChangePassword: z.boolean(),
    deactivatedAt: isoTime.nullable(),
    passwordChangedAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .meta({ id: 'StaffMember' });

export const passwordChanged = z.object({
  changed: z.boolean(),
  otherSessionsEnded: z.number().int().describe('sessions of this account on other devices, now signed out'),
});

export const passwordReset = z.object({
  oneTimePassword: z.string().describe('shown once; never stored in the clear'),
  sessionsEnded: z.number().int(),
  returnedContacts: z.number().int(),
});

export const deactivated = z.object({ sessionsEnded: z.number().int(), returnedContacts: z.number().int() });

export const reactivated = z.object({ reactivated: z.boolean() });
