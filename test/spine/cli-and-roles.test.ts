import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ENGINE, createScratchDatabase, submitPublicReport } from '../helpers.ts';
import { cli, cliHere, scratchEnv, seededEnv } from '../cli-kit.ts';
import { buildApp } from '../../src/app.ts';
import { explainedFailure } from '../../src/cli-commands.ts';
import { startProcess } from '../../src/main.ts';
import { loadConfig } from '../../src/platform/config/config.ts';
import { openDatabase, withSystem } from '../../src/platform/db/database.ts';
import type { ForceId } from '../../src/platform/ids.ts';

// What each command does is run in this process (`cliHere`, the same code the process runs; a
// start refused its port, `startProcess`); the process itself, its exit codes and what it prints,
// is proved here by `--help`, a bad setting and a broken chain, and with a running server by
// data-folder-lock.test.ts and shutdown.test.ts (decisions 0114 and 0179).
describe('the bluelamp command', () => {
  // The same `bluelamp --help` for the two tests of its text: one process prints it.
  let help: ReturnType<typeof cli> | undefined;
  const printedHelp = () => (help ??= cli(['--help'], {}));

  it('prints help that lists every setting', async () => {
    const result = await printedHelp();
    expect(result.code).toBe(0);
    for (const setting of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'SMTP_URL', 'SESSION_SECRET', '--role=']) expect(result.stdout).toContain(setting);
  });

  it('says-where-email-goes-without-SMTP_URL-as-a-first-start-does-it', async () => {
    // A first `npm start` has no SMTP_URL and writes email into DATA_DIR/mail (MAIL_FOLDER): the
    // help must not tell a newcomer it is held in the outbox, where they would look for it in vain.
    const result = await printedHelp();
    const entry = (/\n {2}SMTP_URL [\s\S]*?(?=\n {2}[A-Z][A-Z_]+ )/.exec(result.stdout)?.[0] ?? '').replace(/\s+/g, ' ');
    expect(entry).toContain('MAIL_FOLDER');
  });

  it('stops-start-up-naming-a-bad-setting', async () => {
    const result = await cli(['start'], { PORT: 'not-a-port', DATA_DIR: 'memory://' });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('PORT');
  });

  it('stops-start-up-naming-a-port-another-program-holds', async () => {
    // Another program (a second copy, another development server) already listens on the port.
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    const { env, cleanup } = await seededEnv('port-held');
    try {
      // `bluelamp start` in this process, as the command runs it (src/cli.ts: startProcess, and a
      // failure it explains is its exit code and message); the process's own exit 2 on an
      // explained failure is the bad setting's test above.
      const argv = ['start'];
      const failure = await startProcess({ ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', DEMO_FEEDER_INTERVAL_S: '0', LOG_LEVEL: 'silent' }, []).then(
        // A start that should have been refused is stopped (its server, its signal handlers), so
        // nothing of it reaches the tests after this one; the test still fails on the checks below.
        async (started) => {
          await started.stop();
          return null;
        },
        (error: unknown) => explainedFailure(error, argv),
      );
      expect(failure?.code).toBe(2);
      expect(failure?.message).toContain(`127.0.0.1:${port} is already in use by another program`);
      expect(failure?.message).toContain('PORT=');
      // Said in words, without the stack of Node's listen call.
      expect(failure?.message).not.toContain('setupListenHandle');
      // The start that failed closed its database: a PGlite data folder is free for the next command.
      if (env.DATA_DIR) expect(existsSync(path.join(env.DATA_DIR, 'bluelamp.lock'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
      await cleanup();
    }
  });

  it('bootstraps a production force and its first admin without any demo data', async () => {
    const { env: base, cleanup } = await scratchEnv('cli');
    const env = { ...base, NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), SECRETS_KEY: 'k'.repeat(40) };
    try {
      expect((await cliHere(['force', 'create', '--slug=northshire', '--code=NSP', '--name=Northshire Police'], env)).code).toBe(0);
      const bad = await cliHere(['force', 'create', '--slug=bad', '--code=lower', '--name=Bad'], env);
      expect(bad).toMatchObject({ code: 2, stdout: expect.stringContaining('--code= must be 2-8 capital letters') });
      const created = await cliHere(['staff', 'create', '--force=northshire', '--email=chief@northshire.police.uk', '--name=Chief Admin', '--role=force_admin'], env);
      expect(created.code).toBe(0);
      const password = /One-time password \(shown once, not stored\): (\S+)/.exec(created.stdout)?.[1] ?? '';
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect((await cliHere(['staff', 'create', '--force=northshire', '--email=CHIEF@northshire.police.uk', '--name=X', '--role=force_admin'], env)).code).toBe(2);

      const app = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { startWorker: false });
      try {
        const slugs = await withSystem(app.database.db, (tx) => tx.selectFrom('forces').select('slug').execute());
        expect(slugs.map((s) => s.slug)).toEqual(['northshire']);
        const login = await app.http?.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'chief@northshire.police.uk', password } });
        expect(login?.statusCode).toBe(200);
        expect(login?.json<{ user: { mustChangePassword: boolean } }>().user.mustChangePassword).toBe(true);
        const demo = await app.http?.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'admin@demo.police.uk', password: 'demo-password' } });
        expect(demo?.statusCode).toBe(401);
      } finally {
        await app.close();
      }
    } finally {
      await cleanup();
    }
  });

  it('verifies the audit chain, and reports the event that was tampered with', async () => {
    // The demo force, already seeded: its chain is what the command verifies.
    const { env, cleanup } = await seededEnv('cli');
    try {
      const app = await buildApp(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { startWorker: false });
      const forceId = (await withSystem(app.database.db, (tx) => tx.selectFrom('forces').select('id').executeTakeFirstOrThrow())).id as ForceId;
      await submitPublicReport(app.deps, forceId, {
        submissionId: 'cli-1',
        whatHappened: 'Graffiti on the bus shelter',
        where: 'Station Road',
        when: 'this morning',
        name: null,
        email: 'cli@example.org',
      });
      await app.close();

      // Where the chain's checkpoints are kept (beside PGlite's data), the worker signs them; it
      // did not run here, so one is signed by hand, as an operator would before verifying.
      if (ENGINE === 'pglite') expect((await cliHere(['audit', 'checkpoint'], env)).code).toBe(0);
      const ok = await cliHere(['audit', 'verify'], env);
      expect(ok.code, ok.stdout).toBe(0);
      expect(ok.stdout).toMatch(/demo: ok, \d+ events verified/);

      // Tampering goes straight to the database, as someone with access to it would.
      const again = await openDatabase({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
      const target = await withSystem(again.db, async (tx) => {
        const row = await tx.selectFrom('events').select('seq').where('type', '=', 'contact.received').executeTakeFirstOrThrow();
        await sql`set local session_replication_role = replica`.execute(tx);
        await sql`update events set actor_type = 'staff' where seq = ${row.seq}`.execute(tx);
        return Number(row.seq);
      });
      await again.close();

      // The real process: a failed verification is its exit code 1.
      const broken = await cli(['audit', 'verify', '--force=demo'], env);
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(`BROKEN at event ${target}`);
    } finally {
      await cleanup();
    }
  });
});

describe.runIf(ENGINE === 'postgres')('api and worker as separate processes on one PostgreSQL', () => {
  it('relays a change made by one node to the live stream of another via LISTEN/NOTIFY', async () => {
    const scratch = await createScratchDatabase();
    const api = await buildApp(loadConfig({ DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' }, ['--role=api']));
    const worker = await buildApp(loadConfig({ DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' }, ['--role=worker']), { startWorker: false });
    try {
      expect(api.runner).toBeNull();
      expect(worker.http).toBeNull();
      const forceId = (await withSystem(api.database.db, (tx) => tx.selectFrom('forces').select('id').executeTakeFirstOrThrow())).id as ForceId;
      const heard: string[] = [];
      api.hub.subscribe(forceId, (message) => {
        if (message.type === 'queue.changed') heard.push(message.contactId);
      });
      const created = await submitPublicReport(worker.deps, forceId, {
        submissionId: 'cross-node',
        whatHappened: 'Noise from the flat upstairs',
        where: 'Flat 2',
        when: 'now',
        name: null,
        email: 'node@example.org',
      });
      await expect.poll(() => heard, { timeout: 60_000 }).toContain(created.contactId);
    } finally {
      await api.close();
      await worker.close();
      await scratch.drop();
    }
  });
});
