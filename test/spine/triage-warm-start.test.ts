import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { scratchEnv } from '../cli-kit.ts';
import { areStaticWordsBuilt, forgetStaticWords } from '../../src/capabilities/triage/triage.lexicon-index.ts';

// Built on the first report instead, the triage tables every engine shares held the event loop for
// about half a second, and the admission gate, seeing the loop late, turned the public away
// (dozens of portal reports refused in the intake benchmark's warm-up). A serving process
// builds them before it takes a request.
describe('a serving process at start', () => {
  let app: TestApp | undefined;
  afterAll(async () => app?.close());

  it('has triage’s shared tables built before it takes its first request', async () => {
    // Test files share a process, so an earlier one may have built them.
    forgetStaticWords();
    expect(areStaticWordsBuilt()).toBe(false);
    app = await createTestApp();
    expect(areStaticWordsBuilt()).toBe(true);
  });
});

// Every CLI command and every child process the tests start loads these modules; building the
// tables costs more CPU than loading the command line itself, so only a process that triages
// (or serves, above) builds them. Each test loads the modules afresh (vi.resetModules), as a new
// process would, and asks the fresh table module whether anything built its tables.
describe('a process that never triages', () => {
  const freshTables = () => import('../../src/capabilities/triage/triage.lexicon-index.ts');

  it('does-not-build-triage-tables-on-importing-the-command-line-or-the-server', async () => {
    vi.resetModules();
    await import('../../src/cli-commands.ts');
    await import('../../src/main.ts');
    await import('../../src/app.ts');
    expect((await freshTables()).areStaticWordsBuilt()).toBe(false);
  });

  it('does-not-build-triage-tables-for-force-create-or-audit-verify', async () => {
    const { env, cleanup } = await scratchEnv('untriaged');
    try {
      vi.resetModules();
      const { runCli } = await import('../../src/cli-commands.ts');
      const printed: string[] = [];
      const io = { out: (line: string) => void printed.push(line), err: (line: string) => void printed.push(line) };
      const settings = { ...process.env, ...env, LOG_LEVEL: 'silent' };
      expect(await runCli(['force', 'create', '--slug=untriaged', '--code=UNT', '--name=Untriaged'], settings, io), printed.join('\n')).toBe(0);
      expect(await runCli(['audit', 'verify', '--force=untriaged'], settings, io), printed.join('\n')).toBe(0);
      expect((await freshTables()).areStaticWordsBuilt()).toBe(false);
    } finally {
      await cleanup();
    }
  });
});
