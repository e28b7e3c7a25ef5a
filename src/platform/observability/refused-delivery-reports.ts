import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { afterCommit, type Tx } from '../db/database.ts';

/**
 * Why a verified delivery report was dropped: it came from another of the force's provider accounts
 * than the one the message went through (`other_account`: whoever holds that account's token may be
 * probing), or the message was recorded before its account was kept (`unrecorded_account`: an old row).
 */
export type RefusedReportReason = 'other_account' | 'unrecorded_account';

/** A report dropped by the account check (decisions 0196, 0202): ids only, never a token, a signature or a body. */
export type RefusedDeliveryReport = {
  forceId: string;
  provider: string;
  reason: RefusedReportReason;
  /**
   * What it was about: a journey text of the outbox, or a staff reply, on a report that came after
   * the send recorded its id; `backlog`, a report that came first and waited for the send (either kind).
   */
  record: 'outbox' | 'reply' | 'backlog';
  providerMessageId: string;
};

/** Where refused reports are told, once their request's transaction has committed. */
export type RefusedReportSink = (refused: readonly RefusedDeliveryReport[]) => void;

/**
 * Tells `refused` through `sink` once `tx` commits, and never if it rolls back: a transaction tried
 * again tells only what its committed try refused, once. For work that runs inside a transaction
 * it did not open (a send's record of its outcome).
 */
export function tellAfterCommit(tx: Tx, sink: RefusedReportSink | undefined, refused: readonly RefusedDeliveryReport[]): void {
  if (sink && refused.length > 0) afterCommit(tx, () => sink(refused));
}

/** The warnings, by whether the report waited in the backlog for its message's send, and why it was dropped. */
const MESSAGES = {
  direct: {
    other_account: 'delivery report refused: verified with another of the force’s provider accounts than the message went through (is that account’s token in other hands?)',
    unrecorded_account: 'delivery report refused: the message was recorded before its provider account was kept',
  },
  backlog: {
    other_account:
      'delivery report refused: it came before the message’s send was recorded, verified with another of the force’s provider accounts than the message went through (is that account’s token in other hands?)',
    unrecorded_account: 'delivery report refused: it came before the message’s send was recorded, and was kept before its provider account was',
  },
} as const;

/** The providers a label may name; anything else is counted as `other` (bounded labels). */
const PROVIDERS = new Set(['twilio', 'notify', 'meta']);

/**
 * The counter of refused delivery reports (`bluelamp_delivery_reports_refused_total`, by provider,
 * reason and record: at most 3 × 2 × 3 series) and a warning per report, through `logger`.
 * The counter joins a registry with `register`, once the process's metrics exist.
 */
export class RefusedDeliveryReports {
  private readonly counter = new Counter({
    name: 'bluelamp_delivery_reports_refused_total',
    help: 'Verified delivery reports dropped because they came from another provider account than the message went through (other_account), or the message kept none (unrecorded_account); record is outbox, reply, or backlog for a report that came before the send and waited for it',
    labelNames: ['provider', 'reason', 'record'],
    registers: [],
  });

  constructor(private readonly logger: Logger) {}

  /** Serves the counter with the process's other metrics. */
  register(registry: Registry): void {
    registry.registerMetric(this.counter);
  }

  /** Counts and logs each refused report. */
  readonly tell: RefusedReportSink = (refused) => {
    for (const report of refused) {
      const provider = PROVIDERS.has(report.provider) ? report.provider : 'other';
      this.counter.inc({ provider, reason: report.reason, record: report.record });
      this.logger.warn(
        { forceId: report.forceId, provider, reason: report.reason, record: report.record, providerMessageId: report.providerMessageId },
        MESSAGES[report.record === 'backlog' ? 'backlog' : 'direct'][report.reason],
      );
    }
  };
}
