import { Worker } from 'node:worker_threads';

// A process whose event loop never turns again serves nobody and never comes back by itself:
// embedded PGlite spins for ever after a PANIC inside a commit (decision 0051), and a runaway loop
// in our own code would do the same. The watchdog runs on its own thread, so it still runs while
// the main thread is held; when the main thread has not beaten for the limit it writes why to
// stderr and kills the process (SIGKILL: the held thread can run no handler), and the supervisor
// starts it again (decision 0052). Work is committed (on PGlite, flushed) before it is
// acknowledged, so a kill loses nothing acknowledged.

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

/**
 * What the watchdog's thread runs (a script, so the build needs no second entry point). Before it
 * kills, it asks the main thread's inspector to pause and writes the paused stack, which names
 * what held the loop (the inspector reaches a busy thread: V8 checks for it in every loop). It
 * waits at most PAUSE_WAIT_MS for that. The stack holds function names and file positions only.
 */
const PAUSE_WAIT_MS = 3000;
const WATCHDOG_SCRIPT = String.raw`
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { shared, limitMs, longWorkLimitMs, checkMs } = workerData;
let lastBeat = Atomics.load(shared, ${BEAT});
let lastChange = performance.now();
let isKilling = false;
const write = (text) => { try { writeSync(2, text); } catch {} };
const kill = () => process.kill(process.pid, 'SIGKILL');

function writeStackThenKill() {
  const timer = setTimeout(() => { write('(the held thread did not pause; no stack)\n'); kill(); }, ${PAUSE_WAIT_MS});
  try {
    // Required here: a Node built without the inspector still gets the kill.
    const inspector = require('node:inspector');
    const session = new inspector.Session();
    session.connectToMainThread();
    const urls = new Map();
    session.on('Debugger.scriptParsed', ({ params }) => urls.set(params.scriptId, params.url));
    session.on('Debugger.paused', ({ params }) => {
      // The innermost frames, then every JavaScript frame (which says what asked the engine).
      const shown = params.callFrames.filter((frame, index) => index < 8 || !(urls.get(frame.location.scriptId) || '').startsWith('wasm:'));
      const frames = shown.slice(0, 40).map((frame) =>
        '    at ' + (frame.functionName || '(anonymous)') + ' (' + (urls.get(frame.location.scriptId) || frame.url || '?') + ':' + (frame.location.lineNumber + 1) + ':' + (frame.location.columnNumber + 1) + ')');
      write('The held thread was paused in:\n' + frames.join('\n') + '\n');
      clearTimeout(timer);
      kill();
    });
    session.post('Debugger.enable', () => session.post('Debugger.pause'));
  } catch (error) {
    write('(no stack: ' + error.message + ')\n');
    kill();
  }
}

setInterval(() => {
  if (isKilling || Atomics.load(shared, ${STOP}) !== 0) return;
  const beat = Atomics.load(shared, ${BEAT});
  const now = performance.now();
  if (beat !== lastBeat) { lastBeat = beat; lastChange = now; return; }
  const isLongWork = Atomics.load(shared, ${LONG_WORK}) > 0;
  const limit = isLongWork ? longWorkLimitMs : limitMs;
  if (now - lastChange < limit) return;
  isKilling = true;
  write('Bluelamp stopped: the event loop was held for ' + ((now - lastChange) / 1000).toFixed(1) + ' s' +
    (isLongWork ? ' during long work' : '') + ' (limit ' + (limit / 1000).toFixed(1) + ' s, EVENT_LOOP_STALL_EXIT_S), so nothing was being served. ' +
    'Killing the process (pid ' + process.pid + ') for its supervisor to start it again.\n');
  writeStackThenKill();
}, checkMs);
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
      await worker.terminate();
    },
  };
}
