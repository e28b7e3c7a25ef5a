import type { Tx } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import type { ForceId } from '../ids.ts';
import { appendEvents, type EventInput } from './event-log.ts';
import { publishLive } from '../realtime/live.ts';

/** Collects what one transaction will announce: events (appended last, see decision 0002) and live changes. */
export class Announcements {
  readonly events: EventInput[] = [];
  readonly changedContacts = new Map<string, string | undefined>();
  async flush(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
    await appendEvents(tx, forceId, clock, this.events);
    for (const [contactId, reference] of this.changedContacts) {
      await publishLive(tx, forceId, { type: 'queue.changed', contactId, ...(reference ? { reference } : {}) });
    }
  }
}
