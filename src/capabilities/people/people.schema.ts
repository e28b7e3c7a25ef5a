import { z } from 'zod';

// What the people routes answer.

const isoTime = z.string().describe('ISO 8601 date and time (UTC)');

/** A person found by one of their handles. */
export const personMatch = z
  .object({ id: z.string(), name: z.string().nullable(), kind: z.string(), value: z.string().describe('the handle that matched') })
  .meta({ id: 'PersonMatch' });

/** A person with their identities (including those of linked records) and links. */
export const personView = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    identities: z.array(
      z.object({
        id: z.string(),
        personId: z.string(),
        kind: z.string(),
        value: z.string(),
        isLinked: z.boolean().describe('belongs to a linked record, not to this one'),
      }),
    ),
    links: z.array(
      z.object({
        id: z.string(),
        otherPersonId: z.string(),
        reason: z.string(),
        linkedAt: isoTime,
        linkedByName: z.string().nullable(),
        unlinkedAt: isoTime.nullable(),
      }),
    ),
  })
  .meta({ id: 'Person' });

/** The kinds of handle a person has on a channel. */
export type IdentityKind = 'email' | 'phone' | 'social';
