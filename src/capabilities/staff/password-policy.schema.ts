import type { FieldIssue } from '../../platform/errors.ts';

/** The shortest password a member of staff may choose (NCSC and NIST favour length over symbols). */
export const MIN_PASSWORD_LENGTH = 12;
/** The longest accepted; argon2 takes any length, but a limit keeps a request cheap to refuse. */
export const MAX_PASSWORD_LENGTH = 256;

// Passwords of 12 characters or more that head the public breach lists (lower-cased). Not a
// full breach check, which would need a large list or a call out; it stops the obvious ones.
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '123123123123',
  '111111111111',
  '000000000000',
  '121212121212',
  '123qweasdzxc',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qwertyuiopas',
  'qwertyuiop12',
  'qwertyuiop123',
  'qwerty123456',
  'qwerty1234567',
  'asdfghjkl123',
  'zxcvbnm12345',
  'password1234',
  'password12345',
  'password123456',
  'password123!',
  'passwordpassword',
  'password!234',
  'p@ssw0rd1234',
  'p@ssword1234',
  'iloveyou1234',
  'iloveyou123456',
  'welcome12345',
  'welcome123456',
  'welcome@1234',
  'letmein12345',
  'changeme1234',
  'changeme123!',
  'administrator',
  'administrator1',
  'admin1234567',
  'adminadmin123',
  'abc123456789',
  'abcdefghijkl',
  'abcd12345678',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'starwars1234',
  'superman1234',
  'trustno11234',
  'monkey123456',
  'dragon123456',
  'computer1234',
  'whatever1234',
  'liverpool123',
  'liverpool1234',
  'chelsea12345',
  'arsenal12345',
  'manchester123',
  'policepolice',
  'police123456',
  'bluelamp1234',
  'demo-password',
]);

/**
 * Why a new password is refused, one issue per broken rule, each on the `newPassword` field;
 * empty when it is acceptable. Kept simple on purpose: length, not the email, not a very common
 * password, not the current one.
 */
export function checkNewPassword(input: { newPassword: string; email: string; currentPassword?: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const candidate = input.newPassword;
  const folded = candidate.trim().toLowerCase();
  const email = input.email.trim().toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  const add = (message: string) => issues.push({ path: 'newPassword', message });
  if ([...candidate].length < MIN_PASSWORD_LENGTH) add(`must be at least ${MIN_PASSWORD_LENGTH} characters long`);
  if (candidate.length > MAX_PASSWORD_LENGTH) add(`must be at most ${MAX_PASSWORD_LENGTH} characters long`);
  if (folded === email || (localPart.length >= 4 && folded.includes(localPart))) add('must not be or contain your email address');
  if (COMMON_PASSWORDS.has(folded) || /^(.)\1*$/u.test(folded)) add('is too common; choose one that would be hard to guess, such as three random words');
  if (input.currentPassword !== undefined && candidate === input.currentPassword) add('must be different from your current password');
  return issues;
}
