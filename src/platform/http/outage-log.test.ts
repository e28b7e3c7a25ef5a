import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixedClock } from '../clock.ts';
import { OUTAGE_LOG_INTERVAL_MS, createServer } from './server.ts';
import { publicRoute } from './routes.ts';

/** A server whose one route fails as a request does while PostgreSQL restarts, logging into `lines`. */
async function serverDuringAnOutage() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const clock = fixedClock(new Date('2026-12-04T00:00:00Z'));
  const server = await createServer({ logger: pino({ level: 'info' }, sink), trustProxy: false, cookieSecret: 'x'.repeat(32), clock });
  let failure: () => Error = () => Object.assign(new Error('the database system is shutting down'), { code: '57P03' });
  publicRoute(server, {
    method: 'GET',
    url: '/api/needs-the-database',
    permission: 'public',
    audit: 'test.database',
    summary: 'Reads the database',
    response: { 200: z.object({ ok: z.boolean() }) },
    handler: async () => {
      throw failure();
    },
  });
  await server.ready();
  return { server, lines, clock, failWith: (make: () => Error) => (failure = make) };
}

describe('requests answered 503 while the database is out of reach or out of resources', () => {
  it('are logged once as a warning, then once an interval with how many more, not once each with a stack', async () => {
    const { server, lines, clock, failWith } = await serverDuringAnOutage();
    try {
      for (let i = 0; i < 40; i += 1) {
        const response = await server.inject({ method: 'GET', url: '/api/needs-the-database' });
        expect(response.statusCode).toBe(503);
        expect(response.headers['retry-after']).toBe('5');
      }
      const outage = () => lines.filter((line) => line.msg === 'requests answered 503: the database is out of reach or out of resources');
      expect(outage()).toHaveLength(1);
      expect(outage()[0]).toMatchObject({ level: 40, code: 'unavailable', moreSinceLastLine: 0 });
      expect(String(outage()[0]?.reason)).toContain('the database system is shutting down');
      expect(lines.filter((line) => line.level === 50)).toEqual([]);

      clock.advance(OUTAGE_LOG_INTERVAL_MS);
      failWith(() => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
      await server.inject({ method: 'GET', url: '/api/needs-the-database' });
      expect(outage()).toHaveLength(2);
      expect(outage()[1]).toMatchObject({ level: 40, moreSinceLastLine: 39 });

      // A full disk (PostgreSQL's disk_full, or PGlite growing a table) is answered the same way:
      // nothing of it committed, and it may succeed once an operator has made room.
      clock.advance(OUTAGE_LOG_INTERVAL_MS);
      failWith(() => Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), { code: '53100' }));
      const full = await server.inject({ method: 'GET', url: '/api/needs-the-database' });
      expect(full.statusCode).toBe(503);
      expect(full.json()).toMatchObject({ error: { code: 'unavailable', message: 'The service is briefly unavailable. Please try again in a few moments.' } });
      expect(full.body).not.toContain('base/5');
      expect(outage()).toHaveLength(3);
      expect(String(outage()[2]?.reason)).toContain('No space left on device');

      // A database too busy to finish in time (a statement timeout, a lock not granted, a
      // deadlock): nothing committed, and the same request may succeed a moment later.
      for (const code of ['57014', '55P03', '40P01', '40001']) {
        clock.advance(OUTAGE_LOG_INTERVAL_MS);
        failWith(() => Object.assign(new Error('canceling statement due to statement timeout'), { code }));
        const busy = await server.inject({ method: 'GET', url: '/api/needs-the-database' });
        expect(busy.statusCode).toBe(503);
        expect(busy.headers['retry-after']).toBeDefined();
      }
      expect(String(outage().at(-1)?.reason)).toContain('database busy');

      // Any other failure is still an error with its stack, every time.
      failWith(() => new Error('a defect'));
      for (let i = 0; i < 2; i += 1) expect((await server.inject({ method: 'GET', url: '/api/needs-the-database' })).statusCode).toBe(500);
      const errors = lines.filter((line) => line.level === 50);
      expect(errors).toHaveLength(2);
      expect(JSON.stringify(errors[0])).toContain('a defect');
      expect(JSON.stringify(errors[0])).toContain('stack');
    } finally {
      await server.close();
    }
  });
});
