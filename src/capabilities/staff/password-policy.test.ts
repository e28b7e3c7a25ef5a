import { describe, expect, it } from 'vitest';
import { checkNewPassword } from './password-policy.schema.ts';

const email = 'sam.handler@demo.police.uk';
const messages = (newPassword: string, currentPassword?: string) =>
  checkNewPassword({ newPassword, email, ...(currentPassword === undefined ? {} : { currentPassword }) }).map((issue) => issue.message);

describe('the new-password policy', () => {
  it('accepts a long passphrase', () => {
    expect(checkNewPassword({ newPassword: 'tractor lantern oboe', email })).toEqual([]);
  });

  it('refuses-fewer-than-12-characters-counting-characters-not-bytes', () => {
    expect(messages('elevenchars')).toEqual(['must be at least 12 characters long']);
    expect(messages('ćććććććććććx')).toEqual([]);
  });

  it('refuses-the-email-or-its-name-part', () => {
    expect(messages('SAM.HANDLER@demo.police.uk')).toContain('must not be or contain your email address');
    expect(messages('my sam.handler password')).toContain('must not be or contain your email address');
  });

  it('refuses-very-common-passwords-and-one-repeated-character', () => {
    expect(messages('Password1234')).toEqual(['is too common; choose one that would be hard to guess, such as three random words']);
    expect(messages('  qwerty123456 ')).toContain('is too common; choose one that would be hard to guess, such as three random words');
    expect(messages('zzzzzzzzzzzzzz')).toContain('is too common; choose one that would be hard to guess, such as three random words');
  });

  it('refuses-the-current-password-and-reports-every-broken-rule', () => {
    expect(messages('the same old passphrase', 'the same old passphrase')).toEqual(['must be different from your current password']);
    expect(messages('short', 'short')).toEqual(['must be at least 12 characters long', 'must be different from your current password']);
  });
});
