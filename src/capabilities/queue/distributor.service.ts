import type { Logger } from 'pino';
import { isConnectionLost } from '../../platform/db/connection-errors.ts';
import { withSystem } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { distributeWaiting } from './distribution.service.ts';

/**
 * Runs distribution in a worker: at once for a force that asked (NOTIFY on the routing channel,
 * sent on commit by whatever changed the queue or someone's presence), and for every force on a
 * slow sweep, which catches anything asked while no worker was listening. Requests for a force
 * that arrive while it is being distributed fold into one more run.
 */
/** The pause between runs while requests keep coming: the first is served at once. */
const BURST_GATHER_MS = 100;
/** How soon a distribution interrupted by a lost database connection is asked for again. */
const RETRY_AFTER_CONNECTION_LOSS_MS = 1_000;

export class Distributor {
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ServiceDeps & { logger: Logger }) {}

  /** Asks for a force's waiting contacts to be given out soon. */
  request(forceId: string): void {
    if (this.stopped || !/^[0-9a-f-]{36}$/i.test(forceId)) return;
    this.pending.add(forceId);
    if (!this.running) this.running = this.drain().finally(() => (this.running = null));
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.stopped) {
      const [forceId] = this.pending;
      if (!forceId) return;
      this.pending.delete(forceId);
      try {
        await distributeWaiting(this.deps, forceId as ForceId);
      } catch (error) {
        if (isConnectionLost(error)) {
          // Nothing was assigned (the transaction rolled back); ask again shortly rather than
          // leave the force to the next sweep.
          this.deps.logger.warn({ err: error, forceId }, 'distribution interrupted by a lost database connection; retrying');
          setTimeout(() => this.request(forceId), RETRY_AFTER_CONNECTION_LOSS_MS).unref();
        } else {
          this.deps.logger.error({ err: error, forceId }, 'distribution failed');
        }
      }
      // Under a burst of arrivals, let requests gather for a moment so one run serves many.
      if (this.pending.size > 0) await new Promise((resolve) => setTimeout(resolve, BURST_GATHER_MS).unref());
    }
  }

  /**
   * Asks for every force to be distributed now (after the routing listener reconnected, requests
   * sent while it was down were missed). Never throws: a failed read is logged.
   */
  async requestAll(): Promise<void> {
    try {
      // Only the list of forces is read across tenants; distribution itself runs as each force.
      const forces = await withSystem(this.deps.db, (tx) => tx.selectFrom('forces').select('id').execute());
      for (const force of forces) this.request(force.id);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'distribution sweep failed');
    }
  }

  /** Sweeps every force now and then every `sweepMs`. */
  start(sweepMs: number): void {
    this.stopped = false;
    const sweep = async () => {
      await this.requestAll();
      if (!this.stopped) {
        this.timer = setTimeout(() => void sweep(), sweepMs);
        this.timer.unref();
      }
    };
    void sweep();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
