import { execFile } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { inject } from 'vitest';
import type { TemplateDatabase } from './template-database.ts';
import path from 'node:path';
import { promisify } from 'node:util';
import { ENGINE, createScratchDatabase } from './helpers.ts';
import { makeScratchFolder } from './scratch-folder.ts';
import { runCli } from '../src/cli-commands.ts';

// Shared by the tests that drive the `bluelamp` command as a person would: a real child process
// running the built JavaScript (`cli`), or the same command run in the test's own process
// (`cliHere`), against a database of its own.

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

/**
 * Runs `bluelamp …` in this process, as the child process would with these settings and no
 * others: the same command code on the same data folder or database, without starting Node and
 * loading the product again. Returns its exit code and everything it printed (its own output and
 * its errors, in order). A PGlite data folder is locked while the command runs, as by a process.
 */
export async function cliHere(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = (line: string) => void (stdout += `${line}\n`);
  const code = await runCli(args, { ...process.env, ...env, LOG_LEVEL: 'silent' }, { out: write, err: write });
  return { code, stdout };
}

/**
 * A PGlite data folder of its own for a test, holding a copy of the run's migrated template (only
 * migrated, or migrated and seeded with the demo force): the product started on it migrates and
 * seeds nothing new, as on an empty folder, without creating a database each time. Empty when the
 * run has no template (a single file run without the global setup).
 */
export function pgliteFolder(prefix: string, from: 'migrated' | 'seeded' = 'migrated'): { dir: string; cleanup: () => Promise<void> } {
  const dir = makeScratchFolder(`bluelamp-${prefix}-`);
  const template: TemplateDatabase | undefined = inject('bluelampTemplate');
  if (template?.engine === 'pglite') cpSync(path.join(template.folders[from], 'pglite'), path.join(dir, 'pglite'), { recursive: true });
  return { dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What every test's product needs on a busy machine (as baseTestEnv): a server started here must not
 * turn the test's own requests away as a surge because the other core is busy.
 */
const NO_SHEDDING = { SHED_MAX_WAIT_MS: '60000', SHED_EVENT_LOOP_DELAY_MS: '0', SHED_MAX_UTILISATION: '0' };

/**
 * A database of its own for the command: a scratch PostgreSQL database (empty), or a PGlite data
 * folder holding the migrated template (no force yet, as a first start leaves it before seeding).
 */
export async function scratchEnv(prefix: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (ENGINE === 'postgres') {
    const scratch = await createScratchDatabase();
    return { env: { ...NO_SHEDDING, DATABASE_URL: scratch.url }, cleanup: scratch.drop };
  }
  const { dir, cleanup } = pgliteFolder(prefix);
  return { env: { ...NO_SHEDDING, DATA_DIR: dir }, cleanup };
}

/**
 * A database of its own holding a copy of the run's migrated and seeded template (the demo force
 * with its staff, sealed with the test settings' keys): a scratch PostgreSQL database copied from
 * the template, or a PGlite data folder. A product started on it (in this process or another)
 * migrates and seeds nothing new, as it would on a database it had set up itself earlier. Empty
 * when the run has no template (a single file run without the global setup).
 */
export async function seededEnv(prefix: string): Promise<{ env: Record<string, string>; cleanup: () => Promise<void> }> {
  if (ENGINE === 'postgres') {
    const template: TemplateDatabase | undefined = inject('bluelampTemplate');
    const scratch = await createScratchDatabase(template?.engine === 'postgres' ? template.databaseName : undefined);
    return { env: { ...NO_SHEDDING, DATABASE_URL: scratch.url }, cleanup: scratch.drop };
  }
  const { dir, cleanup } = pgliteFolder(prefix, 'seeded');
  return { env: { ...NO_SHEDDING, DATA_DIR: dir }, cleanup };
}

/** A local port free at the moment of asking, for a child process to listen on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
