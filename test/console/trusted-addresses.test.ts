// The settings page's trusted reporting addresses (decision 0166), read a page at a time.
import { describe, expect, it } from 'vitest';
import { offsetStillShowing } from '../../web/console/src/screens/admin/trusted-addresses-api.ts';

describe('the pages of trusted reporting addresses', () => {
  it('stay where they are while the page shown holds an address, or it is the first', () => {
    expect(offsetStillShowing(20, 1, 21, 20)).toBe(20);
    expect(offsetStillShowing(0, 0, 0, 20)).toBe(0);
    expect(offsetStillShowing(0, 5, 5, 20)).toBe(0);
  });

  it('go back to the last page that holds some once the last address on the page shown is removed', () => {
    // 21 addresses, the 21st removed on page two: page one, not "Showing 21–20 of 20" with no way back.
    expect(offsetStillShowing(20, 0, 20, 20)).toBe(0);
    expect(offsetStillShowing(40, 0, 35, 20)).toBe(20);
    // Every address removed elsewhere meanwhile: the first page, saying none is trusted.
    expect(offsetStillShowing(40, 0, 0, 20)).toBe(0);
  });
});
