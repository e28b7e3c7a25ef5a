import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';

// What Node's HTTP server and Fastify answer before any route runs (headers too large, a request
// that is not HTTP, no Host, an Expect it cannot meet, a body that is not JSON or too large) comes
// back in the product's error shape, with the reason, as every other refusal does: an integrator's
// client reads one shape, never Fastify's `{ error, message, statusCode }` or an empty body.

type Answer = { status: number; headers: Record<string, string>; body: string };

/** Writes `request` on a connection of its own and reads the one answer, until the server closes or answers in full. */
function send(port: number, request: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let raw = '';
    const finish = () => {
      const [head = '', ...rest] = raw.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    };
    socket.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
      if (length !== undefined && Buffer.byteLength(body) >= Number(length)) {
        socket.destroy();
        finish();
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => finish());
  });
}

/** The product's error body, with its reason. */
function expectOurError(answer: Answer, status: number, code: string) {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
  expect(body).not.toHaveProperty('statusCode');
  return body.error.message;
}

describe('a request refused before any route runs', () => {
  let app: TestApp;
  let port: number;

  beforeAll(async () => {
    app = await createTestApp();
    await app.http?.listen({ port: 0, host: '127.0.0.1' });
    port = (app.http?.server.address() as AddressInfo).port;
  });
  afterAll(() => app.close());

  it('answers-headers-too-large-431-in-our-shape-with-the-reason', async () => {
    const answer = await send(port, `GET /api/contacts HTTP/1.1\r\nHost: bluelamp.test\r\nCookie: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(expectOurError(answer, 431, 'headers_too_large')).toContain('headers');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers-an-address-too-long-for-the-headers-431-in-our-shape', async () => {
    const answer = await send(port, `GET /report/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: bluelamp.test\r\n\r\n`);
    expectOurError(answer, 431, 'headers_too_large');
  });

  it('answers-a-request-that-is-not-http-400-in-our-shape', async () => {
    expectOurError(await send(port, 'HELLO THERE\r\n\r\n'), 400, 'validation_failed');
    const badLength = await send(port, 'POST /api/channels/api/messages HTTP/1.1\r\nHost: bluelamp.test\r\nContent-Length: twelve\r\n\r\n');
    expect(expectOurError(badLength, 400, 'validation_failed')).toContain('Content-Length');
  });

  it('answers-an-http-1.1-request-without-a-host-400-in-our-shape', async () => {
    const answer = await send(port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    expect(expectOurError(answer, 400, 'validation_failed')).toContain('Host');
    // HTTP/1.0 has no Host to require.
    expect((await send(port, 'GET /healthz HTTP/1.0\r\n\r\n')).status).toBe(200);
  });

  it('answers-an-expectation-it-cannot-meet-417-in-our-shape', async () => {
    const answer = await send(port, 'POST /api/channels/api/messages HTTP/1.1\r\nHost: bluelamp.test\r\nExpect: 200-ok\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    expect(expectOurError(answer, 417, 'expectation_failed')).toContain('100-continue');
  });

  it('answers-broken-json-and-a-body-too-large-in-our-shape', async () => {
    const broken = await send(port, 'POST /api/auth/login HTTP/1.1\r\nHost: bluelamp.test\r\nContent-Type: application/json\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{bad}');
    expectOurError(broken, 400, 'validation_failed');
    const large = await send(port, 'POST /api/auth/login HTTP/1.1\r\nHost: bluelamp.test\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\nConnection: close\r\n\r\n{}');
    expectOurError(large, 413, 'payload_too_large');
  });
});
