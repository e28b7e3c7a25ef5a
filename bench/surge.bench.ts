import { fork } from 'node:child_process';
import type { IncomingMessage } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { OUTBOUND_JOB_TYPES, buildApp, type App } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withSystem, type Db } from '../src/platform/db/database.ts';
import { WEBHOOKS } from '../src/capabilities/channels/registry.ts';
import { fmt, quantile } from './stats.ts';
import type { Outcome, SurgeOrders, SurgeReport } from './surge-load.ts';
import { benchDatabase } from './bench-database.ts';

const SURGE_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const FACTOR = Number(process.env.BENCH_SURGE_FACTOR ?? 10);
const CALIBRATION_SECONDS = Number(process.env.BENCH_CALIBRATION_SECONDS ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const GIVEN_RATE = process.env.BENCH_SURGE_RATE ? Number(process.env.BENCH_SURGE_RATE) : null;
/** Prints the loop's use, the CPU and the gate's counters every second of the run (`BENCH_SURGE_TRACE=1`). */
const IS_TRACED = process.env.BENCH_SURGE_TRACE === '1';
/** `portal` offers portal reports only (accepted at once, processed after); by default half are webhooks. */
const IS_PORTAL_ONLY = process.env.BENCH_SURGE_MIX === 'portal';
/** `off` measures the same surge with shedding set out of reach (the behaviour before it existed). */
const IS_SHEDDING_OFF = process.env.BENCH_SHED === 'off';

function cookieValue(setCookie: string[], name: string): string | undefined {
  for (const header of setCookie) {
    const [pair] = header.split(';');
    const [key, ...rest] = (pair ?? '').split('=');
    if (key?.trim() === name) return rest.join('=');
  }
  return undefined;
}

/** Runs the load generator in a child process and waits for its report. */
function runLoad(orders: SurgeOrders): Promise<SurgeReport> {
  const child = fork(fileURLToPath(new URL('./surge-load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve, reject) => {
    child.once('message', (report) => resolve(report as SurgeReport));
    child.once('exit', (code) => reject(new Error(`the load generator stopped (exit ${code}) without a report`)));
    child.send(orders);
  });
}

/** How many of `ids` are stored as messages of `channel`. */
async function countStored(db: Db, channel: string, ids: string[]): Promise<number> {
  return withSystem(db, async (tx) => {
    let count = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await sql<{ n: number }>`select count(*)::int as n from messages where channel = ${channel} and provider_message_id = any(${ids.slice(i, i + 1000)})`.execute(tx);
      count += Number(rows.rows[0]?.n ?? 0);
    }
    return count;
  });
}

function traceEverySecond(app: App): { stop(): void } {
  let mark = { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), gate: app.admission?.stats() };
  const timer = setInterval(() => {
    const now = { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), gate: app.admission?.stats() };
    const busy = performance.eventLoopUtilization(now.elu, mark.elu).utilization;
    const cores = (now.cpu.user + now.cpu.system - mark.cpu.user - mark.cpu.system) / 1e6;
    const admitted = (now.gate?.admitted ?? 0) - (mark.gate?.admitted ?? 0);
    const shed = (now.gate?.shed ?? 0) - (mark.gate?.shed ?? 0);
    const limit = now.gate?.rateLimit;
    process.stdout.write(
      `trace: loop busy ${fmt(busy, 2)}, CPU ${fmt(cores, 2)} cores, admitted ${admitted}, shed ${shed}, waiting ${now.gate?.waiting ?? 0}, turn ${fmt(now.gate?.meanServiceMs ?? Number.NaN)} ms, limit ${limit === null || limit === undefined ? 'none' : `${fmt(limit)}/s`}, reports behind ${fmt(app.reports.lagMs() ?? Number.NaN)} ms\n`,
    );
    mark = now;
  }, 1000);
  return { stop: () => clearInterval(timer) };
}

