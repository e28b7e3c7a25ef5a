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
    // A result with more fields than the schema's still type-checks (it is not a fresh object
    // literal at the route), so only the check at run time catches the extra field.
    handler,
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

  it('fails-every-answer-that-leaves-a-field-out-and-passes-every-one-in-another-key-order-when-exact', async () => {
    const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32), isResponseCheckExact: true });
    publicRoute(server, {
      method: 'GET',
      url: '/api/answer/:kind',
      permission: 'public',
      audit: 'test.answer',
      summary: 'Answers in the schema’s key order, another order, or with a field more',
      response: { 200: z.object({ first: z.string(), second: z.string() }) },
      handler: async ({ request }) => {
        const { kind } = request.params as { kind: string };
        if (kind === 'reordered') return { second: 'b', first: 'a' };
        if (kind === 'more') return { first: 'a', second: 'b', third: 'c' } as { first: string; second: string };
        return { first: 'a', second: 'b' };
      },
    });
    await server.ready();
    // Asked twice each: what was checked once is not taken on trust for a different answer.
    for (let round = 0; round < 2; round += 1) {
      for (const kind of ['ordered', 'reordered']) {
        const answer = await server.inject({ method: 'GET', url: `/api/answer/${kind}` });
        expect(answer.statusCode).toBe(200);
        expect(answer.json()).toEqual({ first: 'a', second: 'b' });
      }
      expect((await server.inject({ method: 'GET', url: '/api/answer/more' })).statusCode).toBe(500);
    }
    await server.close();
  });
});
