// The one client for the Bluelamp API, typed by the generated `paths`: same origin, the session
// cookie, and the session's CSRF token on every state-changing request. `read` turns an answer
// into its data or throws the one typed error (errors.ts), so a screen never sees a raw body.
import createClient, { type Middleware } from 'openapi-fetch';
import { noteServerDate } from '../clock.ts';
import { ApiError, errorFromResponse, isAbortError, networkError } from './errors.ts';
import type { paths } from './schema.ts';

export const api = createClient<paths>({ credentials: 'same-origin', headers: { accept: 'application/json' } });

let csrfToken: string | null = null;
let onSessionEnded: (() => void) | null = null;

/** The token from the session (sign-in or /api/auth/me); null once signed out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request that needs a session answers 401: it expired or was ended elsewhere. */
export function setSessionEndedHandler(handler: (() => void) | null): void {
  onSessionEnded = handler;
}

// The server's rule (platform/http/routes.ts): anything but GET and HEAD changes state.
const isStateChanging = (method: string) => method !== 'GET' && method !== 'HEAD';

/** Requests where a 401 is an answer for the caller (wrong password, not signed in yet), not an ended session. */
const SESSIONLESS_PATHS = new Set<string>(['/api/auth/login', '/api/auth/logout', '/api/auth/me']);

const sentAt = new Map<string, number>();

const session: Middleware = {
  onRequest({ request, id }) {
    if (csrfToken && isStateChanging(request.method)) request.headers.set('x-csrf-token', csrfToken);
    sentAt.set(id, Date.now());
    return request;
  },
  onResponse({ response, id, schemaPath }) {
    const started = sentAt.get(id);
    sentAt.delete(id);
    if (started !== undefined) noteServerDate(response.headers.get('date'), started, Date.now());
    if (response.status === 401 && !SESSIONLESS_PATHS.has(schemaPath)) onSessionEnded?.();
    return response;
  },
  onError({ id }) {
    sentAt.delete(id);
  },
};
api.use(session);

/** What openapi-fetch resolves to: the data of a success, or the error body of anything else. */
type Answer<T> = { data?: T; error?: unknown; response: Response };

/**
 * The data of a successful answer; anything else throws an `ApiError` (an abort is passed on as
 * it is, so TanStack Query can tell a cancelled request from a failed one).
 */
export async function read<T>(pending: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await pending;
  } catch (err) {
    if (isAbortError(err) || err instanceof ApiError) throw err;
    if (err instanceof SyntaxError) throw new ApiError(0, 'bad_response', 'The server’s answer could not be read. Try again.');
    // fetch rejects only when the server was not reached.
    throw networkError();
  }
  const { data, error, response } = answer;
  if (!response.ok || error !== undefined) throw errorFromResponse(response.status, error);
  // A success carries its data (none for a 204, which `T` then says is undefined).
  return data as T;
}
