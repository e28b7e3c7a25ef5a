import { describe, expect, it } from 'vitest';
import { TrustedAddressMoveRefused, canMoveTrustedAddress, moveTrustedAddress } from './trusted-address.machine.ts';

describe('a trusted reporting address', () => {
  it('is-added-when-not-trusted-and-removed-when-trusted-each-with-its-event', () => {
    expect(moveTrustedAddress('not_trusted', 'add')).toMatchObject({ to: 'trusted', event: 'trusted_address.added' });
    expect(moveTrustedAddress('trusted', 'remove')).toMatchObject({ to: 'not_trusted', event: 'trusted_address.removed' });
  });

  it('refuses-to-remove-an-address-not-trusted-and-to-add-one-twice', () => {
    expect(canMoveTrustedAddress('not_trusted', 'remove')).toBe(false);
    expect(() => moveTrustedAddress('not_trusted', 'remove')).toThrow(TrustedAddressMoveRefused);
    expect(() => moveTrustedAddress('trusted', 'add')).toThrow(/already a trusted reporting address/);
  });
});
