import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

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

  it('refuses-production-without-a-session-secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: is required in production/);
  });

  it('never-seeds-demo-data-in-production', () => {
    const secret = 'x'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret }).seedDemo).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
    expect(loadConfig({ NODE_ENV: 'production', SESSION_SECRET: secret }).cookieSecure).toBe(true);
  });

  it('refuses-split-roles-without-a-shared-database', () => {
    expect(() => loadConfig({}, ['--role=api'])).toThrow(/ROLE: separate api and worker processes need a shared PostgreSQL/);
  });
});
