import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE } from '../helpers.ts';
import { cliHere, freePort, pgliteFolder } from '../cli-kit.ts';
import { explainedFailure, runCli } from '../../src/cli-commands.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { DataFolderInUseError } from '../../src/platform/db/data-folder-lock.ts';

// The server runs as a real process from the build (test/build-server.ts, run by the global
// setup), and so do a second server and the command that takes over a dead server's lock; the
// refused commands run in this process (`cliHere`): the lock they meet is the server process's.
const CLI = path.resolve('bin/bluelamp.js');

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, out: stdout + stderr });
    });
  });
}

/** Starts `bluelamp start` and resolves once it says it is running. */
function startServer(env: Record<string, string>): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'start'], { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Bluelamp is running')) resolve(child);
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

describe.runIf(ENGINE === 'pglite')('a PGlite data folder held by a running server', () => {
  // Three real process starts (the server, a second server, a command after it): longer than one in-process test.
  it('refuses-cli-writes-and-a-second-server-instead-of-losing-them', { timeout: 180_000 }, async () => {
    const { dir, cleanup } = pgliteFolder('lock');
    const port = await freePort();
    const env = { DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', SEED_DEMO: 'false' };
    let server: ChildProcess | null = null;
    try {
      server = await startServer(env);
      expect(existsSync(path.join(dir, 'bluelamp.lock'))).toBe(true);

      const refused = await cliHere(['force', 'create', '--slug=northshire', '--code=NSP', '--name=Northshire Police'], env);
      expect(refused).toMatchObject({ code: 3 });
      expect(refused.stdout).toContain(`is in use by another Bluelamp process (pid ${server.pid}`);
      expect(refused.stdout).toContain('"bluelamp start", since');
      expect(refused.stdout).toContain('Stop the server');
      expect(refused.stdout).not.toContain('Created force');

      const staff = await cliHere(['staff', 'create', '--force=northshire', '--email=chief@northshire.police.uk', '--name=Chief', '--role=force_admin'], env);
      expect(staff.code).toBe(3);
      // Each refusal says what the running server can do instead.
      expect(staff.stdout).toContain('POST /api/staff');
      expect(refused.stdout).toContain('no HTTP API that creates forces');

      const second = await cli(['start'], { ...env, PORT: String(await freePort()) });
      expect(second.code).toBe(3);
      expect(second.out).toContain('Stop that process first');

      // The running server is unharmed.
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);

      // A server killed outright leaves its lock behind; the next process sees it is dead and takes over.
      server.kill('SIGKILL');
      await exited(server);
      server = null;
      expect(existsSync(path.join(dir, 'bluelamp.lock'))).toBe(true);
      const created = await cli(['force', 'create', '--slug=northshire', '--code=NSP', '--name=Northshire Police'], env);
      expect(created).toMatchObject({ code: 0 });
      expect(created.out).toContain('Created force northshire');
      expect(existsSync(path.join(dir, 'bluelamp.lock'))).toBe(false);

      // The write is there for the next to open the folder.
      const verified = await cliHere(['audit', 'verify', '--force=northshire'], env);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/northshire: ok, \d+ events verified/);
      // Closed, it let the folder go, as a process does when it exits.
      expect(existsSync(path.join(dir, 'bluelamp.lock'))).toBe(false);
    } finally {
      if (server) {
        server.kill('SIGKILL');
        await exited(server);
      }
      await cleanup();
    }
  });
});

describe.runIf(ENGINE === 'pglite')('a PGlite data folder held by a command run in this process', () => {
  // runCli runs in whatever process calls it (a test runner here): the lock and a refusal must
  // name the `bluelamp` command that holds the folder, not the arguments of the process around it.
  it('names-the-command-that-holds-it-not-the-process-it-runs-in', async () => {
    const { dir, cleanup } = pgliteFolder('lock-here');
    try {
      const held: { lock?: unknown; refused?: Promise<unknown> } = {};
      const printed: string[] = [];
      const code = await runCli(['migrate'], { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' }, {
        // The command reports while it still holds the folder: read its lock then, and open the folder again.
        out: (line) => {
          printed.push(line);
          held.lock = JSON.parse(readFileSync(path.join(dir, 'bluelamp.lock'), 'utf8'));
          held.refused = openDatabase({ dataDir: dir }).then(
            async (database) => {
              await database.close();
              return null;
            },
            (error: unknown) => error,
          );
        },
        err: (line) => printed.push(line),
      });
      expect({ code, printed }).toEqual({ code: 0, printed: ['Already up to date'] });
      expect(held.lock).toMatchObject({ pid: process.pid, command: 'bluelamp migrate' });

      const error = await held.refused;
      expect(error).toBeInstanceOf(DataFolderInUseError);
      expect((error as DataFolderInUseError).owner).toMatchObject({ pid: process.pid, command: 'bluelamp migrate' });
      // What a refused command prints names the holder as a person ran it.
      const advice = explainedFailure(error, ['force', 'create', '--slug=northshire', '--code=NSP', '--name=Northshire Police']);
      expect(advice?.code).toBe(3);
      expect(advice?.message).toContain(`(pid ${process.pid} on `);
      expect(advice?.message).toContain('"bluelamp migrate", since');
      // Closed, it let the folder go.
      expect(existsSync(path.join(dir, 'bluelamp.lock'))).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
