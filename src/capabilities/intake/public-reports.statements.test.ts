import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { createTestApp, type TestApp } from '../../../test/helpers.ts';
import { withForce, withSystem } from '../../platform/db/database.ts';
import { recordPublicReports } from './public-reports.service.ts';
import { acceptPublicReports } from './received-reports.service.ts';
import type { PublicReport } from './intake.schema.ts';

let submissions = 0;
function calmReport(): PublicReport {
  submissions += 1;
  return {
    submissionId: `00000000-0000-4000-8000-${String(900000 + submissions).padStart(12, '0')}`,
    whatHappened: 'Someone keeps trying car door handles on our street.',
    where: 'Acacia Avenue',
    when: 'tonight',
    name: null,
    email: `statements-${submissions}@example.org`,
  };
}

describe('a group of portal reports', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(() => app.close());

  /** The statements one transaction storing these reports sends, from its first to its last. */
  async function statementsFor(reports: PublicReport[], write = recordPublicReports): Promise<number> {
    let count = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        count += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    };
    const db = app.database.db.withPlugin(counter);
    await withForce(db, app.demoForceId, (tx) => write(tx, app.demoForceId, app.deps.clock, reports));
    return count;
  }

  it('takes as many statements for sixteen reports as for one: events, jobs and live messages are written in batches', async () => {
    // The first transaction also fills per-process caches (the force's queues, its compiled rules).
    await statementsFor([calmReport()]);
    const one = await statementsFor([calmReport()]);
    const sixteen = await statementsFor(Array.from({ length: 16 }, calmReport));
    expect(sixteen).toBe(one);
    // What the batches hold: every report's events, its clocks' checks and a live message each.
    const stored = await withSystem(app.database.db, async (tx) => ({
      events: await tx.selectFrom('events').select('type').where('force_id', '=', app.demoForceId).where('type', '=', 'contact.routed').execute(),
      jobs: await tx.selectFrom('jobs').select('id').where('force_id', '=', app.demoForceId).where('type', '=', 'sla.check').execute(),
    }));
    expect(stored.events.length).toBeGreaterThanOrEqual(18);
    // Two clocks per report, each with a warning and a due check.
    expect(stored.jobs.length).toBeGreaterThanOrEqual(18 * 4);
  });

  it('accepts sixteen reports with the statements of one: a received row each, in one insert', async () => {
    const one = await statementsFor([calmReport()], acceptPublicReports);
    const sixteen = await statementsFor(Array.from({ length: 16 }, calmReport), acceptPublicReports);
    expect(sixteen).toBe(one);
    // The force's role and id, the submission locks, the looks for earlier ones (received, and
    // stored through the messages repository), the references, the insert.
    expect(one).toBe(6);
  });
});
