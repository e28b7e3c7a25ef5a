import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, submitPublicReport, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { Metrics } from '../../src/platform/observability/metrics.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { sample } from '../prometheus-text.ts';

const TOKEN = 'metrics-token-for-tests-0123456789';

describe('/metrics', () => {
  let app: TestApp;
  const clock = fixedClock(new Date('2026-02-02T10:00:00Z'));
  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  };

  beforeAll(async () => {
    app = await createTestApp({ env: { METRICS_TOKEN: TOKEN, METRICS_PORT: '0', HOST: '127.0.0.1' }, overrides: { clock } });
  });
  afterAll(() => app.close());

  it('refuses-a-scrape-without-the-bearer-token', async () => {
    const none = await app.inject({ method: 'GET', url: '/metrics' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.body).not.toContain('bluelamp_');
    const wrong = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(401);
    const basic = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` } });
    expect(basic.statusCode).toBe(401);
  });

  it('counts-public-requests-the-gate-admitted', async () => {
    const before = sample(await scrape(), 'bluelamp_public_requests_total', { outcome: 'admitted' }) ?? 0;
    await app.inject({ method: 'GET', url: '/' });
    await app.inject({ method: 'GET', url: '/' });
    const text = await scrape();
    expect(sample(text, 'bluelamp_public_requests_total', { outcome: 'admitted' })).toBe(before + 2);
    expect(sample(text, 'bluelamp_public_requests_total', { outcome: 'shed' })).toBe(0);
    expect(sample(text, 'bluelamp_public_requests_in_gate', { state: 'waiting' })).toBe(0);
    // Test apps do not watch utilisation, so the gate never limits by rate here.
    expect(sample(text, 'bluelamp_public_admission_rate_limit')).toBe(-1);
    // No portal report accepted here is waiting to be processed.
    expect(sample(text, 'bluelamp_received_reports_lag_seconds')).toBe(0);
  });

  it('counts-requests-by-route-pattern-and-status-class', async () => {
    const before = sample(await scrape(), 'bluelamp_http_requests_total', { route: '/healthz', status_class: '2xx' }) ?? 0;
    await app.inject({ method: 'GET', url: '/healthz' });
    await app.inject({ method: 'GET', url: '/healthz' });
    const id = randomUUID();
    await app.inject({ method: 'GET', url: `/api/contacts/${id}` });
    const text = await scrape();
    expect(sample(text, 'bluelamp_http_requests_total', { route: '/healthz', status_class: '2xx' })).toBe(before + 2);
    expect(sample(text, 'bluelamp_http_request_duration_seconds_count', { route: '/healthz', status_class: '2xx' })).toBe(before + 2);
    expect(sample(text, 'bluelamp_http_requests_total', { route: '/api/contacts/:id', status_class: '4xx' })).toBe(1);
    expect(text).not.toContain(id);
    // Event-loop lag and the database pool are there too.
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(sample(text, 'bluelamp_db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
  });

  it('counts-contacts-by-channel-and-reads-queues-jobs-and-sla-from-the-database', async () => {
    const before = sample(await scrape(), 'bluelamp_contacts_received_total', { channel: 'portal' }) ?? 0;
    await submitPublicReport(app.deps, app.demoForceId, {
      submissionId: 'metrics-1',
      whatHappened: 'Someone keeps ringing my doorbell at night',
      where: 'Station Road',
      when: 'last night',
      name: null,
      email: 'metrics@example.org',
    });
    // Two days later nobody has taken it: its SLA checks are overdue and waiting for the worker.
    clock.advance(2 * 24 * 60 * 60 * 1000);
    const text = await scrape();
    expect(sample(text, 'bluelamp_contacts_received_total', { channel: 'portal' })).toBe(before + 1);
    expect(sample(text, 'bluelamp_metrics_database_up')).toBe(1);
    const waiting = text.split('\n').filter((line) => line.startsWith('bluelamp_queue_waiting_contacts{') && line.includes('force="demo"'));
    expect(waiting.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0)).toBeGreaterThanOrEqual(1);
    const oldest = text.split('\n').filter((line) => line.startsWith('bluelamp_queue_oldest_wait_seconds{') && line.includes('force="demo"'));
    expect(Math.max(...oldest.map((line) => Number(line.slice(line.lastIndexOf(' ') + 1))))).toBeGreaterThanOrEqual(2 * 24 * 60 * 60);
    expect(sample(text, 'bluelamp_jobs', { type: 'sla.check', state: 'waiting' })).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'bluelamp_jobs_lag_seconds')).toBeGreaterThan(24 * 60 * 60);
    // Per type too: the SLA checks are what lag, not the sends.
    expect(sample(text, 'bluelamp_jobs_lag_by_type_seconds', { type: 'sla.check' })).toBeGreaterThan(24 * 60 * 60);
    expect(sample(text, 'bluelamp_jobs_lag_by_type_seconds', { type: 'channel.send' })).toBeNull();

    await app.runner?.runDue();
    const after = await scrape();
    expect(sample(after, 'bluelamp_sla_warnings_total', { kind: 'first_response' })).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'bluelamp_sla_breaches_total', { kind: 'first_response' })).toBeGreaterThanOrEqual(1);
    // Nothing of that type is due any more, so it has no lag to show.
    expect(sample(after, 'bluelamp_jobs_lag_by_type_seconds', { type: 'sla.check' })).toBeNull();
  });

  it('shows-portal-reports-acknowledged-and-not-processed-on-any-node-those-failing-apart', async () => {
    const received = (tag: string, attempts: number, hoursAgo: number) => ({
      id: randomUUID(),
      force_id: app.demoForceId,
      submission_id: randomUUID(),
      reference: `DEMO-2026-99990${tag}`,
      payload: JSON.stringify({ whatHappened: tag }),
      received_at: new Date(clock.now().getTime() - hoursAgo * 3600_000),
      attempts,
      last_error: attempts > 0 ? 'could not be processed' : null,
      // Not due while the test reads: no processor of this app takes them meanwhile.
      next_attempt_at: new Date(clock.now().getTime() + 3600_000),
    });
    const rows = [received('1', 0, 1), received('2', 3, 2)];
    // As another node, or a failure, leaves them: this process knows nothing of them.
    await withForce(app.database.db, app.demoForceId, (tx) => tx.insertInto('received_reports').values(rows).execute());
    try {
      const text = await scrape();
      expect(sample(text, 'bluelamp_received_reports', { state: 'waiting' })).toBe(1);
      expect(sample(text, 'bluelamp_received_reports', { state: 'failing' })).toBe(1);
      expect(sample(text, 'bluelamp_received_reports_oldest_seconds')).toBe(2 * 3600);
    } finally {
      await withForce(app.database.db, app.demoForceId, (tx) => tx.deleteFrom('received_reports').where('id', 'in', rows.map((row) => row.id)).execute());
    }
  });

  it('serves-metrics-on-the-separate-port-behind-the-same-token', async () => {
    const port = app.metrics.serverPort;
    expect(port).toBeTypeOf('number');
    const refused = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(refused.status).toBe(401);
    const served = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(served.status).toBe(200);
    expect(await served.text()).toContain('bluelamp_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
  });

  it('is-off-on-the-main-port-without-a-token', async () => {
    const metrics = new Metrics({ database: app.database, clock });
    const server = Fastify();
    try {
      metrics.instrument(server, undefined);
      const response = await server.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(404);
    } finally {
      metrics.close();
      await server.close();
    }
  });
});
