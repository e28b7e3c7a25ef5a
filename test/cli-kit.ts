import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ENGINE, createScratchDatabase } from './helpers.ts';

// Shared by the tests that drive the `bluelamp` command as a person would: a real child process
// running the built JavaScript, against a database of its own.

const run = promisify(execFile);
const CLI = path.resolve('bin/bluelamp.js');

/** Runs `bluelamp …` with extra settings; returns its exit code and everything it printed. */
export async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

/** An empty database for the command: a scratch PostgreSQL database, or a PGlite data folder. */
export async function scratchEnv(prefix: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (ENGINE === 'postgres') {
    const scratch = await createScratchDatabase();
    return { env: { DATABASE_URL: scratch.url }, cleanup: scratch.drop };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `bluelamp-${prefix}-`));
  return { env: { DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}
