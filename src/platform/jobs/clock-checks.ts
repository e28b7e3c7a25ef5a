import { payloadText, type Job } from './job-types.ts';

/** One check of a clock: at its warning point, or at its due time. */
export type ClockCheck = { clockId: string; isWarning: boolean };

/**
 * The checks a batch of clock jobs asks for (payload `clockId` and `stage`, `warn` or `due`),
 * warnings first: a clock whose warning point and due time both passed while no worker ran is
 * warned, then breached, as two jobs run one at a time in time order would have done it. A job
 * without a clock or stage is a bug: the batch fails, and that job fails alone.
 */
export function clockChecksOf(jobs: readonly Job[]): { checks: ClockCheck[]; clockIds: string[] } {
  const checks = jobs.map((job) => {
    const stage = payloadText(job, 'stage');
    if (stage !== 'warn' && stage !== 'due') throw new Error(`clock check job ${job.id} (${job.type}) has no stage`);
    return { clockId: payloadText(job, 'clockId'), isWarning: stage === 'warn' };
  });
  return {
    checks: [...checks.filter((check) => check.isWarning), ...checks.filter((check) => !check.isWarning)],
    clockIds: [...new Set(checks.map((check) => check.clockId))],
  };
}
