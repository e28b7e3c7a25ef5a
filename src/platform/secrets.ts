import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { AppError } from './errors.ts';

type Key = { id: string; key: Buffer };

function deriveKey(secret: string): Key {
  // The same derivation as the first format, so a configured secret opens what it sealed before.
  const key = Buffer.from(hkdfSync('sha256', secret, 'bluelamp', 'channel-secrets-v1', 32));
  // A short public name for the key: a hash of the derived key, which reveals nothing of it.
  const id = createHash('sha256').update('bluelamp-secrets-key-id\n').update(key).digest('base64url').slice(0, 12);
  return { id, key };
}

/**
 * Raised when a sealed value cannot be opened: no configured key fits, or it was altered. It is a
 * misconfiguration, not the caller's fault: 503, so a provider retries its webhook later and
 * nothing is lost while an operator puts the key back.
 */
export class SealedSecretError extends AppError {
  constructor(message: string) {
    super('unavailable', message, { publicMessage: 'A stored credential cannot be read; try again later' });
  }
}

/**
 * Encrypts provider credentials at rest with AES-256-GCM, so a database dump alone reveals no
 * channel secret. Values are sealed with the current key and carry its id:
 * `v2.<key id>.<iv>.<tag>.<ciphertext>`. Older keys (`previous`) still open what they sealed, so
 * the key can be rotated: set the new key, keep the old one as previous, run `bluelamp secrets
 * rotate`, then drop the old one. Values of the first format (`v1.<iv>.<tag>.<ciphertext>`, no key
 * id) are opened by whichever configured key fits.
 */
export class SecretBox {
  private readonly current: Key;
  private readonly keys: Key[];

  constructor(secret: string, previous: readonly string[] = []) {
    this.current = deriveKey(secret);
    const byId = new Map<string, Key>([[this.current.id, this.current]]);
    for (const old of previous) {
      const key = deriveKey(old);
      if (!byId.has(key.id)) byId.set(key.id, key);
    }
    this.keys = [...byId.values()];
  }

  /** The id of the key new values are sealed with (safe to print). */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** Encrypts with the current key. */
  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v2', this.current.id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** Decrypts a value sealed with the current key or any previous one; throws SealedSecretError otherwise. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts[0] === 'v2' && parts.length === 5) {
      const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
      const key = this.keys.find((k) => k.id === keyId);
      if (!key) {
        throw new SealedSecretError(`sealed with key ${keyId}, which is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS`);
      }
      const opened = tryOpen(key, iv, tag, body);
      if (opened === null) throw new SealedSecretError(`sealed value with key ${keyId} failed its integrity check`);
      return opened;
    }
    if (parts[0] === 'v1' && parts.length === 4) {
      const [, iv, tag, body] = parts as [string, string, string, string];
      for (const key of this.keys) {
        const opened = tryOpen(key, iv, tag, body);
        if (opened !== null) return opened;
      }
      throw new SealedSecretError('sealed value without a key id fits no configured key (SECRETS_KEY, SECRETS_KEY_PREVIOUS)');
    }
    throw new SealedSecretError('unrecognised sealed secret');
  }

  /** Whether a value is already sealed with the current key (rotation leaves these alone). */
  isSealedWithCurrentKey(sealed: string): boolean {
    const parts = sealed.split('.');
    return parts[0] === 'v2' && parts.length === 5 && parts[1] === this.current.id;
  }
}

function tryOpen(key: Key, iv: string, tag: string, body: string): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
