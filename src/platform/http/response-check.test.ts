import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createServer } from './server.ts';
import { publicRoute } from './routes.ts';

/** A server with one route whose handler answers more than its schema declares. */
async function serverAnsweringMore(isResponseCheckExact: boolean) {
  const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32), isResponseCheckExact });
  const handler = async () => ({ declared: 'yes', undeclared: 'a field the schema does not name' });
  publicRoute(server, {
    method: 'GET',
    url: '/api/more',
    permission: 'public',
    audit: 'test.more',
    summary: 'Answers a field its schema leaves out',
    response: { 200: z.object({ declared: z.string() }) },
    // The handler's type is checked against the schema; this test goes around that on purpose.
    handler: handler as () => Promise<{ declared: string }>,
  });
  publicRoute(server, {
    method: 'GET',
    url: '/api/teapot',
    permission: 'public',
    audit: 'test.teapot',
    summary: 'Answers a status it does not declare',
    response: { 200: z.object({ declared: z.string() }) },
    handler: async ({ reply }) => reply.status(202).send({ declared: 'yes' }),
  });
  await server.ready();
  return server;
}

describe('response checks', () => {
  it('leaves-out-undeclared-fields-in-production', async () => {
    const server = await serverAnsweringMore(false);
    const response = await server.inject({ method: 'GET', url: '/api/more' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ declared: 'yes' });
    expect((await server.inject({ method: 'GET', url: '/api/teapot' })).statusCode).toBe(202);
    await server.close();
  });

  it('fails-undeclared-fields-and-statuses-when-exact', async () => {
    const server = await serverAnsweringMore(true);
    const more = await server.inject({ method: 'GET', url: '/api/more' });
    expect(more.statusCode).toBe(500);
    expect(more.json()).toEqual({ error: { code: 'internal', message: 'Something went wrong' } });
    expect((await server.inject({ method: 'GET', url: '/api/teapot' })).statusCode).toBe(500);
    await server.close();
  });
});
