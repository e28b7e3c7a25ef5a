import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { SealedSecretError, type SecretBox } from '../../platform/secrets.ts';

// The one way the room opens an account's stored settings: sealed JSON, opened with the
// configured keys, parsed, and checked against the adapter's schema (so settings added since it
// was stored take their defaults). Settings that no configured key opens, or that its adapter no
// longer accepts, are mended by connecting the account again; who is told what depends on who asked.

/** Who reads the settings: staff are told to connect the account again (409); a provider or visitor is asked to try later (503). */
export type SettingsReader = 'staff' | 'provider';

const STAFF_UNOPENABLE = 'This account’s settings cannot be read with the current secrets key. Connect it again with all of its settings.';
const STAFF_INVALID = 'This account’s stored settings are no longer ones its channel accepts. Connect it again with all of its settings.';

type Opened<T> = { ok: true; settings: T } | { ok: false; isUnopenable: boolean; reason: string };

function tryOpen<T>(secrets: SecretBox, sealed: string, schema: z.ZodType<T>): Opened<T> {
  let plaintext: string;
  try {
    plaintext = secrets.open(sealed);
  } catch (error) {
    return { ok: false, isUnopenable: true, reason: error instanceof Error ? error.message : 'does not open' };
  }
  let json: unknown;
  try {
    json = JSON.parse(plaintext) as unknown;
  } catch {
    return { ok: false, isUnopenable: false, reason: 'stored settings are not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, isUnopenable: false, reason: `stored settings no longer valid: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}` };
  return { ok: true, settings: parsed.data };
}

/**
 * An account's stored settings, opened and checked against `schema`. Refused, with the reason,
 * when they do not open or no longer validate: a 409 telling staff to connect the account again,
 * or for a provider's or visitor's request a 503, so a provider retries once it is mended.
 */
export function openSettings<T>(secrets: SecretBox, sealed: string, schema: z.ZodType<T>, reader: SettingsReader): T {
  const opened = tryOpen(secrets, sealed, schema);
  if (opened.ok) return opened.settings;
  if (reader === 'provider') throw new SealedSecretError(`channel account settings: ${opened.reason}`);
  throw new AppError('conflict', `channel account settings: ${opened.reason}`, { publicMessage: opened.isUnopenable ? STAFF_UNOPENABLE : STAFF_INVALID });
}

/** An account's stored settings, or null when they do not open or no longer validate (for passes over many accounts, which skip such ones). */
export function openedOrNull(secrets: SecretBox, sealed: string): unknown;
export function openedOrNull<T>(secrets: SecretBox, sealed: string, schema: z.ZodType<T>): T | null;
export function openedOrNull(secrets: SecretBox, sealed: string, schema: z.ZodType = z.unknown()): unknown {
  const opened = tryOpen(secrets, sealed, schema);
  return opened.ok ? opened.settings : null;
}
