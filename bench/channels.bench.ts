import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withSystem } from '../src/platform/db/database.ts';
import { WEBHOOKS } from '../src/capabilities/channels/registry.ts';
import { createBenchDatabase } from '../test/helpers.ts';
import { fmt, quantile } from './stats.ts';
import { BUILDERS } from './webhook-requests.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

async function closedLoop(seconds: number, work: () => Promise<void>): Promise<void> {
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) await work();
    }),
  );
}

/**
 * Mixed webhook traffic across every connected demo channel, signed as each provider signs it,
 * at the highest rate the server sustains for a fixed time. Prints messages per second, the
 * acknowledgement latency, and acknowledged against stored (they must be equal), beside a bare
 * route measured in the same run.
 */
export async function channelsBenchmark(): Promise<void> {
  const scratch = process.env.DATABASE_URL ? await createBenchDatabase() : null;
  const dataDir = scratch ? null : mkdtempSync(path.join(tmpdir(), 'bluelamp-bench-'));
  // Capacity, not overload: the utilisation signal is off, as in the intake benchmark.
  const config = loadConfig({
    NODE_ENV: 'development',
    // Email held, as in every run recorded before mail could be written to a folder (decision 0131).
    MAIL_FOLDER: 'off',
    LOG_LEVEL: 'silent',
    SHED_MAX_UTILISATION: '0',
    ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: dataDir ?? '' }),
  });
  const app = await buildApp(config, { startWorker: false });
  const http = app.http;
  if (!http) throw new Error('no http');
  await http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  const mounted = new Set(WEBHOOKS.map((mount) => mount.adapter.name));
  const builders = Object.entries(BUILDERS).filter(([name]) => mounted.has(name));
  try {
    const acked = new Map<string, Set<string>>();
    const latencies: number[] = [];
    const refused = new Map<string, number>();
    let turn = 0;
    const send = async () => {
      const [name, build] = builders[turn++ % builders.length] ?? [];
      if (!name || !build) return;
      const request = build(base);
      const t0 = performance.now();
      const response = await fetch(`${base}${request.path}`, { method: 'POST', headers: request.headers, body: request.body });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (response.status >= 200 && response.status < 300) {
        if (!acked.has(request.channel)) acked.set(request.channel, new Set());
        acked.get(request.channel)?.add(request.providerId);
      } else {
        refused.set(`${name} ${response.status}`, (refused.get(`${name} ${response.status}`) ?? 0) + 1);
      }
    };
    await closedLoop(2, send);
    latencies.length = 0;
    const ackedBefore = [...acked.values()].reduce((n, s) => n + s.size, 0);
    const t0 = performance.now();
    await closedLoop(SECONDS, send);
    const elapsed = (performance.now() - t0) / 1000;
    const ackedTotal = [...acked.values()].reduce((n, s) => n + s.size, 0);

    let storedTotal = 0;
    const perChannel: string[] = [];
    for (const [channel, ids] of acked) {
      const stored = await withSystem(app.database.db, async (tx) => {
        let count = 0;
        const list = [...ids];
        for (let i = 0; i < list.length; i += 1000) {
          const rows = await sql<{ n: number }>`select count(*)::int as n from messages where channel = ${channel} and provider_message_id = any(${list.slice(i, i + 1000)})`.execute(tx);
          count += Number(rows.rows[0]?.n ?? 0);
        }
        return count;
      });
      storedTotal += stored;
      perChannel.push(`${channel} ${ids.size}/${stored}`);
    }

    const health = performance.now();
    let healthCount = 0;
    await closedLoop(Math.min(SECONDS, 10), async () => {
      await (await fetch(`${base}/healthz`)).text();
      healthCount += 1;
    });
    const healthPerSecond = healthCount / ((performance.now() - health) / 1000);
    const perSecond = (ackedTotal - ackedBefore) / elapsed;
    const lines = [
      `bench channels — ${app.database.engine}, ${SECONDS}s, concurrency ${CONCURRENCY}, channels: ${builders.map(([n]) => n).join(', ')}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      `messages acknowledged per second: ${fmt(perSecond)}`,
      `acknowledgement latency p50:      ${fmt(quantile(latencies, 0.5))} ms`,
      `acknowledgement latency p99:      ${fmt(quantile(latencies, 0.99))} ms`,
      `acknowledged vs stored:           ${ackedTotal} / ${storedTotal} ${ackedTotal === storedTotal ? '(equal)' : '(MISMATCH)'}`,
      `per channel (acked/stored):       ${perChannel.join(', ')}`,
      `refused:                          ${refused.size === 0 ? 'none' : [...refused].map(([k, v]) => `${k}×${v}`).join(', ')}`,
      `baseline GET /healthz per s:      ${fmt(healthPerSecond)} (same run, same concurrency)`,
      `messages / baseline ratio:        ${fmt(perSecond / healthPerSecond, 4)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await app.close();
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
