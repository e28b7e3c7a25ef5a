import { describe, expect, it } from 'vitest';
import { ModuleLoadError, loadOnFirstUse } from './load-on-first-use.ts';

describe('a library loaded on first use', () => {
  it('loads-once-for-every-call-including-those-made-while-it-loads', async () => {
    let loads = 0;
    const load = loadOnFirstUse('the test library', async () => {
      loads += 1;
      await Promise.resolve();
      return { loaded: loads };
    });
    expect(loads).toBe(0);
    const [first, second] = await Promise.all([load(), load()]);
    const third = await load();
    expect(loads).toBe(1);
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('says-what-could-not-be-loaded-and-why-keeping-the-cause', async () => {
    const cause = Object.assign(new Error("Cannot find package 'missing-library'"), { code: 'ERR_MODULE_NOT_FOUND' });
    const load = loadOnFirstUse('the missing library (missing-library)', () => Promise.reject(cause));
    const error = await load().catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as Error).message).toBe("the missing library (missing-library) could not be loaded: Cannot find package 'missing-library'");
    expect((error as Error).cause).toBe(cause);
  });

  it('tries-again-after-a-load-that-failed', async () => {
    let attempts = 0;
    const load = loadOnFirstUse('the flaky library', async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('EMFILE: too many open files');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow('the flaky library could not be loaded: EMFILE: too many open files');
    expect(await load()).toBe('loaded');
    expect(await load()).toBe('loaded');
    expect(attempts).toBe(2);
  });
});

describe('a library that failed as it loaded', () => {
  it('says-a-restart-is-needed-when-node-throws-the-same-failure-again', async () => {
    // What Node does with a package that was found and threw while it loaded: it keeps the
    // module's failure and every later import() rejects with that same error object.
    const kept = new Error('boom while loading');
    const load = loadOnFirstUse('the broken library (broken-library)', () => Promise.reject(kept));
    const first = await load().catch((failure: unknown) => failure);
    const second = await load().catch((failure: unknown) => failure);
    expect(first).toMatchObject({ name: 'ModuleLoadError', isRestartNeeded: false });
    expect(second).toMatchObject({ name: 'ModuleLoadError', isRestartNeeded: true });
    expect((second as Error).message).toBe('the broken library (broken-library) could not be loaded: boom while loading; Node keeps this failure until the process is restarted');
  });

  it('does-not-ask-for-a-restart-when-each-failure-is-new', async () => {
    // A package not found: Node looks again at each import() and fails with a new error each time.
    const load = loadOnFirstUse('the missing library (missing-library)', () => Promise.reject(new Error("Cannot find package 'missing-library'")));
    await load().catch(() => undefined);
    const again = await load().catch((failure: unknown) => failure);
    expect(again).toMatchObject({ name: 'ModuleLoadError', isRestartNeeded: false });
    // A wrapper that adds to the message keeps the mark.
    const wrapped = new ModuleLoadError('more', { cause: new ModuleLoadError('kept', { isRestartNeeded: true }) });
    expect(wrapped.isRestartNeeded).toBe(true);
  });
});
