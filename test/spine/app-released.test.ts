import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { createTestApp } from '../helpers.ts';

// A closed app must leave nothing of itself behind in the process: a host that builds apps in
// turn (the test workers, each running a hundred test files) would otherwise hold every one of
// them, their routes and their databases, and slow as its heap grew.

setFlagsFromString('--expose-gc');
/** The garbage collector, reached without starting the process with --expose-gc. */
const collectGarbage = runInNewContext('gc') as () => void;

/** Builds an app, uses it, closes it, and keeps only weak references to its parts. */
async function useAndClose() {
  const app = await createTestApp({ env: { METRICS_TOKEN: 'scrape-token-for-tests' } });
  await app.inject({ method: 'GET', url: '/healthz' });
  // The process's own metrics are served beside the app's.
  const scraped = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token-for-tests' } });
  expect(scraped.body).toMatch(/^process_cpu_user_seconds_total /m);
  expect(scraped.body).toMatch(/^bluelamp_http_requests_total\{/m);
  await app.close();
  return { app: new WeakRef(app), http: new WeakRef(app.http!), database: new WeakRef(app.database) };
}

it('lets a closed app, its HTTP server and its database be collected', async () => {
  const released = await useAndClose();
  for (let round = 0; round < 5 && released.app.deref(); round++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  // Compared, not printed: a closed server's description cannot be read.
  expect(released.app.deref() === undefined, 'the app is still held').toBe(true);
  expect(released.http.deref() === undefined, 'its HTTP server is still held').toBe(true);
  expect(released.database.deref() === undefined, 'its database is still held').toBe(true);
});

it('serves the process metrics of a second app as well', async () => {
  const app = await createTestApp({ env: { METRICS_TOKEN: 'scrape-token-for-tests' } });
  try {
    const scraped = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token-for-tests' } });
    expect(scraped.statusCode).toBe(200);
    expect(scraped.body).toMatch(/^nodejs_eventloop_lag_seconds /m);
    expect(scraped.body).toMatch(/^nodejs_gc_duration_seconds_bucket\{/m);
  } finally {
    await app.close();
  }
});
