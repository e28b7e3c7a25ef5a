import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn } from '../../../test/helpers.ts';
import { loadConfig } from '../config/config.ts';
import { OutboundGuard, blockedAddressKind, isOutboundRefusal, parseAllowList } from './outbound-guard.ts';

/** The reason a check was refused, or 'allowed'. */
async function verdict(guard: OutboundGuard, url: string): Promise<string> {
  try {
    await guard.check(url);
    return 'allowed';
  } catch (error) {
    if (isOutboundRefusal(error)) return error.message;
    throw error;
  }
}

describe('outbound guard: addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fc12::1', 'private'],
    ['169.254.169.254', 'link-local or cloud metadata'],
    // Azure's WireServer: a public-looking address every Azure VM reaches, serving its goal state and certificates.
    ['168.63.129.16', 'cloud metadata'],
    ['::ffff:168.63.129.16', 'cloud metadata'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.254', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a9fe:a9fe', 'embeds an IPv4'],
    ['2002:7f00:1::1', 'embeds an IPv4'],
    ['::127.0.0.1', 'embeds an IPv4'],
    ['::ffff:0:127.0.0.1', 'embeds an IPv4'],
    ['::ffff:0:a9fe:a9fe', 'embeds an IPv4'],
    ['fe80::1%eth0', 'link-local'],
    ['2a00:1450::1%eth0', 'scoped to a local interface'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
  ])('refuses-%s-as-%s', (address, kind) => {
    expect(blockedAddressKind(address)).toContain(kind);
  });

  it.each(['8.8.8.8', '151.101.0.1', '100.63.255.255', '100.128.0.0', '172.32.0.1', '2a00:1450:4009:80b::200e', '::ffff:8.8.8.8'])(
    'allows-public-address-%s',
    (address) => {
      expect(blockedAddressKind(address)).toBeNull();
    },
  );
});

