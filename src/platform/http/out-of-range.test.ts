import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { withSystem } from '../db/database.ts';
import { createServer } from './server.ts';
import { publicRoute } from './routes.ts';

/**
 * A number the database cannot keep, which a route's schema forgot to bound, is the request's
 * fault: the engine under test refuses the statement, and the answer is a 400 in the error shape,
 * never a 500.
 */
describe('a value out of the range the database keeps', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  async function serverStoring() {
    const server = await createServer({ logger: pino({ level: 'silent' }), trustProxy: false, cookieSecret: 'x'.repeat(32) });
    publicRoute(server, {
      method: 'POST',
      url: '/api/count',
      permission: 'public',
      audit: 'test.count',
      summary: 'Reads a whole number as an integer column would keep it',
      // Unbounded on purpose: the schema a route should not have.
      body: z.object({ count: z.number().int(), at: z.string() }),
      response: { 200: z.object({ count: z.number(), at: z.string() }) },
      handler: async ({ body }) =>
        withSystem(app.database.db, async (tx) => {
          const row = await sql<{ count: number; at: string }>`select ${body.count}::integer as count, ${body.at}::timestamptz::text as at`.execute(tx);
          return row.rows[0] ?? { count: 0, at: '' };
        }),
    });
    await server.ready();
    return server;
  }

  it('answers-400-for-a-number-or-date-too-large-and-still-serves-the-next', async () => {
    const server = await serverStoring();
    try {
      for (const payload of [{ count: 2_147_483_648, at: '2026-01-01T00:00:00Z' }, { count: 1, at: '294277-01-01T00:00:00Z' }]) {
        const refused = await server.inject({ method: 'POST', url: '/api/count', payload });
        expect(refused.statusCode, refused.body).toBe(400);
        expect(refused.json()).toEqual({ error: { code: 'validation_failed', message: 'A number or date in the request is larger or smaller than it can be.' } });
      }
      const fine = await server.inject({ method: 'POST', url: '/api/count', payload: { count: 2_147_483_647, at: '2026-01-01T00:00:00Z' } });
      expect(fine.statusCode, fine.body).toBe(200);
      expect(fine.json<{ count: number }>().count).toBe(2_147_483_647);
    } finally {
      await server.close();
    }
  });
});
