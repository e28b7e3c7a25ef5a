import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { sql } from 'kysely';
import { openDatabase, withSystem } from '../src/platform/db/database.ts';
import { benchDatabase } from './bench-database.ts';
import { freePort } from './free-port.ts';
import { fmt } from './stats.ts';
import { startSoakWork } from './soak-work.ts';

// The product as it runs for a force (`bluelamp start`, built JavaScript, its own process, the
// stall watchdog on), taking portal reports for several minutes, long enough for the recurring
// jobs (every 5 minutes) to meet the data the load left. It prints the process's memory and the
// event loop's lag as it goes, then what was acknowledged against what was stored, and how long
// each recurring job took. A soak found the Victims' Code sweep holding PGlite for 75 s
// (bench/RESULTS.md, 2026-12-04).

const SECONDS = Number(process.env.BENCH_SECONDS ?? 420);
const LOOPS = Number(process.env.BENCH_CONCURRENCY ?? 2);
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 20);
/** After the load: the jobs it left run, and a recurring job may meet the data. */
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? 60);
const SAMPLE_MS = 30_000;
/** With BENCH_SOAK_MIXED=0, portal reports alone; otherwise the rest of a force's day beside them (soak-work.ts). */
const MIXED = process.env.BENCH_SOAK_MIXED !== '0';

function residentMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

