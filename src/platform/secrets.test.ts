import { describe, expect, it } from 'vitest';
import { SealedSecretError, SecretBox } from './secrets.ts';
import { sealFirstFormat } from '../../test/fixtures/sealed-first-format.ts';

const KEY_A = 'a'.repeat(20) + '-first-secrets-key';
const KEY_B = 'b'.repeat(20) + '-second-secrets-key';
const KEY_C = 'c'.repeat(20) + '-unrelated-secrets-key';

describe('sealed secrets', () => {
  it('seals-with-the-current-key-id-and-opens-it', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal('{"token":"t"}');
    expect(sealed.split('.')).toHaveLength(5);
    expect(sealed.startsWith(`v2.${box.currentKeyId}.`)).toBe(true);
    expect(sealed).not.toContain('token');
    expect(box.open(sealed)).toBe('{"token":"t"}');
    expect(box.isSealedWithCurrentKey(sealed)).toBe(true);
  });

  it('reads-a-value-sealed-with-a-previous-key-then-without-it-once-resealed', () => {
    const sealedWithA = new SecretBox(KEY_A).seal('credential');
    const rotating = new SecretBox(KEY_B, [KEY_A]);
    expect(rotating.isSealedWithCurrentKey(sealedWithA)).toBe(false);
    expect(rotating.open(sealedWithA)).toBe('credential');
    const resealed = rotating.seal(rotating.open(sealedWithA));
    const afterwards = new SecretBox(KEY_B);
    expect(afterwards.open(resealed)).toBe('credential');
    expect(() => afterwards.open(sealedWithA)).toThrow(SealedSecretError);
    expect(() => afterwards.open(sealedWithA)).toThrow(/neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS/);
  });

  it('opens-first-format-values-with-whichever-configured-key-fits', () => {
    const old = sealFirstFormat(KEY_A, 'legacy credential');
    expect(new SecretBox(KEY_A).open(old)).toBe('legacy credential');
    expect(new SecretBox(KEY_B, [KEY_C, KEY_A]).open(old)).toBe('legacy credential');
    expect(() => new SecretBox(KEY_B, [KEY_C]).open(old)).toThrow(SealedSecretError);
    expect(new SecretBox(KEY_A).isSealedWithCurrentKey(old)).toBe(false);
  });

  it('refuses-a-tampered-or-malformed-value-as-unavailable-not-as-a-crash', () => {
    const box = new SecretBox(KEY_A);
    const parts = box.seal('credential').split('.');
    parts[4] = Buffer.from('something else').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(/integrity/);
    for (const bad of ['', 'v3.x', 'v1.a.b', 'v2.a.b.c']) {
      try {
        box.open(bad);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(SealedSecretError);
        expect((error as SealedSecretError).status).toBe(503);
      }
    }
  });
});
