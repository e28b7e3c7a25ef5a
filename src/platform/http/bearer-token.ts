import { createHash, timingSafeEqual } from 'node:crypto';

/** The token of an `Authorization: Bearer <token>` header, or null (no header, another scheme, no token, or more than one). */
export function bearerTokenOf(authorization: string | undefined): string | null {
  return /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? null;
}

/**
 * Whether an `Authorization` header carries `Bearer <token>`, compared in constant time (both
 * sides hashed first, so lengths do not leak). `/metrics` and the detail of `/readyz` use it.
 */
export function isBearer(header: string | undefined, token: string): boolean {
  const given = bearerTokenOf(header);
  if (!given) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
