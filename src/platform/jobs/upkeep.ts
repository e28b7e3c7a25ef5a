import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import { AUDIT_CHECKPOINT_JOB, createCheckpointHandler, loadCheckpointKeys, type CheckpointObserver } from '../events/checkpoints.ts';
import { HOUSEKEEPING_JOB, createHousekeepingHandler, type HousekeepingResult } from './housekeeping.ts';
import type { JobHandler } from './jobs.ts';
import type { RecurringJob } from './recurring.ts';

/** How long an unseen chat session can be resumed: the chat channel's limit (a test holds the two equal). */
export const CHAT_SESSION_IDLE_DAYS = 30;
/** How long units' past positions are kept when a force has not set it: the units room's default (a test holds the two equal). */
export const POSITION_HISTORY_DEFAULT_DAYS = 7;

/**
 * The worker's own recurring jobs: signed audit checkpoints (when a checkpoint directory and a key
 * are configured) and housekeeping. Returns their handlers and their schedule.
 */
export function createUpkeepJobs(options: {
  config: Config;
  db: Db;
  clock: Clock;
  logger: Logger;
  observer?: CheckpointObserver & { onHousekeeping(result: HousekeepingResult): void };
}): { handlers: [string, JobHandler][]; recurring: RecurringJob[] } {
  const { config, db, clock, logger, observer } = options;
  const handlers: [string, JobHandler][] = [];
  const recurring: RecurringJob[] = [];
  const policy = {
    jobsDoneDays: config.retention.jobsDoneDays,
    jobsDeadDays: config.retention.jobsDeadDays,
    inboundRequestsDays: config.retention.rawRequestsDays,
    chatSessionIdleDays: CHAT_SESSION_IDLE_DAYS,
    positionHistoryDefaultDays: POSITION_HISTORY_DEFAULT_DAYS,
    deliveryBacklogDays: config.retention.deliveryBacklogDays,
  };
  handlers.push([HOUSEKEEPING_JOB, createHousekeepingHandler({ db, clock, policy, ...(observer ? { onDeleted: (result) => observer.onHousekeeping(result) } : {}) })]);
  recurring.push({ type: HOUSEKEEPING_JOB, intervalMs: config.retention.intervalMs });

  const dir = config.audit.checkpointDir;
  if (!dir) {
    if (config.isProduction) logger.warn('audit checkpoints are off: set AUDIT_CHECKPOINT_DIR and AUDIT_SIGNING_KEY (docs/runbooks/operations.md)');
    return { handlers, recurring };
  }
  const keys = loadCheckpointKeys({
    signingKey: config.audit.signingKey,
    verifyKey: config.audit.verifyKey,
    isProduction: config.isProduction,
    checkpointDir: dir,
    dataDir: config.dataDir,
    logger,
  });
  if (!keys.signer) return { handlers, recurring };
  handlers.push([AUDIT_CHECKPOINT_JOB, createCheckpointHandler({ db, clock, logger, dir, keys, ...(observer ? { observer } : {}) })]);
  recurring.push({ type: AUDIT_CHECKPOINT_JOB, intervalMs: config.audit.checkpointIntervalMs });
  return { handlers, recurring };
}
