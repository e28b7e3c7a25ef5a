import { cpus, totalmem } from 'node:os';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { fmt, quantile } from './stats.ts';
import { measureCpu } from './cpu.ts';
import { withSystem } from '../src/platform/db/database.ts';
import { sql } from 'kysely';
import { installStatementTally, resetStatementTally, statementTallyLines } from './statement-tally.ts';
import { benchDatabase } from './bench-database.ts';
import { MAX_REPORTS_PER_BATCH } from '../src/capabilities/intake/received-reports.service.ts';
import type { ForceId } from '../src/platform/ids.ts';
import { pgliteFlushes } from '../src/platform/db/pglite-durable.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function cookieValue(setCookie: string[], name: string): string | undefined {
  for (const header of setCookie) {
    const [pair] = header.split(';');
    const [key, ...rest] = (pair ?? '').split('=');
    if (key?.trim() === name) return rest.join('=');
  }
  return undefined;
}

/** Runs `work` from `CONCURRENCY` loops until the deadline; returns how many completed. */
async function closedLoop(seconds: number, work: () => Promise<void>): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await work();
        done += 1;
      }
    }),
  );
  return done;
}

/**
 * Public reports through the real portal form as fast as the server takes them, for a fixed time;
 * for each, the time from starting the POST to the contact arriving on a console's live stream.
 * Beside it, the same load against /healthz: a bare route in the same run.
 */