/**
 * What was still to do when the load stopped (received reports, due jobs other than sends), and
 * how long until it was done, polled every 100 ms for at most 5 minutes.
 */
async function drainBacklog(db: Db): Promise<{ received: number; oldestMs: number; dueJobs: number; oldestJobMs: number; drainedMs: number }> {
  const look = () =>
    withSystem(db, async (tx) => {
      const received = await sql<{ n: number; oldest: Date | null }>`select count(*)::int as n, min(received_at) as oldest from received_reports`.execute(tx);
      const jobs = await sql<{ n: number; oldest: Date | null }>`
        select count(*)::int as n, min(run_at) as oldest from jobs
          where state in ('pending', 'running') and run_at <= now() and type <> all(${[...OUTBOUND_JOB_TYPES]}::text[])`.execute(tx);
      const age = (at: Date | null | undefined) => (at ? Date.now() - new Date(at).getTime() : 0);
      return { received: Number(received.rows[0]?.n ?? 0), oldestMs: age(received.rows[0]?.oldest), dueJobs: Number(jobs.rows[0]?.n ?? 0), oldestJobMs: age(jobs.rows[0]?.oldest) };
    });
  const startedAt = Date.now();
  const first = await look();
  let now = first;
  while ((now.received > 0 || now.dueJobs > 0) && Date.now() - startedAt < 300_000) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await look();
  }
  return { ...first, drainedMs: Date.now() - startedAt };
}

/** For contacts received since `since`: milliseconds from received to first seen live, by channel kind. */
async function processingDelays(db: Db, since: Date, liveAt: Map<string, number>): Promise<{ portal: number[]; webhooks: number[] }> {
  const rows = await withSystem(db, (tx) => tx.selectFrom('contacts').select(['id', 'channel', 'received_at']).where('received_at', '>=', since).execute());
  const portal: number[] = [];
  const webhooks: number[] = [];
  for (const row of rows) {
    const at = liveAt.get(row.id);
    if (at === undefined) continue;
    (row.channel === 'portal' ? portal : webhooks).push(at - new Date(row.received_at).getTime());
  }
  return { portal, webhooks };
}

function idsByKind(outcomes: Outcome[]): Map<string, string[]> {
  const byKind = new Map<string, string[]>();
  for (const o of outcomes) {
    if (!o.id) continue;
    const list = byKind.get(o.kind) ?? [];
    list.push(o.id);
    byKind.set(o.kind, list);
  }
  return byKind;
}

/**
 * A surge: first the sustainable rate of mixed public traffic (half portal reports through the
 * real form, half signed webhooks round-robin over the demo channels) from a closed loop, then
 * `BENCH_SURGE_FACTOR` (10) times that rate offered open-loop for `BENCH_SECONDS` (20), while a
 * signed-in console reads its queue four times a second. Prints what was accepted and shed, how
 * fast each was answered, and whether every acknowledged request was stored and no shed one was.
 */
