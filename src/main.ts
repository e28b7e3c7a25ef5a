import type { Logger } from 'pino';
import { loadConfig } from './platform/config/config.ts';
import { buildApp, type App } from './app.ts';
import { startBanner } from './start-banner.ts';
import { startDemoFeeder } from './capabilities/dispatch/demo-feeder.ts';
import { startStallWatchdog } from './platform/observability/stall-watchdog.ts';

/** How long long work (a vacuum) may hold the event loop before the watchdog kills the process. */
const LONG_WORK_LIMIT_MS = 30 * 60_000;
/**
 * How long stopping may take before the process gives up and exits 1, saying what it was waiting
 * for. A clean stop takes a second or two: requests in progress are answered, jobs in hand finish.
 */
export const SHUTDOWN_LIMIT_MS = 15_000;

/** Calls `fire` once `ms` have passed, unless the function it gives back is called first. */
export type OverrunTimer = (ms: number, fire: () => void) => () => void;

const realTimer: OverrunTimer = (ms, fire) => {
  const timer = setTimeout(fire, ms);
  return () => clearTimeout(timer);
};

/** What a stopping process stops, in this order: the stall watchdog, the demo feeder, then the app. */
export type ProcessParts = {
  app: Pick<App, 'close'>;
  log: Logger;
  watchdog?: { stop: () => Promise<void> } | null;
  stopFeeder?: (() => Promise<void>) | null;
};

/**
 * Stops the process's parts and exits 0; exits 1 naming the step it was waiting for when a step
 * fails or stopping takes longer than `limitMs`. `exit` is `process.exit` in the process, and
 * `after` a real timer; a test gives its own of each, to see an overrun without ending its process
 * or waiting any limit out.
 */
export async function stopAndExit(
  signal: string,
  { app, log, watchdog, stopFeeder }: ProcessParts,
  { limitMs = SHUTDOWN_LIMIT_MS, exit, after = realTimer }: { limitMs?: number; exit: (code: number) => void; after?: OverrunTimer },
): Promise<void> {
  log.info({ signal }, 'shutting down');
  let waitingFor = 'the stall watchdog';
  const startedAt = Date.now();
  // A step that never finishes (a connection a client holds open, a hung database) must not
  // keep a stopping process alive: its supervisor is waiting to start the next one.
  const cancelOverrun = after(limitMs, () => {
    log.error({ signal, waitingFor, limitS: limitMs / 1000 }, `shutdown did not finish in ${limitMs / 1000} s; exiting while waiting for ${waitingFor}`);
    exit(1);
  });
  try {
    await watchdog?.stop();
    waitingFor = 'the demo feeder';
    await stopFeeder?.();
    await app.close((step) => (waitingFor = step));
  } catch (error) {
    cancelOverrun();
    log.error({ err: error, waitingFor }, 'shutdown failed');
    exit(1);
    return;
  }
  cancelOverrun();
  log.info({ signal, tookMs: Date.now() - startedAt }, 'shut down');
  exit(0);
}

/** What a started process gives back: a stop that ends what it started without ending the process. */
export type StartedProcess = {
  /**
   * Removes the signal handlers and stops the watchdog, the demo feeder and the app as a signal
   * would, but exits nothing (a test whose start should have been refused ends it so); rejects
   * when stopping fails.
   */
  stop: () => Promise<void>;
};

/** Starts Bluelamp in the configured role and stops it cleanly on SIGINT/SIGTERM. */
export async function startProcess(env: Record<string, string | undefined>, argv: string[]): Promise<StartedProcess> {
  const config = loadConfig(env, argv);
  // A PGlite data folder's lock names the command holding it, as a refused command will say.
  const app = await buildApp(config, { dataFolderHolder: ['bluelamp', 'start', ...argv].join(' ') });
  const log = app.deps.logger;
  if (app.http) {
    try {
      await app.http.listen({ port: config.port, host: config.host });
    } catch (error) {
      // Nothing else has started: the database closes cleanly (a PGlite data folder's lock is
      // released) before the command reports the port it could not have.
      await app.close();
      throw error;
    }
  }
  // The demo units drive about, reported through position ingest, where jobs run (never in tests,
  // which build the app without this process).
  const isWorker = config.role === 'worker' || config.role === 'all';
  const stopFeeder = app.demoForceId && isWorker && config.demoFeederIntervalMs > 0 ? startDemoFeeder(app.deps, app.demoForceId, config.demoFeederIntervalMs) : null;
  // Started once the process serves (migrations and the seed before it may hold the loop longer).
  const limitMs = config.eventLoopStallExitMs;
  const watchdog =
    limitMs > 0
      ? startStallWatchdog({
          limitMs,
          longWorkLimitMs: Math.max(limitMs, LONG_WORK_LIMIT_MS),
          onError: (error) => log.error({ err: error }, 'the event-loop stall watchdog failed; a held loop will not be restarted'),
        })
      : null;
  const parts: ProcessParts = { app, log, watchdog, stopFeeder };
  const shutdown = (signal: string) => stopAndExit(signal, parts, { exit: (code) => process.exit(code) });
  const onSigint = () => void shutdown('SIGINT');
  const onSigterm = () => void shutdown('SIGTERM');
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigterm);

  const lines = startBanner({ config, engine: app.database.engine, servesHttp: app.http !== null, isFeederRunning: stopFeeder !== null });
  process.stdout.write(`${lines.join('\n')}\n\n`);
  return {
    async stop() {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigterm);
      let code = 0;
      await stopAndExit('stop', parts, {
        exit: (exitCode) => {
          code = exitCode;
        },
      });
      if (code !== 0) throw new Error(`stopping the started process failed (it would have exited ${code})`);
    },
  };
}
