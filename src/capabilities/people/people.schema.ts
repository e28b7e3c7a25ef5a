import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';

// What the people routes answer, and the stored form of a phone number, which every room that
// matches a number to a person must write the same way.

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

/**
 * A phone number in E.164 (UK numbers may be written nationally), or null if it cannot be one.
 * "Could be one" (the right length for its country), as a callback's number is judged, not "is in
 * a range allocated today": Ofcom's ranges for examples (07700 900…, 01632 960…, the numbers the
 * portal's own hint gives) were refused on the form and kept as typed elsewhere, so one number
 * written two ways was two people and a search in the other format found nothing.
 */
export function normalisePhone(phone: string): string | null {
  const parsed = parsePhoneNumberFromString(phone.trim(), 'GB');
  return parsed?.isPossible() ? parsed.number : null;
}