export async function surgeBenchmark(): Promise<void> {
  const database = await benchDatabase();
  const config = loadConfig({
    NODE_ENV: 'development',
    // Email held, as in every run recorded before mail could be written to a folder (decision 0131).
    MAIL_FOLDER: 'off',
    LOG_LEVEL: 'silent',
    ...database.env,
    // SHED_* settings from the environment reach the server, to compare one signal with another.
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('SHED_'))),
    ...(IS_SHEDDING_OFF ? { SHED_CONCURRENCY: '1000', SHED_MAX_WAIT_MS: '60000', SHED_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_UTILISATION: '0' } : {}),
  });
  const app = await buildApp(config);
  const http = app.http;
  if (!http) throw new Error('no http');
  await http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  const mounted = new Set(WEBHOOKS.map((mount) => mount.adapter.name));
  const channels = IS_PORTAL_ONLY ? [] : ['api', 'meta', 'sms_twilio', 'sms_notify', 'x', 'phone'].filter((name) => mounted.has(name));

  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'supervisor@demo.police.uk', password: 'demo-password' }),
    });
    const session = cookieValue(login.headers.getSetCookie(), 'bl_session');
    const form = await fetch(`${base}/report/details`);
    const csrfCookie = cookieValue(form.headers.getSetCookie(), 'bl_csrf');
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(await form.text())?.[1];
    if (!session || !csrfCookie || !csrfToken) throw new Error('could not sign in or read the report form');

    // Where the time goes on the server side: how late its event loop runs, how busy it is, and
    // how long requests sat unread in the socket buffers (the generator stamps when it sent each),
    // which no queue inside the process can see.
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const elu0 = performance.eventLoopUtilization();
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    const unreadMs: number[] = [];
    http.server.on('request', (request: IncomingMessage) => {
      const sent = Number(request.headers['x-bench-sent'] ?? 0);
      if (sent > 0) unreadMs.push(Date.now() - sent);
    });
    // When each contact first reached the console's live stream: how far processing fell behind
    // what was accepted (a portal report is processed after its reporter has the reference).
    const liveAt = new Map<string, number>();
    if (!app.demoForceId) throw new Error('the benchmark needs the demo force');
    const unsubscribe = app.hub.subscribe(app.demoForceId, (message) => {
      if (message.type === 'queue.changed' && !liveAt.has(message.contactId)) liveAt.set(message.contactId, Date.now());
    });
    const surgeStartedAt = new Date();
    const trace = IS_TRACED ? traceEverySecond(app) : null;
    const load = await runLoad({
      base,
      channels,
      csrfCookie,
      csrfToken,
      staffCookie: `bl_session=${session}`,
      warmUpSeconds: 2,
      calibrationSeconds: CALIBRATION_SECONDS,
      concurrency: CONCURRENCY,
      sustainableRate: GIVEN_RATE,
      factor: FACTOR,
      surgeSeconds: SURGE_SECONDS,
    });
    trace?.stop();
    const gateStats = app.admission?.stats();
    loop.disable();
    const utilisation = performance.eventLoopUtilization(elu0).utilization;
    const cpu = process.cpuUsage(cpu0);
    const serverCores = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
    const backlog = await drainBacklog(app.database.db);
    unsubscribe();
    const processingMs = await processingDelays(app.database.db, surgeStartedAt, liveAt);

    const outcomes = load.outcomes;
    const accepted = outcomes.filter((o) => o.isAccepted);
    const shed = outcomes.filter((o) => o.status === 503);
    const other = new Map<string, number>();
    for (const o of outcomes) {
      if (o.isAccepted || o.status === 503) continue;
      const key = o.status === 0 ? `${o.kind} no answer` : `${o.kind} ${o.status}`;
      other.set(key, (other.get(key) ?? 0) + 1);
    }
    // Acknowledged must all be stored; shed must all be absent (a shed request changed nothing).
    let ackedTotal = 0;
    let storedTotal = 0;
    const perKind: string[] = [];
    for (const [kind, ids] of idsByKind(accepted)) {
      const stored = await countStored(app.database.db, kind, ids);
      ackedTotal += ids.length;
      storedTotal += stored;
      perKind.push(`${kind} ${ids.length}/${stored}`);
    }
    let shedStored = 0;
    for (const [kind, ids] of idsByKind(shed)) shedStored += await countStored(app.database.db, kind, ids);
    const portalShed = shed.filter((o) => o.kind === 'portal');

    const window = load.elapsedSeconds;
    const acceptedMs = accepted.map((o) => o.ms);
    const shedMs = shed.map((o) => o.ms);
    const lines = [
      `bench surge — ${app.database.engine}, shedding ${IS_SHEDDING_OFF ? 'OFF (out of reach)' : `on: ${config.shed.concurrency} public at once, wait ≤ ${config.shed.maxWaitMs} ms, event-loop delay ≤ ${config.shed.maxEventLoopDelayMs} ms, utilisation ≤ ${config.shed.maxUtilisation}`}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`,
      `mix:                              ${channels.length === 0 ? 'portal reports only' : `half portal reports, half webhooks (${channels.join(', ')})`}`,
      `sustainable rate:                 ${fmt(load.sustainableRate)} req/s (${load.isCalibrated ? `closed loop, ${CONCURRENCY} at once, ${CALIBRATION_SECONDS}s` : 'given by BENCH_SURGE_RATE'})`,
      `offered:                          ${fmt(load.offeredRate)} req/s for ${fmt(window)} s, open loop (${load.sent} requests, ${fmt(load.offeredRate / load.sustainableRate)}×)`,
      `accepted per second:              ${fmt(accepted.length / window)} (${accepted.length})`,
      `shed per second:                  ${fmt(shed.length / window)} (${shed.length}; ${shed.filter((o) => o.hasRetryAfter).length} with Retry-After)`,
      `other answers:                    ${other.size === 0 ? 'none' : [...other].map(([k, v]) => `${k}×${v}`).join(', ')}`,
      `accepted latency p50 / p99:       ${fmt(quantile(acceptedMs, 0.5))} / ${fmt(quantile(acceptedMs, 0.99))} ms (max ${fmt(Math.max(0, ...acceptedMs))})`,
      `shed latency p50 / p99:           ${fmt(quantile(shedMs, 0.5))} / ${fmt(quantile(shedMs, 0.99))} ms`,
      `portal shed pages, text kept:     ${portalShed.filter((o) => o.isFormKept).length} / ${portalShed.length}`,
      `staff GET /api/contacts p50/p99:  quiet ${fmt(quantile(load.quietStaffMs, 0.5))} / ${fmt(quantile(load.quietStaffMs, 0.99))} ms, surge ${fmt(quantile(load.surgeStaffMs, 0.5))} / ${fmt(quantile(load.surgeStaffMs, 0.99))} ms (${load.surgeStaffMs.length} reads, ${load.staffFailures} failed)`,
      `acknowledged vs stored:           ${ackedTotal} / ${storedTotal} ${ackedTotal === storedTotal ? '(equal)' : '(MISMATCH)'}`,
      `per kind (acked/stored):          ${perKind.join(', ')}`,
      `shed but stored:                  ${shedStored}${shedStored === 0 ? '' : ' (LOSS OF GUARANTEE)'}`,
      `server event loop (whole run):    delay p50 ${fmt(loop.percentile(50) / 1e6)} / p99 ${fmt(loop.percentile(99) / 1e6)} / max ${fmt(loop.max / 1e6)} ms, utilisation ${fmt(utilisation, 2)}, CPU ${fmt(serverCores, 2)} cores`,
      `sent → read by the server:        p50 ${fmt(quantile(unreadMs, 0.5))} / p99 ${fmt(quantile(unreadMs, 0.99))} ms (time unread in socket buffers, whole run)`,
      `accepted → live queue p50 / p99:  ${fmt(quantile(processingMs.portal, 0.5))} / ${fmt(quantile(processingMs.portal, 0.99))} ms portal (max ${fmt(Math.max(0, ...processingMs.portal))}), ${fmt(quantile(processingMs.webhooks, 0.5))} / ${fmt(quantile(processingMs.webhooks, 0.99))} ms webhooks (received time to the console's live stream)`,
      `work behind when the surge ended: ${backlog.received} received reports (oldest ${fmt(backlog.oldestMs)} ms), ${backlog.dueJobs} due jobs other than sends (oldest ${fmt(backlog.oldestJobMs)} ms); all done ${fmt(backlog.drainedMs)} ms later`,
      `gate:                             ${gateStats ? `admitted ${gateStats.admitted}, shed ${gateStats.shed} (whole run), mean time holding a turn ${fmt(gateStats.meanServiceMs ?? Number.NaN)} ms at the end` : 'none'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await app.close();
    await database.remove();
  }
}
