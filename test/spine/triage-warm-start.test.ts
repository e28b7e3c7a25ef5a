import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
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
