import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpTimeouts } from '../../src/platform/http/server.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

/**
 * Opens a raw connection, writes `start`, then one more byte every `everyMs` (a sender trickling
 * its request, as a slowloris attack does); resolves with what the server wrote back once it
 * closes the connection, or null if it is still open after `giveUpMs`.
 */
function trickle(port: number, start: string, everyMs: number, giveUpMs: number): Promise<{ answer: string } | null> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    // The trickle starts once the request's start is written: on a busy machine connecting can
    // take longer than one interval, and a byte written first would make the request malformed.
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve(null);
    }, giveUpMs);
    socket.on('connect', () => {
      socket.write(start);
      timer = setInterval(() => {
        if (!socket.destroyed) socket.write('a');
      }, everyMs);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close while a byte is on its way: the answer already read is what counts.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ answer });
    });
  });
}

describe('a request that arrives too slowly', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp({ env: { HTTP_REQUEST_TIMEOUT_S: '1' } });
    await app.http?.listen({ port: 0, host: '127.0.0.1' });
    port = (app.http?.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('is-answered-408-and-its-connection-closed-while-others-are-served', async () => {
    // A body promised at 1,000 bytes and sent a byte every 100 ms: without a limit it would hold
    // the connection for 100 s; the limit (1 s, Node looking every 250 ms) ends it within seconds.
    const slowBody = trickle(port, 'POST /report/details HTTP/1.1\r\nHost: portal\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nwhatHappened=', 100, 20_000);
    const slowHeaders = trickle(port, 'GET /healthz HTTP/1.1\r\nHost: portal\r\nX-Slow: ', 100, 20_000);
    const meanwhile = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(meanwhile.status).toBe(200);
    for (const ended of [await slowBody, await slowHeaders]) {
      expect(ended, 'the connection was still open after 20 s').not.toBeNull();
      expect(ended?.answer).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('takes-its-limit-from-the-setting-with-the-headers-limit-within-it', () => {
    expect(app.http?.server.requestTimeout).toBe(1000);
    expect(httpTimeouts(60_000)).toEqual({ requestTimeout: 60_000, headersTimeout: 20_000, connectionsCheckingInterval: 5_000 });
    expect(httpTimeouts(1_000)).toEqual({ requestTimeout: 1_000, headersTimeout: 334, connectionsCheckingInterval: 250 });
  });
});
