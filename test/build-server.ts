import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Builds the server and test/fixtures/ into dist/ (skipped when dist/ is up to date), so tests that
 * start child processes (the CLI, crash workers) run compiled JavaScript, as production does,
 * instead of compiling TypeScript at every start. A child process, so the run's global setup
 * builds the template database on the other core meanwhile (test/global-setup.ts).
 */
export function buildServer(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('scripts/build-server.js'), '--with-test-fixtures'], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`the server build failed (${signal ?? `exit code ${code}`}); see the output above`))));
  });
}
