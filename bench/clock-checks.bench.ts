import { cpus, totalmem } from 'node:os';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withSystem } from '../src/platform/db/database.ts';
import { fixedClock } from '../src/platform/clock.ts';
import type { ForceId } from '../src/platform/ids.ts';
import { submitPublicReport } from '../src/capabilities/intake/intake.service.ts';
import { benchDatabase } from './bench-database.ts';
import { measureCpu } from './cpu.ts';

// The work a report leaves for later: every contact's SLA clocks and an online report's
// processing clocks are checked when they reach their warning point and their due time, whether
// or not anyone answered in time. Reports are stored and processed first, then the clock moves on
// 60 days and every check falls due at once, as after a busy day; the figure is what running
// them all costs, per check and per report.

const REPORTS = Number(process.env.BENCH_REPORTS ?? 1000);
const CONCURRENCY = 8;

export async function clockChecksBenchmark(): Promise<void> {
  const storage = await benchDatabase();
  const clock = fixedClock(new Date('2026-12-01T09:00:00Z'));
  const config = loadConfig({ ...storage.env, LOG_LEVEL: 'warn', NODE_ENV: 'development', MAIL_FOLDER: 'off', SESSION_SECRET: 'bench-secret-bench-secret-bench-secret' });
  const app = await buildApp(config, { clock, startWorker: false });
  try {
    const runner = app.runner;
    if (!runner) throw new Error('the benchmark needs a worker');
    const force = await withSystem(app.database.db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow());
    const forceId = force.id as ForceId;
    let next = 0;
    const reporter = async () => {
      for (let i = next++; i < REPORTS; i = next++) {
        await submitPublicReport(app.deps, forceId, {
          submissionId: `clock-checks-${i}`,
          whatHappened: i % 10 === 0 ? 'Someone keeps sending me threatening messages and says he will hurt me.' : 'My bike was stolen from outside the station last night.',
          where: `${i} High Street, Demoton`,
          when: 'Last night',
          name: `Reporter ${i}`,
          email: `reporter${i}@example.org`,
        });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, reporter));
    await app.reports.settled();
    await runner.runDue();
    const pending = async () =>
      withSystem(app.database.db, (tx) =>
        sql<{ type: string; n: number }>`select type, count(*)::int as n from jobs where state = 'pending' group by type order by type`.execute(tx),
      );
    const before = (await pending()).rows;

    clock.advance(60 * 24 * 60 * 60 * 1000);
    const started = performance.now();
    const measured = await measureCpu(app.database.db, app.database.engine, () => runner.runDue());
    const seconds = (performance.now() - started) / 1000;
    const checks = measured.result;
    const cpuMs = (measured.processSeconds + measured.databaseSeconds) * 1000;

    const lines = [
      `bench clock-checks — ${app.database.engine}, ${REPORTS} reports, ${cpus().length} cores (${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      `jobs waiting after the reports: ${before.map((row) => `${row.type} ${row.n}`).join(', ')}`,
      `jobs run when due:            ${checks} (${(checks / REPORTS).toFixed(2)} per report)`,
      `wall time:                    ${seconds.toFixed(2)} s (${(checks / seconds).toFixed(0)} jobs/s)`,
      `CPU per report's checks:      ${(cpuMs / REPORTS).toFixed(2)} ms (this process ${((measured.processSeconds * 1000) / REPORTS).toFixed(2)}, database server ${((measured.databaseSeconds * 1000) / REPORTS).toFixed(2)})`,
      `jobs waiting after:           ${(await pending()).rows.map((row) => `${row.type} ${row.n}`).join(', ') || 'none'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await app.close();
    await storage.remove();
  }
}
