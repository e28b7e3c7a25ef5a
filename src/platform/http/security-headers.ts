import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import { AppError } from '../errors.ts';

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

/** One label of a host name: letters, digits, hyphens inside (and underscores, which container networks' names use). */
const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
const NAME_AND_PORT = /^([^:[\]]+)(?::(\d{1,5}))?$/;
const IPV6_AND_PORT = /^\[[0-9A-Fa-f:.]+\](?::(\d{1,5}))?$/;

/**
 * Whether a Host header is a host and an optional port (`bluelamp.example`, `10.0.0.5:3000`,
 * `[::1]:3000`) and nothing else. The console's policy names the host, so anything else (a space,
 * a `;` or a `,`) would add a source to it or break it.
 */
export function isValidHost(host: string): boolean {
  const ipv6 = IPV6_AND_PORT.exec(host);
  const named = ipv6 ? null : NAME_AND_PORT.exec(host);
  const port = ipv6 ? ipv6[1] : named?.[2];
  if (port !== undefined && Number(port) > 65535) return false;
  if (ipv6) return true;
  const name = named?.[1];
  if (!name || name.length > 254) return false;
  return name.replace(/\.$/, '').split('.').every((label) => LABEL.test(label));
}

/**
 * The staff console: Vite's build has no inline script or style, so 'self' is enough; the live
 * feed's WebSocket is named by scheme as well as 'self' for browsers that do not map one to the other.
 * The dispatcher's map (MapLibre GL) runs its tile and geometry work in a worker it starts from a
 * blob: URL and draws decoded images from blob: URLs; its base tiles, when configured, come from
 * that one origin. Its stylesheet is a file of the build and it sets styles through the DOM
 * (never a style attribute in markup), which style-src 'self' allows.
 */
function consoleDirectives(request: FastifyRequest, host: string | null, mapTileOrigin: string | null): Directives {
  const tiles = mapTileOrigin ? [mapTileOrigin] : [];
  const sockets = host ? [`wss://${host}`, ...(request.protocol === 'https' ? [] : [`ws://${host}`])] : [];
  return {
    ...PAGE_BASE,
    'script-src': ["'self'"],
    'connect-src': ["'self'", ...sockets, ...tiles],
    'img-src': ["'self'", 'data:', 'blob:', ...tiles],
    'worker-src': ["'self'", 'blob:'],
  };
}

/**
 * Sends the security headers on every response through `@fastify/helmet`: a Content-Security-
 * Policy for each face (`frame-ancestors 'none'` on all), `nosniff`, a Referrer-Policy, frame
 * denial for old browsers, and HSTS in production. The chat widget script alone may be loaded
 * by other sites (the force's own website embeds it). A request whose Host is not a host and
 * port (`isValidHost`) is refused with a 400 on every face, with those headers: the console's
 * policy, and links built from the request, name the host.
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
    // Typed as always there, but an HTTP/1.0 request may come without one: it gets 'self' alone.
    const host = request.host as string | undefined;
    // Only a well-formed host is named in a policy; any other is refused after the headers are set.
    const isHostValid = !host || isValidHost(host);
    const consoleConfig = () => ({ ...common, ...csp(consoleDirectives(request, host && isHostValid ? host : null, options.mapTileOrigin ?? null)) });
    const config = face === 'api' ? api : face === 'widget' ? widget : face === 'portal' ? portal : consoleConfig();
    reply.helmet(config);
    if (!isHostValid) {
      throw new AppError('validation_failed', `malformed Host header ${JSON.stringify(host)}`, {
        publicMessage: 'The Host header must be a host name or address, with an optional port',
        fields: [{ path: 'headers.host', message: 'must be a host name or address, with an optional port' }],
      });
    }
  });
}
