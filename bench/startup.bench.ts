import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchDatabase } from './bench-database.ts';
import { freePort } from './free-port.ts';
import { fmt, quantile } from './stats.ts';

// How long a process takes to start: every CLI command and every child process the tests start
// pays it before doing anything. From built JavaScript, as a force runs it: `bluelamp --help`
// (loads the command line only), the server's modules imported and nothing run (what every start
// pays first; libraries a force may not use load on first use, decision 0148), `bluelamp start`
// until it listens (/healthz) and until it is ready (/readyz), and, in a fresh process, the first
// message triaged (the tables every engine shares, the engine for the default rules, one score)
// beside the second. Beside them, a bare `node -e ''`, the floor every process pays. Beside the
// wall times, each process's CPU time, which a busy shared machine disturbs less. Medians of
// BENCH_STARTUP_RUNS (9) runs of each, taken in turn, so a busy moment of the machine falls on all
// of them alike.

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 9);
const POLL_MS = 5;

// Each process writes its own CPU time (user and system) as it exits: on a shared machine, CPU
// time is disturbed less than wall time by what else runs.
const REPORT_CPU = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-ms '+(u.user+u.system)/1000)})`;

/** Milliseconds from starting the process to its exit (it must exit 0), and the CPU it used. */
function timeToExit(args: string[]): { wall: number; cpu: number } {
  const started = performance.now();
  const result = spawnSync(process.execPath, [`--import=${REPORT_CPU}`, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
  const wall = performance.now() - started;
  const stderr = result.stderr.toString();
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed: ${stderr}`);
  return { wall, cpu: Number(/cpu-ms (\S+)/.exec(stderr)?.[1]) };
}

/** CPU milliseconds (user and system) a running process has used so far, from /proc (10 ms steps). */
function cpuSoFar(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

// The modules `bluelamp start` loads (the command line, the composition root, the process's start),
// imported and nothing run.
const IMPORT_SERVER = "await import('./dist/src/cli-commands.js'); await import('./dist/src/main.js'); await import('./dist/src/app.js');";

const isOk = async (url: string) => (await fetch(url).catch(() => null))?.ok === true;

/** Starts `bluelamp start` with these settings; the milliseconds until it listens and until it is ready. */
async function timeServerStart(env: Record<string, string>): Promise<{ listening: number; ready: number; cpu: number }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/bluelamp.js', 'start'], {
    env: { ...process.env, ...env, NODE_ENV: 'development', MAIL_FOLDER: 'off', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_FEEDER_INTERVAL_S: '0' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let hasExited = false;
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  void exited.then(() => (hasExited = true));
  let listening = Number.NaN;
  try {
    for (;;) {
      if (hasExited || performance.now() - started > 180_000) throw new Error(`the server did not start:\n${stderr}`);
      if (Number.isNaN(listening) && (await isOk(`${base}/healthz`))) listening = performance.now() - started;
      if (!Number.isNaN(listening) && (await isOk(`${base}/readyz`))) return { listening, ready: performance.now() - started, cpu: cpuSoFar(child.pid) };
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

// In a fresh process: the shared tables and the engine for the default rules, then the first
// score (what the first report a process takes would pay without the warm-up), then a second.
const FIRST_TRIAGE = `
const t0 = performance.now();
const { TriageEngine } = await import('./dist/src/capabilities/triage/triage.engine.js');
const { DEFAULT_RULES } = await import('./dist/src/capabilities/triage/triage.default-rules.js');
const t1 = performance.now();
const c1 = process.cpuUsage();
const engine = new TriageEngine(1, DEFAULT_RULES.map((rule, index) => ({ ...rule, id: 'd' + index })));
engine.score('He said he would kill me if I leave, and he has a knife.', {});
const t2 = performance.now();
const c2 = process.cpuUsage(c1);
engine.score('Someone tried the car doors along our street last night.', {});
const t3 = performance.now();
process.stdout.write(JSON.stringify({ imports: t1 - t0, first: t2 - t1, firstCpu: (c2.user + c2.system) / 1000, second: t3 - t2 }));
`;

type FirstTriage = { imports: number; first: number; firstCpu: number; second: number };

function timeFirstTriage(): FirstTriage {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', FIRST_TRIAGE], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`first triage failed: ${result.stderr.toString()}`);
  return JSON.parse(result.stdout.toString()) as FirstTriage;
}

export async function startupBenchmark(): Promise<void> {
  const build = spawnSync(process.execPath, ['scripts/build-server.js'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the server did not build');
  const storage = await benchDatabase();
  // The first start migrates and seeds the demo force; the runs start on what it left, as a
  // force's server restarts. PGlite runs each start on a copy (a folder holds one process's data).
  const copies: string[] = [];
  const envForRun = (): Record<string, string> => {
    const dataDir = storage.env.DATA_DIR;
    if (dataDir === undefined) return storage.env;
    const copy = mkdtempSync(path.join(tmpdir(), 'bluelamp-bench-start-'));
    cpSync(dataDir, copy, { recursive: true });
    copies.push(copy);
    return { DATA_DIR: copy };
  };
  const samples = { node: [] as number[], nodeCpu: [] as number[], help: [] as number[], helpCpu: [] as number[], importServer: [] as number[], importServerCpu: [] as number[], listening: [] as number[], ready: [] as number[], readyCpu: [] as number[], imports: [] as number[], first: [] as number[], firstCpu: [] as number[], second: [] as number[] };
  try {
    await timeServerStart(storage.env);
    for (let run = 0; run < RUNS; run += 1) {
      const floor = timeToExit(['-e', '']);
      samples.node.push(floor.wall);
      samples.nodeCpu.push(floor.cpu);
      const help = timeToExit(['bin/bluelamp.js', '--help']);
      samples.help.push(help.wall);
      samples.helpCpu.push(help.cpu);
      const imported = timeToExit(['--input-type=module', '-e', IMPORT_SERVER]);
      samples.importServer.push(imported.wall);
      samples.importServerCpu.push(imported.cpu);
      const server = await timeServerStart(envForRun());
      samples.listening.push(server.listening);
      samples.ready.push(server.ready);
      samples.readyCpu.push(server.cpu);
      const triage = timeFirstTriage();
      samples.imports.push(triage.imports);
      samples.first.push(triage.first);
      samples.firstCpu.push(triage.firstCpu);
      samples.second.push(triage.second);
      for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
    }
  } finally {
    for (const copy of copies) rmSync(copy, { recursive: true, force: true });
    await storage.remove();
  }
  const row = (label: string, values: number[]) =>
    process.stdout.write(`${label.padEnd(48)} median ${fmt(quantile(values, 0.5)).padStart(8)} ms   min ${fmt(Math.min(...values)).padStart(8)}   max ${fmt(Math.max(...values)).padStart(8)}\n`);
  process.stdout.write(`\nprocess start, ${RUNS} runs each, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'} (medians; a shared machine is noisy)\n`);
  row('node -e "" (floor)', samples.node);
  row('node -e "" (floor), CPU', samples.nodeCpu);
  row('bluelamp --help', samples.help);
  row('bluelamp --help, CPU', samples.helpCpu);
  row('import the server (no start)', samples.importServer);
  row('import the server (no start), CPU', samples.importServerCpu);
  row('bluelamp start: listening (/healthz)', samples.listening);
  row('bluelamp start: ready (/readyz)', samples.ready);
  row('bluelamp start: CPU until ready', samples.readyCpu);
  row('fresh process: import the triage engine', samples.imports);
  row('fresh process: first triage (tables, engine)', samples.first);
  row('fresh process: first triage, CPU', samples.firstCpu);
  row('fresh process: second triage', samples.second);
}
