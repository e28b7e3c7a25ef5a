import { Worker } from 'node:worker_threads';

// A process whose event loop never turns again serves nobody and never comes back by itself:
// embedded PGlite spins for ever after a PANIC inside a commit (decision 0051), and a runaway loop
// in our own code would do the same. The watchdog runs on its own thread, so it still runs while
// the main thread is held; when the main thread has not beaten for the limit it writes why to
// stderr and kills the process (SIGKILL: the held thread can run no handler), and the supervisor
// starts it again (decision 0052). Acknowledged work is committed (and, on PGlite, flushed) before it is
// acknowledged, so a kill loses none of it.

const BEAT = 0;
const LONG_WORK = 1;
const STOP = 2;

/** Shared with the watchdog's thread: the heartbeat count, how much long work is under way, a stop flag. */
const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));

/**
 * Runs work that may legitimately hold the event loop longer than the limit (a vacuum of a large
 * table on PGlite, one statement that runs for minutes): the watchdog then waits for the long-work
 * limit instead. Cheap without a watchdog running.
 */
export async function duringLongWork<T>(work: () => Promise<T>): Promise<T> {
  Atomics.add(shared, LONG_WORK, 1);
  try {
    return await work();
  } finally {
    Atomics.sub(shared, LONG_WORK, 1);
  }
}

export type StallWatchdog = { stop: () => Promise<void> };

/** What the watchdog's thread runs (a script, so the build needs no second entry point). */
const WATCHDOG_SCRIPT = String.raw`
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { shared, limitMs, longWorkLimitMs, checkMs } = workerData;
let lastBeat = Atomics.load(shared, ${BEAT});
let lastChange = performance.now();
while (Atomics.load(shared, ${STOP}) === 0) {
  Atomics.wait(shared, ${STOP}, 0, checkMs);
  const beat = Atomics.load(shared, ${BEAT});
  const now = performance.now();
  if (beat !== lastBeat) { lastBeat = beat; lastChange = now; continue; }
  const isLongWork = Atomics.load(shared, ${LONG_WORK}) > 0;
  const limit = isLongWork ? longWorkLimitMs : limitMs;
  if (now - lastChange < limit || Atomics.load(shared, ${STOP}) !== 0) continue;
  const message = 'Bluelamp stopped: the event loop was held for ' + ((now - lastChange) / 1000).toFixed(1) + ' s' +
    (isLongWork ? ' during long work' : '') + ' (limit ' + (limit / 1000).toFixed(1) + ' s, EVENT_LOOP_STALL_EXIT_S), so nothing was being served. ' +
    'Killing the process (pid ' + process.pid + ') for its supervisor to start it again.\n';
  try { writeSync(2, message); } catch {}
  process.kill(process.pid, 'SIGKILL');
}
`;

/**
 * Starts the watchdog: the main thread beats every quarter of the limit (at most once a second),
 * the watchdog's thread looks as often. `longWorkLimitMs` applies while `duringLongWork` runs.
 */
export function startStallWatchdog(options: { limitMs: number; longWorkLimitMs: number; onError?: (error: Error) => void }): StallWatchdog {
  const beatMs = Math.max(10, Math.min(1000, Math.floor(options.limitMs / 4)));
  Atomics.store(shared, STOP, 0);
  const timer = setInterval(() => Atomics.add(shared, BEAT, 1), beatMs);
  timer.unref();
  const worker = new Worker(WATCHDOG_SCRIPT, {
    eval: true,
    workerData: { shared, limitMs: options.limitMs, longWorkLimitMs: options.longWorkLimitMs, checkMs: beatMs },
  });
  // The watchdog never keeps a stopping process alive, and its failing takes nothing else down.
  worker.unref();
  worker.on('error', (error) => options.onError?.(error));
  return {
    stop: async () => {
      clearInterval(timer);
      Atomics.store(shared, STOP, 1);
      Atomics.notify(shared, STOP);
      await worker.terminate();
    },
  };
}
