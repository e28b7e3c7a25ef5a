import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Runs once before the test files: builds the server and test/fixtures/ into dist/ (skipped when
 * dist/ is up to date), so tests that start child processes (the CLI, crash workers) run compiled
 * JavaScript, as production does, instead of compiling TypeScript at every start.
 */
export function setup(): void {
  const result = spawnSync(process.execPath, [path.resolve('scripts/build-server.js'), '--with-test-fixtures'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the server build failed; see the output above');
}
