import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { MESSAGE_NOT_SENT_JOB } from '../../src/capabilities/outbox/outbox.events.ts';

// Decision 0116 says, for every job type, what a job given up (dead after its last attempt)
// leaves. A type added since without its row there was given up in silence (decision 0160): this
// reads the table and the worker's job types, so a new type cannot be missed again.

const DECISION = new URL('../../docs/decisions/0116-every-job-type-given-up.md', import.meta.url);

/** The job types named in the first column of the decision's table. */
function typesInTable(): Set<string> {
  const rows = readFileSync(DECISION, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('| `'));
  return new Set(rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([a-z_.]+)`/g)].map((m) => m[1] ?? '')));
}

describe(`every job type's giving up (${ENGINE})`, () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app?.close());

  it('names-every-job-type-the-worker-runs-in-decision-0116', () => {
    const types = app.runner?.jobTypes();
    expect(types?.run.length).toBeGreaterThan(10);
    const listed = typesInTable();
    expect((types?.run ?? []).filter((type) => !listed.has(type))).toEqual([]);
    // A type settled when given up is one the worker runs.
    expect((types?.settledWhenGivenUp ?? []).filter((type) => !types?.run.includes(type))).toEqual([]);
  });

  it('settles-a-message-not-sent-job-given-up', () => {
    expect(app.runner?.jobTypes().settledWhenGivenUp).toContain(MESSAGE_NOT_SENT_JOB);
  });
});
