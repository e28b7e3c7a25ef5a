import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerTokenOf } from '../../platform/http/bearer-token.ts';
import { ChannelPayloadError, type RawInbound } from './channel.ts';

/** Small pieces every adapter needs; the wire formats stay in the adapters. */

/** The JSON body of a request that must be JSON: 415 for another content type, 400 if it does not parse. */
export function readJsonBody(request: RawInbound): unknown {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
    throw new ChannelPayloadError('content type must be application/json', 415);
  }
  try {
    return JSON.parse(request.rawBody.toString('utf8')) as unknown;
  } catch {
    throw new ChannelPayloadError('body is not valid JSON');
  }
}

/** The token of an `Authorization: Bearer …` header, if any. */
export function bearerToken(request: RawInbound): string | null {
  return bearerTokenOf(request.headers.authorization);
}

/** Hex SHA-256, used to key accounts by a secret without storing the secret as the key. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Compares two secrets in constant time (for equal lengths; a length mismatch is simply false). */
export function secretsEqual(given: string | null | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? '');
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Whether an account is the demo's stand-in (decision 0057): a credential it sends is still one
 * the adapter publishes for the demo force, and it would send it to the provider's real address
 * (one of the provider's domains, or below one). Pointed anywhere else (a local stand-in server,
 * a training simulator), the account does what its admin asked for, and sends.
 */
export function isPublishedCredentialFor(
  sending: { credentials: readonly string[]; url: string },
  provider: { published: readonly string[]; domains: readonly string[] },
): boolean {
  if (!sending.credentials.some((credential) => provider.published.includes(credential))) return false;
  let host: string;
  try {
    host = new URL(sending.url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return false;
  }
  return provider.domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
