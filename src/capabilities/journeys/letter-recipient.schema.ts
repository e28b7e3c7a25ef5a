import type { PostalAddress } from '../cases/postal-address.schema.ts';

// A letter's recipient as the print queue shows it and the envelope carries it (decision 0136):
// the victim's name, their address lines, the town in capitals and the postcode, one to a line,
// as Royal Mail asks an address to be written. Pure; the text is shown as text, never as HTML.

/** The address block of a victim's letters, or null when no postal address is kept for them. */
export function letterRecipientOf(victim: { name: string | null; postalAddress: PostalAddress | null }): string | null {
  const address = victim.postalAddress;
  if (!address) return null;
  const name = victim.name?.trim();
  return [...(name ? [name] : []), ...address.lines, address.town.toUpperCase(), address.postcode].join('\n');
}
