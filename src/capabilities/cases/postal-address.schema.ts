import { z } from 'zod';

// A victim's postal address (decision 0136): one to three address lines, a town and a UK postcode,
// as a UK force writes to one (the GOV.UK address pattern, with a line to spare for a flat or a
// building's name). What staff or a records system type is hostile text: every field is trimmed
// and bounded, control and formatting characters (a line break, a right-to-left override) are
// refused, and it is only ever shown as text, never as HTML.

/** A postal address as it is kept and read. */
export type PostalAddress = { lines: string[]; town: string; postcode: string };

/** Control, formatting and line-separating characters: none belongs in an address, and some would disguise or split one. */
const HIDDEN_CHARACTERS = /^[^\p{Cc}\p{Cf}\p{Zl}\p{Zp}]*$/u;

/** A UK postcode's shape (outward code, spaces or none, inward code), as Royal Mail issues them, and GIR 0AA. */
const UK_POSTCODE = /^(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) *[0-9][A-Z]{2}$/;

const addressText = (max: number) => z.string().trim().min(1).max(max).regex(HIDDEN_CHARACTERS, 'must not contain control characters');

/** A postcode written as Royal Mail writes it: capitals, one space before the inward code. */
export function formatPostcode(postcode: string): string {
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  return `${compact.slice(0, -3)} ${compact.slice(-3)}`;
}

/** A postal address in a request: every field trimmed, bounded and free of control characters; the postcode a UK one. */
export const postalAddressBody = z
  .strictObject({
    lines: z.array(addressText(100)).min(1).max(3).describe('The address lines before the town: one to three (a flat or building, the street)'),
    town: addressText(100).describe('The town or city'),
    postcode: z
      .string()
      .trim()
      .max(10)
      .toUpperCase()
      .regex(UK_POSTCODE, 'must be a UK postcode, such as SW1A 2AA')
      .overwrite(formatPostcode)
      .describe('A UK postcode, kept as Royal Mail writes it (SW1A 2AA)'),
  })
  .meta({ id: 'PostalAddress' });

/** A postal address in a response. */
export const postalAddressView = z.object({ lines: z.array(z.string()), town: z.string(), postcode: z.string() }).meta({ id: 'PostalAddressView' });

/** The address a row's columns hold, or null when it has none (the three are kept together). */
export function postalAddressOf(row: { postal_lines: string[] | null; postal_town: string | null; postal_postcode: string | null }): PostalAddress | null {
  if (!row.postal_lines || row.postal_town === null || row.postal_postcode === null) return null;
  return { lines: row.postal_lines, town: row.postal_town, postcode: row.postal_postcode };
}

/** The columns that keep an address, or clear it. */
export function postalColumnsOf(address: PostalAddress | null): { postal_lines: string[] | null; postal_town: string | null; postal_postcode: string | null } {
  return address ? { postal_lines: [...address.lines], postal_town: address.town, postal_postcode: address.postcode } : { postal_lines: null, postal_town: null, postal_postcode: null };
}
