import { describe, expect, it } from 'vitest';
import { formatPostcode, postalAddressBody } from './postal-address.schema.ts';

// A postal address as staff or a records system give it: hostile text, trimmed, bounded, with no
// control characters, and a UK postcode kept as Royal Mail writes it (decision 0136).

const home = { lines: ['Flat 2', '10 High Street'], town: 'Cardiff', postcode: 'CF10 1AA' };
const pathsOf = (given: unknown) => [...new Set(postalAddressBody.safeParse(given).error?.issues.map((issue) => issue.path.join('.')) ?? [])];

describe('a postal address', () => {
  it('keeps a postcode as Royal Mail writes it, whatever the spacing and case', () => {
    for (const given of ['cf101aa', ' CF10  1AA ', 'Cf10 1aA']) expect(postalAddressBody.parse({ ...home, postcode: given }).postcode).toBe('CF10 1AA');
    expect(postalAddressBody.parse({ ...home, postcode: 'sw1a2aa' }).postcode).toBe('SW1A 2AA');
    expect(postalAddressBody.parse({ ...home, postcode: 'M1 1AE' }).postcode).toBe('M1 1AE');
    expect(formatPostcode('gir0aa')).toBe('GIR 0AA');
  });

  it('refuses-what-is-not-a-uk-postcode', () => {
    for (const postcode of ['', 'CF10', '12345', 'CF10 1A', 'CF10-1AA', 'CF10 1AAA', '11 1AA', 'CF10 1AA; drop']) expect(pathsOf({ ...home, postcode })).toEqual(['postcode']);
  });

  it('refuses-control-and-formatting-characters-and-unbounded-fields', () => {
    expect(pathsOf({ ...home, lines: ['10 High\nStreet'] })).toEqual(['lines.0']);
    expect(pathsOf({ ...home, lines: ['Flat 2', '10 High Street\u202e'] })).toEqual(['lines.1']);
    expect(pathsOf({ ...home, town: 'Card\u0000iff' })).toEqual(['town']);
    expect(pathsOf({ ...home, town: 'Card\u2028iff' })).toEqual(['town']);
    expect(pathsOf({ ...home, town: 'x'.repeat(101) })).toEqual(['town']);
    expect(pathsOf({ ...home, lines: ['1', '2', '3', '4'] })).toEqual(['lines']);
    expect(pathsOf({ ...home, lines: [' '] })).toEqual(['lines.0']);
    expect(pathsOf({ ...home, county: 'Glamorgan' })).toEqual(['']);
    // Punctuation an address may hold is kept as text (it is never rendered as HTML).
    expect(postalAddressBody.parse({ ...home, lines: [' <b>Tŷ’r "Haul"</b> & {1}\\ '] }).lines).toEqual(['<b>Tŷ’r "Haul"</b> & {1}\\']);
  });
});
