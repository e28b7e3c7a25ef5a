import { describe, expect, it } from 'vitest';
import { letterRecipientOf } from './letter-recipient.schema.ts';

// A letter's recipient: the address block as an envelope carries it (decision 0136).

const home = { lines: ['Flat 2', '10 High Street'], town: 'Cardiff', postcode: 'CF10 1AA' };

describe("a letter's recipient", () => {
  it('is written on a letter as name, lines, town in capitals and postcode, one to a line', () => {
    expect(letterRecipientOf({ name: 'Mair Jones', postalAddress: home })).toBe('Mair Jones\nFlat 2\n10 High Street\nCARDIFF\nCF10 1AA');
    expect(letterRecipientOf({ name: null, postalAddress: home })).toBe('Flat 2\n10 High Street\nCARDIFF\nCF10 1AA');
    expect(letterRecipientOf({ name: 'Mair Jones', postalAddress: null })).toBeNull();
  });
});
