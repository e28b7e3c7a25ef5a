import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, type TestApp } from '../helpers.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';

/**
 * Staff look people up by phone number, email or name, in query strings: the product's own logger
 * (the one a deployment runs with) must not keep who was looked up, in the access log or in the
 * line about a refused request.
 */
describe('URLs in the product log', () => {
  let app: TestApp;
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });

  beforeAll(async () => {
    app = await createTestApp({ overrides: { logger: createLogger('info', logStream) } });
  });
  afterAll(() => app.close());

  it('masks-a-searched-phone-number-email-and-name-and-keeps-the-path-and-plain-filters', async () => {
    const supervisor = await signIn(app, 'supervisor@demo.police.uk');
    lines.length = 0;
    const searched = await app.inject({ method: 'GET', url: '/api/contacts/search?q=07700900123&status=open&limit=5', headers: supervisor.headers });
    expect(searched.statusCode).toBe(200);
    const looked = await app.inject({ method: 'GET', url: `/api/people?kind=email&value=${encodeURIComponent('chris.victim@example.org')}`, headers: supervisor.headers });
    expect(looked.statusCode).toBe(200);
    const optOuts = await app.inject({ method: 'GET', url: '/api/sms-opt-outs?number=07700900987', headers: (await signIn(app, 'admin@demo.police.uk')).headers });
    expect(optOuts.statusCode).toBe(200);

    const log = lines.join('\n');
    expect(log).toContain('/api/contacts/search?q=%5Bredacted%5D&status=open&limit=5');
    expect(log).toContain('/api/sms-opt-outs?number=%5Bredacted%5D');
    for (const personal of ['07700900123', '07700900987', 'chris.victim', 'example.org']) expect(log).not.toContain(personal);
  });

  it('masks-them-in-the-line-about-a-refused-request-too', async () => {
    lines.length = 0;
    const missing = await app.inject({ method: 'GET', url: '/api/no-such-page?q=Jane+Witness&email=jane%40example.org' });
    expect(missing.statusCode).toBe(404);
    const unsupported = await app.inject({
      method: 'POST',
      url: '/api/contacts/search?q=07700900555',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(unsupported.statusCode).toBeGreaterThanOrEqual(400);
    expect(unsupported.statusCode).toBeLessThan(500);
    const log = lines.join('\n');
    expect(log).toContain('/api/no-such-page');
    for (const personal of ['Jane', 'Witness', 'jane', '07700900555']) expect(log).not.toContain(personal);
  });
});

describe('database errors in the product log', () => {
  it('leaves-out-the-detail-where-postgresql-names-the-values-of-a-key', () => {
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) }));
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint "staff_force_email"'), {
      code: '23505',
      constraint: 'staff_force_email',
      detail: 'Key (force_id, email)=(5f0c…, jane.witness@example.org) already exists.',
    });
    logger.error({ err: duplicate }, 'request failed');
    logger.error({ err: new Error('job failed', { cause: duplicate }) }, 'job failed');
    const log = lines.join('\n');
    expect(log).toContain('staff_force_email');
    expect(log).not.toContain('jane.witness');
  });
});
