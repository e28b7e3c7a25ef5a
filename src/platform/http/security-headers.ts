import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyHelmet from '@fastify/helmet';

/** Helmet's own options, as `reply.helmet` takes them. */
type HelmetConfig = NonNullable<Parameters<FastifyReply['helmet']>[0]>;
type Directives = Record<string, string[]>;

export type SecurityHeaderOptions = {
  /** HSTS is sent in production only: a developer's plain-http localhost must keep working. */
  isProduction: boolean;
  /** `'sha256-…'` sources for the portal's inline scripts (GOV.UK Frontend's `js-enabled` line). */
  portalInlineScriptHashes: readonly string[];
  /**
   * The origin of the dispatcher's base map tiles (MAP_TILE_URL), when one is set: the console may
   * fetch and draw images from it, and from nowhere else outside itself.
   */
  mapTileOrigin?: string | null;
};

/** Which face of the product a path belongs to; each has its own Content-Security-Policy. */
export type Face = 'api' | 'console' | 'widget' | 'portal';

/** JSON, webhooks, probes and metrics: nothing in them is ever rendered as a page. */
const API_PATH = /^\/(api|webhooks|healthz|readyz|metrics)(\/|\?|$)/;
const CONSOLE_PATH = /^\/console(\/|\?|$)/;
const WIDGET_PATH = /^\/chat\/widget\.js(\?|$)/;

/** The face a request URL belongs to. */
export function faceOf(url: string): Face {
  if (API_PATH.test(url)) return 'api';
  if (CONSOLE_PATH.test(url)) return 'console';
  if (WIDGET_PATH.test(url)) return 'widget';
  return 'portal';
}

/** Directives every page shares: nothing may frame it, no plugins, no <base> rewriting. */
const PAGE_BASE: Directives = {
  'default-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** The policy of the API: a response that is somehow rendered can load and run nothing. */
const API_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/**
 * The headers of an answer sent without the request hooks (Fastify refuses a request it cannot
 * route before any hook runs): the API's policy, which lets nothing load, run or frame it.
 */
export const UNHOOKED_ANSWER_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': Object.entries(API_DIRECTIVES)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join(';'),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/**
 * The staff console: Vite's build has no inline script or style, so 'self' is enough; the live
 * feed's WebSocket is named by scheme as well as 'self' for browsers that do not map one to the other.
 * The dispatcher's map (MapLibre GL) runs its tile and geometry work in a worker it starts from a
 * blob: URL and draws decoded images from blob: URLs; its base tiles, when configured, come from
 * that one origin. Its stylesheet is a file of the build and it sets styles through the DOM
 * (never a style attribute in markup), which style-src 'self' allows.
 */
function consoleDirectives(request: FastifyRequest, mapTileOrigin: string | null): Directives {
  const host = request.host;
  const tiles = mapTileOrigin ? [mapTileOrigin] : [];
  return {
    ...PAGE_BASE,
    'script-src': ["'self'"],
    'connect-src': ["'self'", `wss://${host}`, ...(request.protocol === 'https' ? [] : [`ws://${host}`]), ...tiles],
    'img-src': ["'self'", 'data:', 'blob:', ...tiles],
    'worker-src': ["'self'", 'blob:'],
  };
}

/**
 * Sends the security headers on every response through `@fastify/helmet`: a Content-Security-
 * Policy for each face (`frame-ancestors 'none'` on all), `nosniff`, a Referrer-Policy, frame
 * denial for old browsers, and HSTS in production. The chat widget script alone may be loaded
 * by other sites (the force's own website embeds it).
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): Promise<void> {
  const common: HelmetConfig = {
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.isProduction ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  };
  // Not global: the hook below picks each request's policy by path, 404 pages included.
  await app.register(fastifyHelmet, { global: false });
  const csp = (directives: Directives) => ({ contentSecurityPolicy: { useDefaults: false, directives } });
  const api: HelmetConfig = { ...common, ...csp(API_DIRECTIVES) };
  const portal: HelmetConfig = {
    ...common,
    ...csp({ ...PAGE_BASE, 'script-src': ["'self'", ...options.portalInlineScriptHashes], 'connect-src': ["'self'"] }),
  };
  const widget: HelmetConfig = { ...api, crossOriginResourcePolicy: { policy: 'cross-origin' } };

  app.addHook('onRequest', async (request, reply) => {
    const face = faceOf(request.url);
    const config = face === 'api' ? api : face === 'widget' ? widget : face === 'portal' ? portal : { ...common, ...csp(consoleDirectives(request, options.mapTileOrigin ?? null)) };
    reply.helmet(config);
  });
}
