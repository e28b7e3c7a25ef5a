import type { Tx } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import type { ForceId } from '../ids.ts';
import type { NewEvent } from './catalogue.ts';
import { record } from './recorder.ts';

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
