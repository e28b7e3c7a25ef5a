import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

type Outcome = { code: number | null; signal: string | null; stdout: string; stderr: string };

/** Runs the held-loop fixture (built by the run's global setup, test/build-server.ts) to its end. */
function runFixture(scenario: string): Promise<Outcome> {
  const script = path.resolve('dist/test/fixtures/held-loop.js');
  return new Promise((resolve) => {
    // Killed after a minute if the watchdog never acts (the test then fails on the signal).
    const child = execFile(process.execPath, [script, scenario], { timeout: 60_000 }, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
    });
  });
}

describe('the stall watchdog', () => {
  it('kills-a-process-whose-event-loop-never-turns-and-leaves-one-that-turns-alone', async () => {
    const [turns, held, heldLong] = await Promise.all([runFixture('turns'), runFixture('held'), runFixture('held-long')]);

    // Stretches shorter than the limit, and one longer inside long work, are served to the end.
    expect(turns).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(turns.stdout).toContain('SERVED');

    // A loop held for good is killed (no handler can run on it), saying why on stderr.
    expect(held.stdout).toContain('HOLDING');
    expect(held.signal).toBe('SIGKILL');
    expect(held.stderr).toMatch(/^Bluelamp stopped: the event loop was held for \d+\.\d s \(limit 0\.8 s, EVENT_LOOP_STALL_EXIT_S\)/);
    // With where it was held, for whoever has to find out why.
    // (Its top frames may be Node's own, inside the clock the loop reads.)
    expect(held.stderr).toMatch(/The held thread was paused in:\n(\s+at .*\n)*\s+at holdFor \(file:.*held-loop\.js:\d+:\d+\)/);

    // Long work waits for its own, longer limit, but not for ever.
    expect(heldLong.signal).toBe('SIGKILL');
    expect(heldLong.stderr).toMatch(/held for \d+\.\d s during long work \(limit 2\.0 s,/);
    const heldFor = (stderr: string) => Number(/held for (\d+\.\d) s/.exec(stderr)?.[1]);
    expect(heldFor(heldLong.stderr)).toBeGreaterThanOrEqual(2);
    expect(heldFor(held.stderr)).toBeGreaterThanOrEqual(0.8);
  });
});
