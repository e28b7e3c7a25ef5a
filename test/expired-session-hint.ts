import { createHash } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../src/platform/auth/sessions.ts';
import { withSystem, type Db } from '../src/platform/db/database.ts';
import type { Clock } from '../src/platform/clock.ts';

// A test that moves the app's clock on by a day and sends the next request with the session it
// signed in with gets 401, as a member of staff would: sessions last one shift. The answer says
// only "You need to sign in", so the test kit names the cause beside the failing test.

/** The explanation when a 401 came from a session the app's clock has moved past, or null. */
export async function expiredSessionHint(db: Db, clock: Clock, options: InjectOptions | string, response: LightMyRequestResponse): Promise<string | null> {
  if (response.statusCode !== 401 || typeof options === 'string') return null;
  const cookie = options.headers?.cookie;
  const token = typeof cookie === 'string' ? new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie)?.[1] : undefined;
  if (!token) return null;
  const sessionId = createHash('sha256').update(token).digest('hex');
  const session = await withSystem(db, (tx) => tx.selectFrom('staff_sessions').select('expires_at').where('id', '=', sessionId).executeTakeFirst());
  const now = clock.now();
  if (!session || session.expires_at.getTime() > now.getTime()) return null;
  return (
    `${options.method ?? 'GET'} ${typeof options.url === 'string' ? options.url : '(the request)'} → 401: its staff session expired at ${session.expires_at.toISOString()} ` +
    `and the app's clock is at ${now.toISOString()} (sessions last ${SESSION_TTL_MS / 3_600_000} h). ` +
    'A test that moves the clock past that signs in again (signIn) after moving it, as staff would.'
  );
}

/**
 * The test app's `inject`, which warns beside the test when a 401 came from a session the app's
 * clock has moved past (a test expecting that 401 can ignore the warning).
 */
export function injectNamingExpiredSessions(
  send: (options: InjectOptions | string) => Promise<LightMyRequestResponse>,
  db: Db,
  clock: Clock,
): (options: InjectOptions | string) => Promise<LightMyRequestResponse> {
  return async (options) => {
    const response = await send(options);
    const hint = await expiredSessionHint(db, clock, options, response).catch(() => null);
    if (hint) console.warn(hint);
    return response;
  };
}
