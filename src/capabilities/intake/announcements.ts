import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { appendEvents, type EventInput } from '../../platform/events/event-log.ts';
import { publishLive } from '../../platform/realtime/live.ts';

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
