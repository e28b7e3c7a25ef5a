import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';
import { describeSettings } from './settings.ts';

describe('configuration', () => {
  it('uses local defaults outside production', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, dataDir: './data', role: 'all', seedDemo: true, isProduction: false, cookieSecure: false });
  });

  it('reads the role from the command line', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://db/bluelamp' }, ['--role=worker']).role).toBe('worker');
  });

  it('names-the-bad-setting-when-a-value-is-wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres:\/\/ URL/);
    expect(() => loadConfig({}, ['--role=janitor'])).toThrow(/ROLE/);
  });

  it('gives-each-migration-a-lock-timeout-of-5-s-unless-told-and-lists-the-setting-in-help', () => {
    expect(loadConfig({}).migrationLockTimeoutMs).toBe(5000);
    expect(loadConfig({ MIGRATION_LOCK_TIMEOUT_S: '0.5' }).migrationLockTimeoutMs).toBe(500);
    expect(() => loadConfig({ MIGRATION_LOCK_TIMEOUT_S: '0' })).toThrow(/MIGRATION_LOCK_TIMEOUT_S/);
    expect(describeSettings().join('\n')).toMatch(/MIGRATION_LOCK_TIMEOUT_S +how long a migration waits for a table lock/);
  });

  it('refuses-production-without-a-session-secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required in production/);
  });

  it('writes email to a folder beside the data only in development with no SMTP server, and never in production', () => {
    expect(loadConfig({}).mailFolder).toBe('./data/mail');
    expect(loadConfig({ DATA_DIR: '/var/lib/bluelamp/' }).mailFolder).toBe('/var/lib/bluelamp/mail');
    expect(loadConfig({ MAIL_FOLDER: '/tmp/bluelamp-mail' }).mailFolder).toBe('/tmp/bluelamp-mail');
    expect(loadConfig({ MAIL_FOLDER: 'off' }).mailFolder).toBeNull();
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.org:587', MAIL_FOLDER: '/tmp/bluelamp-mail' }).mailFolder).toBeNull();
    expect(loadConfig({ NODE_ENV: 'test' }).mailFolder).toBeNull();
    expect(loadConfig({ DATABASE_URL: 'postgres://db/bluelamp' }).mailFolder).toBeNull();
    expect(loadConfig({ DATA_DIR: 'memory://' }).mailFolder).toBeNull();
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), SECRETS_KEY: 'k'.repeat(40) };
    expect(loadConfig(production).mailFolder).toBeNull();
    expect(() => loadConfig({ ...production, MAIL_FOLDER: '/tmp/bluelamp-mail' })).toThrow(/MAIL_FOLDER/);
  });

  it('listens for email where it listens for the web unless told otherwise: this machine only outside production', () => {
    expect(loadConfig({ EMAIL_SMTP_PORT: '2525' }).emailSmtp?.host).toBe('127.0.0.1');
    expect(loadConfig({ EMAIL_SMTP_PORT: '2525', HOST: '0.0.0.0' }).emailSmtp?.host).toBe('0.0.0.0');
    expect(loadConfig({ EMAIL_SMTP_PORT: '2525', EMAIL_SMTP_HOST: '10.0.0.5' }).emailSmtp?.host).toBe('10.0.0.5');
    const production = { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(40), SECRETS_KEY: 'k'.repeat(40) };
    expect(loadConfig({ ...production, EMAIL_SMTP_PORT: '25' }).emailSmtp?.host).toBe('0.0.0.0');
  });

  it('never-seeds-demo-data-in-production', () => {
    const secret = 'x'.repeat(40);
    const keys = { SESSION_SECRET: secret, SECRETS_KEY: 'k'.repeat(40) };
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).seedDemo).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', ...keys, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).cookieSecure).toBe(true);
  });

  it('listens-on-this-machine-only-outside-production-where-the-demo-passwords-are-published', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    const keys = { SESSION_SECRET: 'x'.repeat(40), SECRETS_KEY: 'k'.repeat(40) };
    expect(loadConfig({ NODE_ENV: 'production', ...keys }).host).toBe('0.0.0.0');
  });

  it('refuses-production-without-its-own-secrets-key', () => {
    const secret = 'x'.repeat(40);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret })).toThrow(/SECRETS_KEY: is required in production/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, SECRETS_KEY: secret })).toThrow(/SECRETS_KEY: must differ from SESSION_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, SECRETS_KEY: 'short' })).toThrow(/SECRETS_KEY: must be at least 32/);
  });

  it('reads-previous-secrets-keys-and-keeps-the-old-derivation-readable', () => {
    const config = loadConfig({ SESSION_SECRET: 's'.repeat(40), SECRETS_KEY: 'n'.repeat(40), SECRETS_KEY_PREVIOUS: ` ${'o'.repeat(40)} ,${'p'.repeat(32)}` });
    expect(config.secretsKey).toBe('n'.repeat(40));
    expect(config.secretsKeysPrevious).toEqual(['o'.repeat(40), 'p'.repeat(32), `secrets:${'s'.repeat(40)}`]);
    expect(() => loadConfig({ SECRETS_KEY_PREVIOUS: `${'o'.repeat(40)},too-short` })).toThrow(/SECRETS_KEY_PREVIOUS: every key must be at least 32/);
    // Outside production nothing needs setting, and the key is the one earlier versions used.
    expect(loadConfig({ SESSION_SECRET: 's'.repeat(40) }).secretsKey).toBe(`secrets:${'s'.repeat(40)}`);
  });

  it('refuses-split-roles-without-a-shared-database', () => {
    expect(() => loadConfig({}, ['--role=api'])).toThrow(/ROLE: separate api and worker processes need a shared PostgreSQL/);
  });

  it('sheds public traffic by default, with turns sized for the engine and settings to override them', () => {
    expect(loadConfig({}).shed).toEqual({ concurrency: 4, maxWaitMs: 1000, maxEventLoopDelayMs: 500, maxUtilisation: 0.85, maxWorkLagMs: 1000, retryAfterSeconds: 60 });
    // On PostgreSQL a quarter of the pool stays free for staff and the worker.
    expect(loadConfig({ DATABASE_URL: 'postgres://db/bluelamp', DATABASE_POOL_SIZE: '20' }).shed.concurrency).toBe(15);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/bluelamp', DATABASE_POOL_SIZE: '1' }).shed.concurrency).toBe(1);
    const tuned = loadConfig({
      SHED_CONCURRENCY: '2',
      SHED_MAX_WAIT_MS: '0',
      SHED_EVENT_LOOP_DELAY_MS: '0',
      SHED_MAX_UTILISATION: '0.5',
      SHED_MAX_WORK_LAG_MS: '0',
      SHED_RETRY_AFTER: '5',
    }).shed;
    expect(tuned).toEqual({ concurrency: 2, maxWaitMs: 0, maxEventLoopDelayMs: 0, maxUtilisation: 0.5, maxWorkLagMs: 0, retryAfterSeconds: 5 });
  });

  it('names-a-shedding-setting-that-could-never-admit-anything', () => {
    expect(() => loadConfig({ SHED_CONCURRENCY: '0' })).toThrow(/SHED_CONCURRENCY/);
    expect(() => loadConfig({ SHED_MAX_WAIT_MS: '-1' })).toThrow(/SHED_MAX_WAIT_MS/);
    expect(() => loadConfig({ SHED_MAX_UTILISATION: '1.2' })).toThrow(/SHED_MAX_UTILISATION/);
    expect(() => loadConfig({ SHED_MAX_WORK_LAG_MS: '-5' })).toThrow(/SHED_MAX_WORK_LAG_MS/);
  });

  it('draws the map on a plain background unless a tile template is set, and refuses one without {z}, {x} and {y}', () => {
    expect(loadConfig({}).mapTiles).toBeNull();
    expect(loadConfig({ MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: '© Tiles' }).mapTiles).toEqual({
      url: 'https://tiles.example.org/{z}/{x}/{y}.png',
      attribution: '© Tiles',
    });
    expect(() => loadConfig({ MAP_TILE_URL: 'https://tiles.example.org/tiles.png' })).toThrow(/MAP_TILE_URL/);
    expect(() => loadConfig({ MAP_TILE_URL: 'javascript:alert(1)//{z}/{x}/{y}' })).toThrow(/MAP_TILE_URL/);
  });

  it('takes an SMTP_URL that names a server and its credentials, and refuses one with transport options', () => {
    expect(loadConfig({ SMTP_URL: 'smtps://user:secret@smtp.example.net:465' }).smtpUrl).toBe('smtps://user:secret@smtp.example.net:465');
    expect(() => loadConfig({ SMTP_URL: 'smtp://smtp.example.net/?tls.rejectUnauthorized=false' })).toThrow(/SMTP_URL.*no path, \?options/s);
  });

  it('moves the demo units every 5 s by default, and never with 0', () => {
    expect(loadConfig({}).demoFeederIntervalMs).toBe(5000);
    expect(loadConfig({ DEMO_FEEDER_INTERVAL_S: '0' }).demoFeederIntervalMs).toBe(0);
    expect(() => loadConfig({ DEMO_FEEDER_INTERVAL_S: '-1' })).toThrow(/DEMO_FEEDER_INTERVAL_S/);
  });

  it('runs four jobs at once in each lane by default, and never none', () => {
    expect(loadConfig({}).workerConcurrency).toEqual({ local: 4, outbound: 4 });
    expect(loadConfig({ WORKER_CONCURRENCY: '8', WORKER_OUTBOUND_CONCURRENCY: '16' }).workerConcurrency).toEqual({ local: 8, outbound: 16 });
    expect(() => loadConfig({ WORKER_OUTBOUND_CONCURRENCY: '0' })).toThrow(/WORKER_OUTBOUND_CONCURRENCY/);
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'many' })).toThrow(/WORKER_CONCURRENCY/);
  });

  it('lists every setting in --help with its description in one column, wrapped to the width', () => {
    const lines = describeSettings(100);
    const isNamed = (line: string): boolean => /^ {2}[A-Z]/.test(line);
    const descriptionAt = (line: string): number => (isNamed(line) ? line.slice(2).search(/ \S/) + 3 : line.search(/\S/));
    // The longest name is longer than the old fixed column of 20: its description must not run into it.
    expect(lines.filter(isNamed).map((line) => line.trim().split(' ')[0])).toContain('WORKER_OUTBOUND_CONCURRENCY');
    const column = descriptionAt(lines[0]!);
    expect(column).toBe('  WORKER_OUTBOUND_CONCURRENCY '.length);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(100);
      expect(descriptionAt(line)).toBe(column);
    }
    // Wrapping keeps every word of a long description, in order.
    const at = lines.findIndex((line) => line.startsWith('  WORKER_OUTBOUND_CONCURRENCY '));
    const end = lines.findIndex((line, i) => i > at && isNamed(line));
    const text = lines.slice(at, end).map((line) => line.slice(column)).join(' ');
    expect(text).toContain("how many jobs (or batches) that call a provider, mail or a download a worker runs at once, besides the others: slow providers never hold the others' slots");
  });

  it('gives in --help the value each setting takes when it is not set', () => {
    const text = describeSettings(100).join('\n');
    const entry = (name: string): string => {
      const start = text.indexOf(`\n  ${name} `);
      const next = text.slice(start + 1).search(/\n {2}[A-Z]/);
      return text.slice(start + 1, next < 0 ? undefined : start + 1 + next).replace(/\s+/g, ' ');
    };
    expect(entry('PORT')).toContain('(default: 3000)');
    expect(entry('DATA_DIR')).toContain('(default: ./data)');
    expect(entry('PORTAL_FORCE')).toContain('(default: demo)');
    expect(entry('TRUST_PROXY')).toContain('(default: false)');
    expect(entry('DEMO_FEEDER_INTERVAL_S')).toContain('(default: 5)');
    // A description that already says its default is not told it twice, and an empty default is not shown.
    expect(entry('HOST').match(/default/g)).toHaveLength(1);
    expect(entry('OUTBOUND_ALLOW_LIST')).not.toContain('(default: )');
    expect(entry('SESSION_SECRET')).not.toContain('(default');
  });
});