describe('outbound guard: URLs', () => {
  const guard = new OutboundGuard({ allowHttp: true, allowList: [] });
  const production = new OutboundGuard({ allowHttp: false, allowList: [] });

  it.each([
    ['http://127.0.0.1/hook', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[fd00:ec2::254]/', 'private'],
    ['http://[fe80::1]/', 'link-local'],
    ['https://10.0.0.5/', 'private'],
    ['https://100.64.1.1/', 'carrier-grade NAT'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://224.0.0.251/', 'multicast'],
    ['http://2130706433/', 'loopback'], // 127.0.0.1 written as one number
    ['http://0x7f.1/', 'loopback'],
    ['file:///etc/passwd', 'file:'],
    ['gopher://127.0.0.1:6379/_FLUSHALL', 'gopher:'],
    ['ftp://example.org/', 'ftp:'],
    ['javascript:alert(1)', 'javascript:'],
  ])('refuses-%s', async (url, reason) => {
    expect(await verdict(guard, url)).toContain(reason);
  });

  it('refuses-a-host-name-that-resolves-to-loopback-after-resolving-it', async () => {
    const reason = await verdict(guard, 'http://localhost:9/hook');
    expect(reason).toContain('localhost (127.0.0.1)');
    expect(reason).toContain('loopback');
    expect(reason).toContain('OUTBOUND_ALLOW_LIST');
  });

  it('refuses-plain-http-in-production-and-allows-it-outside', async () => {
    expect(await verdict(production, 'http://93.184.215.14/')).toContain('must be an https URL');
    expect(await verdict(production, 'https://93.184.215.14/')).toBe('allowed');
    expect(await verdict(guard, 'http://93.184.215.14/')).toBe('allowed');
  });

  it('reaches-allow-listed-hosts-and-ranges-and-nothing-next-to-them', async () => {
    const onPremise = new OutboundGuard({ allowHttp: true, allowList: parseAllowList('10.20.0.0/16, localhost ,*.force.internal, fd12::7') });
    expect(await verdict(onPremise, 'https://10.20.3.4/crm')).toBe('allowed');
    expect(await verdict(onPremise, 'https://10.21.0.1/crm')).toContain('private');
    expect(await verdict(onPremise, 'http://localhost:9/')).toBe('allowed');
    expect(await verdict(onPremise, 'https://[fd12::7]/')).toBe('allowed');
    expect(await verdict(onPremise, 'https://[fd12::8]/')).toContain('private');
    // The allow-list is about addresses, not schemes.
    expect(await verdict(onPremise, 'gopher://10.20.3.4/')).toContain('gopher:');
  });

  it('refuses-a-bad-allow-list-at-start-up-naming-the-entry', () => {
    expect(() => parseAllowList('10.0.0.0/33')).toThrow('10.0.0.0/33');
    expect(() => loadConfig({ OUTBOUND_ALLOW_LIST: 'crm.force.internal, http://x/' })).toThrow(/OUTBOUND_ALLOW_LIST.*http:\/\/x\//s);
    expect(loadConfig({ OUTBOUND_ALLOW_LIST: 'crm.force.internal,10.0.0.0/8' }).outboundAllowList).toEqual(['crm.force.internal', '10.0.0.0/8']);
  });
});

describe('outbound guard: requests', () => {
  let standIn: Awaited<ReturnType<typeof startStandIn>>;
  const allowed = () => new OutboundGuard({ allowHttp: true, allowList: ['127.0.0.1'] });

  beforeAll(async () => {
    standIn = await startStandIn();
  });
  afterAll(() => standIn.close());

  it('sends-to-an-allow-listed-stand-in-with-method-headers-and-body-intact', async () => {
    standIn.respondWith(201, { id: 'sent-1' });
    const response = await allowed().fetch(`${standIn.url}/send?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: JSON.stringify({ hello: 'world' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ id: 'sent-1' });
    const seen = standIn.requests.at(-1);
    expect(seen).toMatchObject({ method: 'POST', url: '/send?x=1', body: '{"hello":"world"}' });
    expect(seen?.headers.authorization).toBe('Bearer t');
  });

  it('sends-a-form-body-with-its-content-type', async () => {
    standIn.respondWith(200, {});
    await allowed().fetch(`${standIn.url}/form`, { method: 'POST', body: new URLSearchParams({ To: '+447700900123', Body: 'hi' }) });
    const seen = standIn.requests.at(-1);
    expect(seen?.body).toBe('To=%2B447700900123&Body=hi');
    expect(String(seen?.headers['content-type'])).toContain('application/x-www-form-urlencoded');
  });

  it('refuses-the-stand-in-when-it-is-not-allow-listed-and-sends-nothing', async () => {
    const before = standIn.requests.length;
    const guard = new OutboundGuard({ allowHttp: true, allowList: [] });
    await expect(guard.fetch(`${standIn.url}/hook`, { method: 'POST', body: '{}' })).rejects.toThrow('loopback');
    expect(standIn.requests.length).toBe(before);
  });

  it('refuses-a-redirect-to-a-private-address-without-following-it', async () => {
    const before = standIn.requests.length;
    standIn.respondWith(302, '', { location: 'http://169.254.169.254/latest/meta-data/iam/' });
    const error: unknown = await allowed()
      .fetch(`${standIn.url}/media/1`)
      .catch((caught: unknown) => caught);
    expect(isOutboundRefusal(error)).toBe(true);
    expect(String(error)).toContain('169.254.169.254');
    expect(standIn.requests.length).toBe(before + 1);
  });

  it('refuses-a-host-name-resolving-to-loopback-before-connecting', async () => {
    const before = standIn.requests.length;
    const guard = new OutboundGuard({ allowHttp: true, allowList: [] });
    await expect(guard.fetch(standIn.url.replace('127.0.0.1', 'localhost'))).rejects.toThrow('localhost (127.0.0.1)');
    expect(standIn.requests.length).toBe(before);
  });

  it('refuses-redirects-to-loopback-and-to-other-schemes-and-hands-back-manual-ones', async () => {
    const before = standIn.requests.length;
    standIn.respondWith(307, '', { location: `http://[::1]:${new URL(standIn.url).port}/next` });
    // Manual mode hands the redirect back untouched.
    expect((await allowed().fetch(`${standIn.url}/a`, { redirect: 'manual' })).status).toBe(307);
    await expect(allowed().fetch(`${standIn.url}/b`)).rejects.toThrow('::1, a loopback address');
    standIn.respondWith(302, '', { location: 'gopher://127.0.0.1:6379/_x' });
    await expect(allowed().fetch(`${standIn.url}/c`)).rejects.toThrow('gopher:');
    standIn.respondWith(302, '', { location: `${standIn.url}/again` });
    await expect(allowed().fetch(`${standIn.url}/d`)).rejects.toThrow('more than 5 redirects');
    expect(standIn.requests.length).toBe(before + 3 + 6);
  });

  it('follows-a-redirect-to-an-allowed-address-and-drops-credentials-on-another-origin', async () => {
    const { createServer } = await import('node:http');
    const seen: { url: string; authorization: string | undefined }[] = [];
    const server = createServer((request, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
      if (request.url === '/start') {
        const port = (server.address() as { port: number }).port;
        response.writeHead(302, { location: `http://localhost:${port}/final` }).end();
      } else {
        response.writeHead(200, { 'content-type': 'text/plain' }).end('the file');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const guard = new OutboundGuard({ allowHttp: true, allowList: ['127.0.0.1'] });
      const response = await guard.fetch(`http://127.0.0.1:${port}/start`, { headers: { authorization: 'Basic c2VjcmV0' } });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('the file');
      expect(seen).toEqual([
        { url: '/start', authorization: 'Basic c2VjcmV0' },
        { url: '/final', authorization: undefined },
      ]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
