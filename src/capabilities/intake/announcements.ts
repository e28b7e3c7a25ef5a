import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';

/**
 * Collects, in order, the events one provider request records (messages, threads, delivery
 * statuses), then hands them to the transaction's recorder, which appends them last and derives
 * the live messages and jobs.
 */
export class Announcements {
  readonly events: NewEvent[] = [];
  async flush(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
    record(tx, forceId, clock, ...this.events.splice(0));
  }
}
