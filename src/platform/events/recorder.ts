import { beforeCommit, notifyManyOnCommit, type QueuedNotification, type Tx } from '../db/database.ts';
import type { Clock } from '../clock.ts';
import type { ForceId } from '../ids.ts';
import { JOBS_CHANNEL } from '../jobs/jobs.ts';
import { insertJobs, type NewJob } from '../jobs/enqueue.ts';
import { foldLiveMessages, liveNotification } from '../realtime/live.ts';
import { appendEvents, type StoredEvent } from './event-log.ts';
import { EventCatalogueError, isCataloguedType, toEventInput, type NewEvent, type PushedLiveMessage } from './catalogue.ts';
import { checkLiveMessages } from './live-checks.ts';

/**
 * One recorder per transaction and force. A use case says what happened (`record`, with events
 * built by the catalogue); just before the transaction commits the recorder appends them to the
 * force's chain with one `appendEvents`, inserts the durable jobs that follow from them with one
 * statement (so a job exists if and only if its cause committed), and queues, with one more, the
 * live messages and wake-ups they call for, which are delivered once it has committed (a few
 * live messages only when a room's check, one read, keeps them: live-checks.ts). Use cases never
 * append, push or enqueue by hand.
 */
export class Recorder {
  private pending: NewEvent[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly forceId: ForceId,
    private readonly clock: Clock,
  ) {}

  /** Adds events, in order, to what this transaction records. Refuses one the catalogue does not know. */
  record(...events: readonly NewEvent[]): void {
    for (const event of events) {
      if (!isCataloguedType(event.type)) throw new EventCatalogueError(`event type ${event.type} is not in the catalogue`);
    }
    this.pending.push(...events);
  }

  /** Events recorded and not yet appended. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Writes what was recorded so far, now rather than at commit: for a use case that reads its own
   * events back in the same transaction. Runs by itself before commit otherwise.
   */
  async flush(): Promise<StoredEvent[]> {
    const events = this.pending;
    if (events.length === 0) return [];
    this.pending = [];
    const jobs: NewJob[] = [];
    const live: PushedLiveMessage[] = [];
    const wakes: QueuedNotification[] = [];
    for (const event of events) {
      const follow = event.followUps(this.forceId);
      jobs.push(...follow.jobs);
      live.push(...follow.live);
      wakes.push(...follow.wakes);
    }
    const dueNow = await insertJobs(this.tx, this.forceId, this.clock, jobs);
    // Live messages some room sends only when its check in this transaction says so (live-checks.ts).
    const checked = await checkLiveMessages(this.tx, this.forceId, foldLiveMessages(live));
    const notes = dedupe([
      ...checked.map((message) => liveNotification(this.forceId, message)),
      ...wakes,
      ...(dueNow ? [{ channel: JOBS_CHANNEL, payload: dueNow }] : []),
    ]);
    await notifyManyOnCommit(this.tx, notes);
    // Last, so the force's chain head is locked for as short a time as possible (decision 0002).
    return appendEvents(this.tx, this.forceId, this.clock, events.map(toEventInput));
  }
}

function dedupe(notes: readonly QueuedNotification[]): QueuedNotification[] {
  const seen = new Set<string>();
  return notes.filter((note) => {
    const key = `${note.channel}\u0000${note.payload}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const recorders = new WeakMap<Tx, Map<string, Recorder>>();

/**
 * The recorder of this transaction for this force (made on first use, and written just before
 * the transaction commits). The transaction must come from `withForce` or `withSystem`.
 */
export function recorderFor(tx: Tx, forceId: ForceId, clock: Clock): Recorder {
  let byForce = recorders.get(tx);
  if (!byForce) {
    byForce = new Map();
    recorders.set(tx, byForce);
  }
  let recorder = byForce.get(forceId);
  if (!recorder) {
    const created = new Recorder(tx, forceId, clock);
    beforeCommit(tx, async () => {
      await created.flush();
    });
    byForce.set(forceId, created);
    recorder = created;
  }
  return recorder;
}

/** Records events in the caller's transaction (see `Recorder`). */
export function record(tx: Tx, forceId: ForceId, clock: Clock, ...events: readonly NewEvent[]): void {
  recorderFor(tx, forceId, clock).record(...events);
}
