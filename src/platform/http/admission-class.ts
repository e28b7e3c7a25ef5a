import { claimsIntegrationToken } from '../auth/integration-tokens.ts';

/**
 * Which queue a request joins. `public` requests (the portal, provider webhooks, chat sessions,
 * and anything under /api without a staff credential) share a bounded number of turns; `staff`
 * requests (the console, and /api with a session or an integration's token) and `exempt` ones
 * (probes, static files, preflights, sockets) are never held back, so a public surge cannot starve
 * the people handling it, nor blind them to where their units are.
 */
export type AdmissionClass = 'public' | 'staff' | 'exempt';

/** What a request carries that marks it as the force's own: read by presence, checked later by its route. */
export type StaffCredentials = {
  /** Whether it carries a staff session cookie. */
  hasSession: boolean;
  /** Its `Authorization` header, if any. */
  authorization?: string | undefined;
};

/** Static files, probes, long-lived sockets and the portal's quick exit: cheap or urgent, never shed. */
const EXEMPT = /^\/(healthz|readyz|metrics|exit|chat\/widget\.js|chat\/socket)(\/|\?|$)|^\/(assets|portal-static)\//;
const API = /^\/api(\/|\?|$)/;
const CONSOLE = /^\/console(\/|\?|$)/;
/** Staff must be able to sign in during a surge; the login route has its own attempt limits. */
const STAFF_LOGIN = /^\/api\/auth\/login(\?|$)/;
/**
 * The routes an integration's token opens (vehicle tracking's positions, the records system's
 * updates). Elsewhere a bearer token is no claim to the staff queue: the generic API channel's
 * partners send their own bearer token, which an admin may have chosen to start like one of ours.
 */
const INTEGRATION_ROUTES = /^\/api\/(units\/positions|integrations\/records\/cases)(\?|$)/;

/**
 * Classifies a request by what it is for. An API call is staff's when it carries a session cookie,
 * or, on an integration's own route, a bearer token of one of the force's integrations (vehicle
 * tracking, the records system: decision 0203). Either only picks the queue: a route checks its
 * credential before the gate is reached, so a forged one is refused the same either way.
 */
export function classifyRequest(method: string, url: string, credentials: StaffCredentials): AdmissionClass {
  if (method === 'OPTIONS' || EXEMPT.test(url)) return 'exempt';
  if (CONSOLE.test(url)) return 'staff';
  if (!API.test(url)) return 'public';
  if (credentials.hasSession || STAFF_LOGIN.test(url)) return 'staff';
  if (INTEGRATION_ROUTES.test(url) && claimsIntegrationToken(credentials.authorization)) return 'staff';
  return 'public';
}