export async function soakBenchmark(): Promise<void> {
  const build = spawnSync(process.execPath, ['scripts/build-server.js'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the server did not build');
  const storage = await benchDatabase();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const metricsToken = randomUUID();
  const child = spawn(process.execPath, ['bin/bluelamp.js', 'start'], {
    env: { ...process.env, ...storage.env, NODE_ENV: 'development', MAIL_FOLDER: 'off', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', METRICS_TOKEN: metricsToken, DEMO_FEEDER_INTERVAL_S: MIXED ? '5' : '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  try {
    for (let waited = 0; ; waited += 500) {
      if (hasExited || waited > 180_000) throw new Error(`the server did not start:\n${stderr}`);
      if ((await fetch(`${base}/readyz`).catch(() => null))?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const form = await fetch(`${base}/report/details`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('bl_csrf='));
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!cookie || !csrfToken) throw new Error('could not read the report form');

    const references = new Set<string>();
    const answers = new Map<string, number>();
    const started = performance.now();
    const loadEnds = started + SECONDS * 1000;
    const loop = async () => {
      for (let i = 0; performance.now() < loadEnds && !hasExited; i += 1) {
        const body = new URLSearchParams({
          csrfToken,
          submissionId: randomUUID(),
          whatHappened: i % 10 === 0 ? 'My ex keeps sending threatening messages and says he will hurt me.' : 'Someone tried the car doors along our street last night.',
          where: 'Acacia Avenue, Demoton',
          when: 'Last night',
          name: 'Soak Test',
          email: `soak-${Math.floor(Math.random() * 5000)}@example.org`,
        });
        const response = await fetch(`${base}/report/details`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, body }).catch(
          () => null,
        );
        const text = (await response?.text()) ?? '';
        const key = response ? String(response.status) : 'no answer';
        answers.set(key, (answers.get(key) ?? 0) + 1);
        const reference = /data-testid="reference"[^>]*>\s*([A-Z]+-\d{4}-\d{6})/.exec(text)?.[1];
        if (response?.status === 200 && reference) references.add(reference);
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    };
    const samples: { seconds: number; rssMb: number; heapMb: number; lagP99Ms: number }[] = [];
    const sample = async () => {
      const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })
        .then((r) => r.text())
        .catch(() => '');
      const lag = Number(/^nodejs_eventloop_lag_p99_seconds\s+(\S+)$/m.exec(metrics)?.[1]) * 1000;
      // The JavaScript heap in use: a leak of ours shows here (resident memory also holds PGlite's).
      const heapMb = Number(/^nodejs_heap_size_used_bytes\s+(\S+)$/m.exec(metrics)?.[1]) / 2 ** 20;
      const row = { seconds: Math.round((performance.now() - started) / 1000), rssMb: residentMb(child.pid ?? 0), heapMb, lagP99Ms: lag };
      samples.push(row);
      const counted = [...answers].map(([status, n]) => `${status}: ${n}`).join(', ');
      process.stdout.write(`${String(row.seconds).padStart(5)} s  memory ${fmt(row.rssMb, 0)} MB  heap ${fmt(row.heapMb, 0)} MB  loop lag p99 ${fmt(row.lagP99Ms)} ms  answers ${counted}\n`);
    };
    const sampler = setInterval(() => void sample(), SAMPLE_MS);
    const mixed = MIXED ? startSoakWork(base, () => performance.now() < loadEnds && !hasExited) : null;
    await Promise.all([...Array.from({ length: LOOPS }, loop), mixed?.done]);
    await Promise.race([new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000)), exited]);
    clearInterval(sampler);
    await sample();
    const killedByWatchdog = stderr.includes('Bluelamp stopped');
    child.kill('SIGTERM');
    const exit = await exited;

    const database = await openDatabase(storage.env.DATABASE_URL ? { databaseUrl: storage.env.DATABASE_URL } : { dataDir: storage.env.DATA_DIR });
    try {
      const found = await withSystem(database.db, (tx) =>
        sql<{ n: number }>`select count(*)::int as n from contacts where reference = any(${[...references]})`.execute(tx),
      );
      const recurring = await withSystem(database.db, (tx) =>
        sql<{ type: string; runs: number; longest_ms: number; dead: number }>`
          select type, count(*)::int as runs, max(extract(epoch from updated_at - run_at) * 1000)::int as longest_ms, count(*) filter (where state = 'dead')::int as dead
          from jobs where type in ('case.victim_updates_sweep', 'audit.checkpoint', 'housekeeping.run') group by type order by type`.execute(tx),
      );
      const stored = async (ids: string[]) => {
        const rows = await withSystem(database.db, (tx) =>
          sql<{ n: number; distinct_ids: number }>`select count(*)::int as n, count(distinct provider_message_id)::int as distinct_ids from messages where direction = 'inbound' and provider_message_id = any(${ids})`.execute(tx),
        );
        const row = rows.rows[0];
        return `${ids.length} / ${row?.distinct_ids ?? 0}${row && row.n !== row.distinct_ids ? ` (${row.n - row.distinct_ids} DUPLICATES)` : ''}`;
      };
      const mixedLines = [];
      if (mixed) {
        const { work } = mixed;
        for (const [channel, ids] of work.acknowledged) mixedLines.push(`  ${channel.padEnd(28)}${await stored([...ids])}`);
        mixedLines.push(`  ${'chat'.padEnd(28)}${await stored([...work.chatAcknowledged])}`);
      }
      const settled = samples.filter((s) => s.seconds >= 60);
      const lines = [
        `bench soak — ${storage.env.DATABASE_URL ? 'postgres' : 'pglite'}, ${SECONDS} s of load and ${SETTLE_SECONDS} s after, ${LOOPS} portal loops pausing ${PAUSE_MS} ms${MIXED ? ' and the rest of a force\'s day' : ''}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
        `answers:                      ${[...answers].map(([status, n]) => `${status} ${n}`).join(', ')}`,
        `acknowledged / stored:        ${references.size} / ${found.rows[0]?.n ?? 0}`,
        `memory after the first minute: ${fmt(Math.min(...settled.map((s) => s.rssMb)), 0)}–${fmt(Math.max(...settled.map((s) => s.rssMb)), 0)} MB`,
        `JS heap in use, lowest in each fifth of the run (a rising floor is a leak): ${heapFloors(samples.map((s) => s.heapMb)).map((mb) => fmt(mb, 0)).join(', ')} MB`,
        `loop lag p99, worst sample:   ${fmt(Math.max(...samples.map((s) => s.lagP99Ms).filter(Number.isFinite)))} ms`,
        ...(mixed
          ? [
              `other channels, acknowledged / stored once (a fifth sent twice):`,
              ...mixedLines,
              `staff and channel answers:    ${[...mixed.work.answers].sort().map(([key, n]) => `${key} ${n}`).join(', ')}`,
              `failures (5xx, no answer):    ${mixed.work.failureCount}${mixed.work.failures.length ? `\n  ${mixed.work.failures.join('\n  ')}` : ''}`,
              `live frames to the handler:   ${mixed.work.liveFrames}; chat replies heard on open sockets: ${mixed.work.chatRepliesHeard}`,
            ]
          : []),
        `recurring jobs (runs, longest from due to done, dead): ${recurring.rows.map((r) => `${r.type} ${r.runs}, ${r.longest_ms} ms, ${r.dead}`).join('; ')}`,
        `stopped by the stall watchdog: ${killedByWatchdog ? 'YES' : 'no'}; exit ${exit.code ?? exit.signal}`,
      ];
      if (killedByWatchdog) lines.push(stderr);
      process.stdout.write(`${lines.join('\n')}\n`);
    } finally {
      await database.close();
    }
  } finally {
    if (!hasExited) child.kill('SIGKILL');
    await exited;
    await storage.remove();
  }
}

/** The lowest of each fifth of the samples, in order (heap in use falls to its floor at each collection). */
function heapFloors(values: number[]): number[] {
  const known = values.filter(Number.isFinite);
  const size = Math.max(1, Math.ceil(known.length / 5));
  const floors: number[] = [];
  for (let at = 0; at < known.length; at += size) floors.push(Math.min(...known.slice(at, at + size)));
  return floors;
}
