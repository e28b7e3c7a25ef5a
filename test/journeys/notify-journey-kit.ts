import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import type { JobHandler } from '../../src/platform/jobs/jobs.ts';
import { toJob } from '../../src/platform/jobs/job-types.ts';
import { JOURNEY_MILESTONE_JOB } from '../../src/capabilities/journeys/journey.events.ts';
import { connectNotify, notifyFixture } from '../outbox/outbox-kit.ts';

// What the tests of a victim added again while a message is with GOV.UK Notify share: the demo
// force's app on a fixed clock, sending through a local Notify stand-in that accepts every message,
// and the calls they make on it.

type StandIn = Awaited<ReturnType<typeof startStandIn>>;

/**
 * Starts, before the file's tests, an app on `clock` whose demo force sends through a Notify
 * stand-in (each notification given an id from `idStem`, eight hex digits) and closes both after
 * them. Read `app` and `notify` from the result inside tests.
 */
export function useNotifyJourneyApp(options: { clock: Clock; callbackToken: string; idStem: string; jobHandlers?: Map<string, JobHandler> }) {
  const started = {} as { app: TestApp; notify: StandIn };
  let ids = 0;
  beforeAll(async () => {
    started.notify = await startStandIn();
    started.notify.respondWith(201, () => ({ ...notifyFixture('notification-created.json'), id: `${options.idStem}-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}` }));
    started.app = await createTestApp({ overrides: { clock: options.clock, ...(options.jobHandlers ? { jobHandlers: options.jobHandlers } : {}) } });
    await connectNotify(started.app, started.app.demoForceId, started.notify.url, options.callbackToken);
  });
  afterAll(async () => {
    await started.app?.close();
    await started.notify?.close();
  });
  return {
    get app() {
      return started.app;
    },
    get notify() {
      return started.notify;
    },
    inForce: <T>(work: Parameters<typeof withForce<T>>[2]) => withForce(started.app.database.db, started.app.demoForceId, work),
    /** Runs what is due, three rounds: a job's follow-ups, and theirs. */
    runAll: async () => {
      for (let i = 0; i < 3; i += 1) await started.app.runner?.runDue();
    },
    /** The pending journey job of this milestone and victim (`case.victim_added:<id>`), as the runner would claim it once its grace has passed. */
    pendingJourneyJob: async (milestoneAndVictim: string) =>
      toJob(
        await withForce(started.app.database.db, started.app.demoForceId, (tx) =>
          tx
            .selectFrom('jobs')
            .select(['id', 'force_id', 'type', 'payload', 'state', 'attempts', 'max_attempts', 'run_at', 'last_error', 'created_at'])
            .where('type', '=', JOURNEY_MILESTONE_JOB)
            .where('state', '=', 'pending')
            .where('idempotency_key', 'like', `%${milestoneAndVictim}:%`)
            .executeTakeFirstOrThrow(),
        ),
      ),
    /** A call as the demo investigator, signed in afresh (the clock moves on); it must succeed. */
    call: async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
      const investigator = await signIn(started.app, 'investigator@demo.police.uk');
      const response = await started.app.inject({ method, url, headers: investigator.headers, ...(payload ? { payload } : {}) });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response;
    },
  };
}
