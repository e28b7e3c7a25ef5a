import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withForce } from '../src/platform/db/database.ts';
import { newId, type ForceId, type JobId } from '../src/platform/ids.ts';
import type { Job } from '../src/platform/jobs/jobs.ts';
import { MailerPool, type Mailer } from '../src/platform/mail/mailer.ts';
import { SecretBox } from '../src/platform/secrets.ts';
import { createForce } from '../src/capabilities/admin/forces.service.ts';
import { createDeliverHandler } from '../src/capabilities/outbox/outbox-delivery.jobs.ts';
import { DELIVER_JOB } from '../src/capabilities/outbox/outbox.events.ts';
import { queueMessages } from '../src/capabilities/outbox/outbox.service.ts';
import { createBenchDatabase } from '../test/helpers.ts';
import { fmt, quantile } from './stats.ts';

// What a delivery run costs the database per message: `BENCH_OUTBOX_MESSAGES` (2,000) emails a
// round, through the delivery handler in runs of 50 (as the runner hands them over), to a mail
// server that takes each at once, so what is left is the run's reads and writes (read, take,
// record). Prints messages per second and milliseconds per run of 50, median of `BENCH_RUNS` (7)
// rounds after one to warm up. It has no baseline of its own: compare two commits in alternating
// runs, as decision 0163 did for the send token.

const MESSAGES = Number(process.env.BENCH_OUTBOX_MESSAGES ?? 2_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const BATCH = 50;

export async function outboxBenchmark(): Promise<void> {
  const scratch = process.env.DATABASE_URL ? await createBenchDatabase() : null;
  const dataDir = scratch ? null : mkdtempSync(path.join(tmpdir(), 'bluelamp-bench-'));
  const config = loadConfig({ NODE_ENV: 'development', MAIL_FOLDER: 'off', LOG_LEVEL: 'silent', ...(scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: dataDir ?? '' }) });
  const app = await buildApp(config, { startWorker: false });
  const mailers = new MailerPool();
  try {
    const { forceId } = await createForce(app.database.db, app.deps.clock, { slug: 'bench', code: 'BNCH', name: 'Bench Constabulary' });
    const mailer: Mailer = { send: async () => {}, close: () => {} };
    const handler = createDeliverHandler({ clock: app.deps.clock, mailer, mailFrom: 'bench@example.org', mailers, secrets: new SecretBox(config.secretsKey) });
    const inForce = <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(app.database.db, forceId, work);
    const perSecond: number[] = [];
    const perRun: number[] = [];
    for (let round = 0; round <= RUNS; round += 1) {
      const ids = await queue(app, forceId, round);
      const started = performance.now();
      for (let i = 0; i < ids.length; i += BATCH) {
        const failures = await handler.run({ forceId, jobs: ids.slice(i, i + BATCH).map((id) => jobFor(forceId, id, app.deps.clock.now())), inForce });
        if (failures.size > 0) throw new Error(`${failures.size} deliveries failed`);
      }
      const ms = performance.now() - started;
      if (round === 0) continue;
      perSecond.push((ids.length / ms) * 1000);
      perRun.push(ms / Math.ceil(ids.length / BATCH));
    }
    const sent = await inForce((tx) => tx.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'sent').executeTakeFirstOrThrow());
    const engine = scratch ? 'PostgreSQL' : 'PGlite';
    process.stdout.write(`outbox delivery (${engine}), ${MESSAGES} emails a round, runs of ${BATCH}, ${RUNS} rounds (${Number(sent.n)} sent in all)\n`);
    process.stdout.write(`  messages/s  median ${fmt(quantile(perSecond, 0.5))}  min ${fmt(Math.min(...perSecond))}  max ${fmt(Math.max(...perSecond))}\n`);
    process.stdout.write(`  ms per run  median ${fmt(quantile(perRun, 0.5), 2)}\n`);
  } finally {
    mailers.close();
    await app.close();
    await scratch?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Queues a round's emails (no jobs: the benchmark hands the handler its jobs itself). */
async function queue(app: Awaited<ReturnType<typeof buildApp>>, forceId: ForceId, round: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < MESSAGES; start += 500) {
    const messages = Array.from({ length: Math.min(500, MESSAGES - start) }, (_, i) => ({
      channels: [{ channel: 'email' as const, recipient: `victim${start + i}@example.org`, subject: 'An update on your case', body: 'We have arrested someone in connection with your case.' }],
      purpose: 'journey:case.suspect_arrested',
      idempotencyKey: `bench-${round}-${start + i}`,
      caseId: null,
      notBefore: null,
    }));
    const queued = await withForce(app.database.db, forceId, (tx) => queueMessages(tx, forceId, app.deps.clock, messages));
    ids.push(...queued.flatMap((id) => (id ? [id] : [])));
  }
  return ids;
}

function jobFor(forceId: ForceId, outboxId: string, now: Date): Job {
  return { id: newId<JobId>(), forceId, type: DELIVER_JOB, payload: { outboxId }, state: 'running', attempts: 1, maxAttempts: 8, runAt: now, lastError: null, createdAt: now };
}
