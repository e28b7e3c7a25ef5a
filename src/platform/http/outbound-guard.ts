import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { AppError } from '../errors.ts';

/**
 * Where the server may send requests on a force admin's say-so. Every URL an admin can set (a
 * channel's callback or API base URL, a mail server) and every URL a provider hands us (an
 * attachment link) goes through one guard: https only in production, and never to an address
 * inside our own network (loopback, private, link-local and cloud metadata, CGNAT, multicast,
 * unspecified, reserved, and their IPv6 forms), judged on the address DNS gives, not the name.
 * The connection is then made to that same address, so a name cannot resolve to a public
 * address for the check and a private one for the connection.
 */
export type OutboundPolicy = {
  /** Plain http is allowed (outside production only). */
  allowHttp: boolean;
  /** Host names (`crm.force.internal`, `*.force.internal`), addresses and CIDR ranges that may be reached even if private. */
  allowList: readonly string[];
  /** How long one request may take, redirects included. */
  timeoutMs?: number;
};

/** A URL that passed the guard, with the address to connect to. */
export type CheckedTarget = { url: URL; address: string; family: 4 | 6 };

/** Schemes a mail server setting may use; only the guard's `fetch` is limited to http(s). */
const MAIL_SCHEMES = new Set(['smtp:', 'smtps:', 'imap:', 'imaps:']);
const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Ranges the server never reaches unless allow-listed, each with the words used to refuse it. */
const BLOCKED_RANGES: { kind: string; ranges: [string, number, 'ipv4' | 'ipv6'][] }[] = [
  { kind: 'a loopback address', ranges: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']] },
  { kind: 'an unspecified address', ranges: [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']] },
  {
    kind: 'a private network address',
    ranges: [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['fc00::', 7, 'ipv6'], // unique local, including fd00:ec2::254 (a cloud metadata address)
      ['fec0::', 10, 'ipv6'], // the old site-local range
    ],
  },
  {
    kind: 'a link-local or cloud metadata address',
    ranges: [
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
      // Azure's WireServer: outside link-local, yet every Azure VM reaches it, and it serves the
      // VM's goal state and certificates to whoever asks from inside.
      ['168.63.129.16', 32, 'ipv4'],
    ],
  },
  { kind: 'a carrier-grade NAT address', ranges: [['100.64.0.0', 10, 'ipv4']] },
  { kind: 'a multicast or broadcast address', ranges: [['224.0.0.0', 4, 'ipv4'], ['255.255.255.255', 32, 'ipv4'], ['ff00::', 8, 'ipv6']] },
  {
    kind: 'a reserved address',
    ranges: [
      ['192.0.0.0', 24, 'ipv4'],
      ['192.0.2.0', 24, 'ipv4'],
      ['192.88.99.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['198.51.100.0', 24, 'ipv4'],
      ['203.0.113.0', 24, 'ipv4'],
      ['240.0.0.0', 4, 'ipv4'],
      ['100::', 64, 'ipv6'],
      ['2001:db8::', 32, 'ipv6'],
    ],
  },
  {
    // Prefixes that carry an IPv4 address inside (NAT64, 6to4, Teredo, IPv4-compatible): the
    // embedded address could be anything, so none is reached.
    kind: 'an IPv6 address that embeds an IPv4 one',
    ranges: [
      ['64:ff9b::', 96, 'ipv6'],
      ['64:ff9b:1::', 48, 'ipv6'],
      ['2002::', 16, 'ipv6'],
      ['2001::', 32, 'ipv6'],
      ['::', 96, 'ipv6'],
      ['::ffff:0:0:0', 96, 'ipv6'], // IPv4-translated (SIIT), ::ffff:0:a.b.c.d
    ],
  },
];

const BLOCK_LISTS = BLOCKED_RANGES.map(({ kind, ranges }) => {
  const list = new BlockList();
  for (const [network, prefix, type] of ranges) list.addSubnet(network, prefix, type);
  return { kind, list };
});

/** The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), or null. */
function mappedIpv4(address: string): string | null {
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (!match) return null;
  const high = parseInt(match[1] ?? '0', 16);
  const low = parseInt(match[2] ?? '0', 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Why the server must not reach this address (e.g. "a loopback address"), or null if it may. */
export function blockedAddressKind(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // A zone (fe80::1%eth0, as a resolver may answer for a local name) names an interface of this
  // machine: judged without it, and never reached unless allow-listed.
  if (family === 6 && address.includes('%')) return blockedAddressKind(address.slice(0, address.indexOf('%'))) ?? 'an address scoped to a local interface';
  if (family === 6) {
    const inner = mappedIpv4(address);
    if (inner) return blockedAddressKind(inner);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return BLOCK_LISTS.find(({ list }) => list.check(address, type))?.kind ?? null;
}

/** Splits and checks an allow-list setting; throws with the bad entry named. */
export function parseAllowList(value: string): string[] {
  const entries = value
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    if (!isAllowEntry(entry)) throw new Error(`"${entry}" is not a host name, an IP address or a CIDR range`);
  }
  return entries;
}

function isAllowEntry(entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash >= 0) {
    const family = isIP(entry.slice(0, slash));
    const prefix = Number(entry.slice(slash + 1));
    return family !== 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128);
  }
  if (isIP(entry) !== 0) return true;
  return /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(entry);
}

/** Refused: the URL or the address it resolves to is not one the server may reach. */
function refused(reason: string): AppError {
  return new AppError('outbound_refused', reason, { publicMessage: reason });
}

/** True for the error the guard throws when it refuses a URL (not for network failures). */
export function isOutboundRefusal(error: unknown): error is AppError {
  return error instanceof AppError && error.code === 'outbound_refused';
}

/** The one way the server makes requests to URLs it was given (see `OutboundPolicy`). */
export class OutboundGuard {
  private readonly hosts: Set<string>;
  private readonly suffixes: string[];
  private readonly ranges = new BlockList();
  private readonly timeoutMs: number;

  constructor(private readonly policy: OutboundPolicy) {
    this.timeoutMs = policy.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.hosts = new Set();
    this.suffixes = [];
    for (const entry of policy.allowList) {
      const slash = entry.indexOf('/');
      const family = isIP(slash >= 0 ? entry.slice(0, slash) : entry);
      if (family !== 0) {
        const network = slash >= 0 ? entry.slice(0, slash) : entry;
        const prefix = slash >= 0 ? Number(entry.slice(slash + 1)) : family === 4 ? 32 : 128;
        this.ranges.addSubnet(network, prefix, family === 4 ? 'ipv4' : 'ipv6');
      } else if (entry.startsWith('*.')) {
        this.suffixes.push(entry.slice(1));
      } else {
        this.hosts.add(entry);
      }
    }
  }

  private isAllowedHost(host: string): boolean {
    return this.hosts.has(host) || this.suffixes.some((suffix) => host.endsWith(suffix));
  }

  private isAllowedAddress(address: string): boolean {
    return this.ranges.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
  }

  /**
   * Checks a URL's scheme, then every address its host resolves to; returns the address to
   * connect to. Throws `outbound_refused` with the reason, or a plain error if DNS fails (which
   * may pass, so a send is retried).
   */
  async check(input: string | URL): Promise<CheckedTarget> {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw refused('is not a URL');
    }
    if (url.protocol === 'http:') {
      if (!this.policy.allowHttp) throw refused('must be an https URL (plain http is allowed outside production only)');
    } else if (url.protocol !== 'https:' && !MAIL_SCHEMES.has(url.protocol)) {
      throw refused(`uses ${url.protocol.replace(/:$/, '')}:, which is not allowed (use https)`);
    }
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
    if (host === '') throw refused('has no host');
    const literal = isIP(host);
    const addresses: { address: string; family: number }[] =
      literal !== 0 ? [{ address: host, family: literal }] : await lookup(host, { all: true, verbatim: true }).catch((error: unknown) => {
        // The cause keeps the resolver's code (ENOTFOUND), from which staff are told why in plain words.
        throw new Error(`could not resolve ${host}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      });
    if (addresses.length === 0) throw new Error(`could not resolve ${host}`);
    if (!this.isAllowedHost(host)) {
      // Every address must pass: a name that resolves to a public and a private address is refused.
      for (const { address } of addresses) {
        if (this.isAllowedAddress(address)) continue;
        const kind = blockedAddressKind(address);
        if (kind) {
          const named = literal !== 0 ? address : `${host} (${address})`;
          throw refused(`points to ${named}, ${kind}; add it to OUTBOUND_ALLOW_LIST if this is an on-premise integration`);
        }
      }
    }
    const first = addresses[0] ?? { address: host, family: literal };
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  /**
   * A `fetch` for channel adapters and attachment downloads: http(s) only, every hop checked and
   * connected to the checked address, redirects followed by hand (up to five, each checked).
   */
  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const base = input instanceof Request ? new Request(input, init) : new Request('http://outbound.invalid/', init);
    let url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(`uses ${url.protocol.replace(/:$/, '')}:, which is not allowed (use https)`);
    let method = base.method;
    const headers = new Headers(base.headers);
    let body: Buffer | null = base.body ? Buffer.from(await base.arrayBuffer()) : null;
    const signal = init.signal ?? AbortSignal.timeout(this.timeoutMs);
    const redirect = init.redirect ?? 'follow';
    for (let hop = 0; ; hop += 1) {
      const target = await this.check(url);
      const response = await sendPinned(target, { method, headers, body, signal });
      const location = response.headers.get('location');
      if (![301, 302, 303, 307, 308].includes(response.status) || redirect === 'manual' || !location) return response;
      await response.body?.cancel();
      if (redirect === 'error') throw new Error(`redirected to ${location}`);
      if (hop >= MAX_REDIRECTS) throw refused(`more than ${MAX_REDIRECTS} redirects`);
      const next = new URL(location, url);
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = null;
        headers.delete('content-type');
      }
      // Credentials meant for one host never follow a redirect to another.
      if (next.origin !== url.origin) {
        headers.delete('authorization');
        headers.delete('cookie');
      }
      url = next;
    }
  };
}

type PinnedRequest = { method: string; headers: Headers; body: Buffer | null; signal: AbortSignal };

/** One HTTP exchange with the checked address, whatever the name resolves to by now. */
function sendPinned(target: CheckedTarget, request: PinnedRequest): Promise<Response> {
  const pinnedLookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (request.body) headers['content-length'] = String(request.body.length);
  return new Promise<Response>((resolve, reject) => {
    const outgoing = client.request(
      target.url,
      // No shared agent: a pooled socket must never carry a request for another pinned address.
      { method: request.method, headers, lookup: pinnedLookup, signal: request.signal, agent: false },
      (incoming) => {
        const status = incoming.statusCode ?? 0;
        if (status < 200 || status > 599) {
          incoming.destroy();
          reject(new Error(`unexpected HTTP status ${status}`));
          return;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value === undefined) continue;
          for (const item of Array.isArray(value) ? value : [value]) responseHeaders.append(name, item);
        }
        const hasBody = request.method !== 'HEAD' && ![204, 205, 304].includes(status);
        const stream = hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : null;
        if (!hasBody) incoming.resume();
        resolve(new Response(stream, { status, statusText: incoming.statusMessage ?? '', headers: responseHeaders }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body ?? undefined);
  });
}