export async function intakeBenchmark(): Promise<void> {
  installStatementTally();
  const database = await benchDatabase();
  const config = loadConfig({
    NODE_ENV: 'development',
    // Email held, as in every run recorded before mail could be written to a folder (decision 0131).
    MAIL_FOLDER: 'off',
    LOG_LEVEL: 'silent',
    ...database.env,
    // Capacity, not overload: eight closed loops keep the loop saturated without ever queueing
    // more than eight, which the utilisation signal would answer with refusals (see surge).
    SHED_MAX_UTILISATION: '0',
  });
  const app = await buildApp(config);
  const http = app.http;
  if (!http) throw new Error('no http');
  await http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;

  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'handler@demo.police.uk', password: 'demo-password' }),
    });
    const session = cookieValue(login.headers.getSetCookie(), 'bl_session');
    const arrivals = new Map<string, number>();
    const socket = new WebSocket(`${base.replace('http', 'ws')}/api/live`, { headers: { cookie: `bl_session=${session}` } });
    socket.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { reference?: string };
      if (message.reference) arrivals.set(message.reference, performance.now());
    });
    await new Promise((resolve) => socket.once('message', resolve));

    const form = await fetch(`${base}/report/details`);
    const csrfCookie = cookieValue(form.headers.getSetCookie(), 'bl_csrf');
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!csrfCookie || !csrfToken) throw new Error('could not read the report form');

    const started = new Map<string, number>();
    const failures: string[] = [];
    let referenceCookie: string | undefined;
    const submit = async () => {
      const body = new URLSearchParams({
        csrfToken,
        submissionId: randomUUID(),
        whatHappened: 'Someone has been trying car door handles along our street tonight; one had a knife in his belt.',
        where: 'Acacia Avenue, Demoton',
        when: 'About 10 minutes ago',
        name: 'Bench Mark',
        // One address a report: a portal address is acknowledged at most five times a day (decision
        // 0162), and every report is acknowledged in every run recorded before that limit.
        email: `bench-${randomUUID()}@example.org`,
      });
      const t0 = performance.now();
      const response = await fetch(`${base}/report/details`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `bl_csrf=${csrfCookie}` },
        body,
      });
      if (response.status !== 200) {
        failures.push(`${response.status}`);
        return;
      }
      // The POST is answered with the confirmation page itself.
      referenceCookie ??= cookieValue(response.headers.getSetCookie(), 'bl_ref');
      const reference = /data-testid="reference"[^>]*>\s*([A-Z]+-\d{4}-\d{6})/.exec(await response.text())?.[1];
      if (reference) started.set(reference, t0);
      else failures.push('no reference on the confirmation page');
    };

    // Reports are processed after they are acknowledged (decision 0022): a report counts once its
    // contact reaches the console's live feed, and the window ends when the backlog has drained,
    // so the background work is inside both the time and the CPU measured.
    const settled = async () => {
      await (app as { reports?: { settled(): Promise<void> } }).reports?.settled();
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline && [...started.keys()].some((reference) => !arrivals.has(reference))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Processing a portal report includes drafting its case (online-report processing): the
      // window also waits for every report seen live to have its draft.
      while (performance.now() < deadline && (await undrafted()) > 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      draftedAt = performance.now();
    };
    let draftedAt = 0;
    const dueJobs = async () => {
      const row = await withSystem(app.database.db, (tx) =>
        sql<{ n: number }>`select count(*)::int as n from jobs where state in ('pending', 'running') and run_at <= now()`.execute(tx),
      );
      return row.rows[0]?.n ?? 0;
    };
    const undrafted = async () => {
      const row = await withSystem(app.database.db, (tx) =>
        sql<{ n: number }>`select count(*)::int as n from contacts c where c.channel = 'portal'
          and not exists (select 1 from online_report_processing o where o.force_id = c.force_id and o.contact_id = c.id)`.execute(tx),
      );
      return row.rows[0]?.n ?? 0;
    };
    await closedLoop(2, submit); // warm-up
    await settled();
    started.clear();
    // Refusals while the freshly started process warms up are not the window's.
    failures.length = 0;
    resetStatementTally();
    const t0 = performance.now();
    let acceptedElapsed = 0;
    const flushesBefore = pgliteFlushes.count;
    const reportCpu = await measureCpu(app.database.db, app.database.engine, async () => {
      const accepted = await closedLoop(SECONDS, submit);
      acceptedElapsed = (performance.now() - t0) / 1000;
      await settled();
      return accepted;
    });
    // Acknowledged reports: those whose confirmation page gave a reference (failures are counted apart).
    const accepted = started.size;
    let lastArrival = t0;
    for (const reference of started.keys()) lastArrival = Math.max(lastArrival, arrivals.get(reference) ?? t0);
    const liveElapsed = (lastArrival - t0) / 1000;
    const elapsed = (Math.max(lastArrival, draftedAt) - t0) / 1000;
    const reports = [...started.keys()].filter((reference) => arrivals.has(reference)).length;

    const latencies: number[] = [];
    let missing = 0;
    for (const [reference, at] of started) {
      const arrived = arrivals.get(reference);
      if (arrived === undefined) missing += 1;
      else latencies.push(arrived - at);
    }

    const flushes = pgliteFlushes.count - flushesBefore;
    const statementLines = statementTallyLines(Math.max(1, started.size));
    // What follows every report later (its acknowledgement and email, Victims' Code clocks) is
    // left to finish before the bare route is measured, so /healthz runs on an idle server; its
    // time and CPU are printed apart.
    const followStart = performance.now();
    const followCpu = await measureCpu(app.database.db, app.database.engine, async () => {
      const deadline = performance.now() + 60_000;
      while (performance.now() < deadline && (await dueJobs()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      return dueJobs();
    });
    const followElapsed = (performance.now() - followStart) / 1000;
    const jobTypes = await withSystem(app.database.db, (tx) =>
      sql<{ type: string; n: number }>`select type, count(*)::int as n from jobs group by type order by count(*) desc`.execute(tx),
    );
    // Rows written per report, by table (inserts, updates, deletes), from PostgreSQL's counters; the
    // seeded force's rows are in them (a few per report in a short run).
    const rowWrites = await withSystem(app.database.db, (tx) =>
      sql<{ relname: string; n: number }>`select relname, (n_tup_ins + n_tup_upd + n_tup_del)::int as n from pg_stat_user_tables where n_tup_ins + n_tup_upd + n_tup_del > 0 order by 2 desc`.execute(tx),
    );
    const healthStart = performance.now();
    const healthCpu = await measureCpu(app.database.db, app.database.engine, () =>
      closedLoop(Math.min(SECONDS, 10), async () => {
        await (await fetch(`${base}/healthz`)).text();
      }),
    );
    const healthRequests = healthCpu.result;
    const healthElapsed = (performance.now() - healthStart) / 1000;
    // A floor for the report itself: the confirmation page every report is answered with (the
    // signed reference cookie read, the cached page filled in), without the POST, the storing or
    // the processing. A report costs more than this, so this ratio to /healthz bounds the report's.
    let floorAnswered = 0;
    const floorStart = performance.now();
    const floorCpu = await measureCpu(app.database.db, app.database.engine, () =>
      closedLoop(Math.min(SECONDS, 10), async () => {
        const response = await fetch(`${base}/report/done`, { redirect: 'manual', headers: { cookie: `bl_ref=${referenceCookie}` } });
        const html = await response.text();
        if (response.status === 200 && html.includes('data-testid="reference"')) floorAnswered += 1;
      }),
    );
    const floorElapsed = (performance.now() - floorStart) / 1000;
    // A second floor: accepting alone. Processing stops, and the same POSTs are answered once each
    // report's received row is committed (what "acknowledged" means), and nothing more is done.
    // A report that is also processed costs more than this.
    await (app as { reports?: { stop(): Promise<void> } }).reports?.stop();
    started.clear();
    const acceptFailures = failures.length;
    const acceptStart = performance.now();
    const acceptCpu = await measureCpu(app.database.db, app.database.engine, () => closedLoop(Math.min(SECONDS, 10), submit));
    const acceptOnlyElapsed = (performance.now() - acceptStart) / 1000;
    const acceptOnly = started.size;
    // A third floor: processing alone. What was accepted with processing stopped is processed now,
    // nothing else arriving, in full rounds (the largest groups processing takes), follow-up jobs
    // included. No change to how reports are gathered into rounds could make processing cheaper.
    const backlog = [...started.keys()];
    const forceRow = await withSystem(app.database.db, (tx) => sql<{ id: string }>`select force_id as id from received_reports limit 1`.execute(tx));
    const backlogStart = performance.now();
    const backlogCpu = await measureCpu(app.database.db, app.database.engine, async () => {
      const forceId = forceRow.rows[0]?.id;
      if (forceId) app.reports.resume(forceId as ForceId);
      await settled();
      const deadline = performance.now() + 120_000;
      while (performance.now() < deadline && (await dueJobs()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
      return backlog.filter((reference) => arrivals.has(reference)).length;
    });
    const backlogElapsed = (performance.now() - backlogStart) / 1000;
    const cpuPerBacklogMs = ((backlogCpu.processSeconds + backlogCpu.databaseSeconds) * 1000) / Math.max(1, backlogCpu.result);
    const cpuPerAcceptMs = ((acceptCpu.processSeconds + acceptCpu.databaseSeconds) * 1000) / Math.max(1, acceptOnly);
    const cpuPerFloorMs = ((floorCpu.processSeconds + floorCpu.databaseSeconds) * 1000) / Math.max(1, floorCpu.result);
    // On a shared, busy machine throughput follows whatever else runs; CPU time per operation
    // follows the code. Both are printed: the CPU figures include the load generator's share.
    const cpuPerReportMs = ((reportCpu.processSeconds + reportCpu.databaseSeconds) * 1000) / reports;
    const cpuPerHealthMs = ((healthCpu.processSeconds + healthCpu.databaseSeconds) * 1000) / healthRequests;

    const reportsPerSecond = reports / elapsed;
    const acceptedPerSecond = accepted / acceptedElapsed;
    const healthPerSecond = healthRequests / healthElapsed;
    const lines = [
      `bench intake — ${app.database.engine}, ${SECONDS}s, concurrency ${CONCURRENCY}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      `reports accepted:             ${accepted} (${failures.length} failed${failures.length ? `: ${[...new Set(failures)].join(', ')}` : ''})`,
      `reports accepted per second:  ${fmt(acceptedPerSecond)} (acknowledged, over ${fmt(acceptedElapsed)} s)`,
      `reports processed:            ${reports} (seen live, backlog drained after ${fmt(liveElapsed)} s; drafts done after ${fmt(elapsed)} s, ${await undrafted()} left)`,
      `reports per second:           ${fmt(reportsPerSecond)} (processed: seen live and drafted)`,
      `submit → live queue p50:      ${fmt(quantile(latencies, 0.5))} ms`,
      `submit → live queue p99:      ${fmt(quantile(latencies, 0.99))} ms`,
      `reports never seen live:      ${missing}`,
      `follow-up jobs after:         ${fmt(followElapsed)} s to drain (${followCpu.result} left), CPU ${fmt(((followCpu.processSeconds + followCpu.databaseSeconds) * 1000) / Math.max(1, reports), 2)} ms per report (not in the figures above)`,
      `jobs per report, by type:     ${jobTypes.rows.map((row) => `${row.type} ${fmt(row.n / Math.max(1, reports), 2)}`).join(', ')}`,
      `rows written per report:      ${rowWrites.rows.map((row) => `${row.relname} ${fmt(row.n / Math.max(1, reports), 2)}`).join(', ')}`,
      `baseline GET /healthz per s:  ${fmt(healthPerSecond)} (same run, same concurrency)`,
      `reports / baseline ratio:     ${fmt(reportsPerSecond / healthPerSecond, 4)} (processed reports per second ÷ /healthz per second)`,
      `CPU per report:               ${fmt(cpuPerReportMs, 2)} ms, background processing included (this process ${fmt((reportCpu.processSeconds * 1000) / reports, 2)}, database server ${fmt((reportCpu.databaseSeconds * 1000) / reports, 2)})`,
      `CPU per GET /healthz:         ${fmt(cpuPerHealthMs, 3)} ms`,
      ...(app.database.engine === 'pglite' ? [`disk flushes per report:      ${fmt(flushes / Math.max(1, reports), 2)} (fsync of PGlite's WAL and data files, decision 0051)`] : []),
      `floor: GET /report/done per s: ${fmt(floorAnswered / floorElapsed)} (${floorAnswered} of ${floorCpu.result} showed the reference), ratio ${fmt(floorAnswered / floorElapsed / healthPerSecond, 4)}, CPU ${fmt(cpuPerFloorMs, 3)} ms each`,
      `floor: accepting alone per s: ${fmt(acceptOnly / acceptOnlyElapsed)} (processing stopped; ${failures.length - acceptFailures} failed), ratio ${fmt(acceptOnly / acceptOnlyElapsed / healthPerSecond, 4)}, CPU ${fmt(cpuPerAcceptMs, 3)} ms each`,
      `floor: processing alone per s: ${fmt(backlogCpu.result / backlogElapsed)} (${backlogCpu.result} of ${backlog.length} accepted above, in rounds of up to ${MAX_REPORTS_PER_BATCH}, follow-up jobs included), ratio ${fmt(backlogCpu.result / backlogElapsed / healthPerSecond, 4)}, CPU ${fmt(cpuPerBacklogMs, 3)} ms each`,
      `CPU ratio (healthz / report): ${fmt(cpuPerHealthMs / cpuPerReportMs, 4)}`,
    ];
    process.stdout.write(`${[...lines, ...statementLines].join('\n')}\n`);
    socket.close();
  } finally {
    await app.close();
    await database.remove();
  }
}
