import { notifyOnCommit, type QueuedNotification, type Tx } from '../db/database.ts';
import type { ForceId } from '../ids.ts';

export const LIVE_CHANNEL = 'bluelamp_live';

/** The records a form edits from the version it was opened at, whose changes consoles hear of. */
export const EDITED_RECORDS = ['journey_rule', 'template', 'queue', 'queue_rules', 'channel_targets', 'staff_role', 'staff_profile', 'channel_account'] as const;
export type EditedRecord = (typeof EDITED_RECORDS)[number];

/**
 * What happened to the print queue, as consoles hear of it: a letter queued, printed or withdrawn,
 * or what a case's letters tell overtaken (decision 0156).
 */
export const PRINT_QUEUE_CHANGES = ['queued', 'printed', 'withdrawn', 'overtaken'] as const;
export type PrintQueueChange = Exclude<(typeof PRINT_QUEUE_CHANGES)[number], 'overtaken'>;

/** A message pushed to the consoles of one force. Kept small: NOTIFY payloads are limited. */
export type LiveMessage =
  | { type: 'queue.changed'; contactId: string; reference?: string }
  /** Assignments, presence or queues changed: supervisors' boards and operators' lists refresh. */
  | { type: 'routing.changed' }
  /**
   * An alert for supervisors: about a contact (threat to life, a missed SLA), an incident (a missed
   * response target) or a case (its Victims' Code clocks could not be opened).
   */
  | { type: 'alert.raised'; alertId: string; kind: string; contactId: string }
  | { type: 'alert.raised'; alertId: string; kind: string; incidentId: string }
  | { type: 'alert.raised'; alertId: string; kind: string; caseId: string }
  /** An alert was acknowledged; a case's names the case, so only those who may see its alerts hear of it. */
  | { type: 'alert.acknowledged'; alertId: string; caseId?: string }
  /** A case's alert was put right (its Victims' Code clocks were opened) and still waits for a supervisor (decision 0128). */
  | { type: 'alert.put_right'; alertId: string; caseId: string }
  /** An incident changed (created, graded, dispatched, a unit arrived, its countdown warned or breached, ended…): the board, its screen and the map refresh. */
  | { type: 'incidents.changed'; incidentId: string }
  /** A unit's status or details changed: the unit board and the map refresh. Positions are not events and send nothing. */
  | { type: 'units.changed'; unitId: string }
  /** A case's Victims' Code clocks changed (opened, due soon, breached, met): the victim-update lists refresh. */
  | { type: 'case.victim_updates_changed'; caseId: string }
  /**
   * A force admin imported, changed or removed areas (decision 0100): the areas page, the map and
   * the unit lists that draw or name them refresh; `byStaffId` is who, so a page can say so.
   */
  | { type: 'areas.changed'; byStaffId?: string }
  /** A force admin added, changed, switched or reordered the force's journey rules: the journey rules page refreshes. */
  | { type: 'journey_rules.changed' }
  /**
   * A letter joined the print queue (`queued`), or left it: marked printed and posted, or
   * withdrawn (decision 0145). The print queue refreshes; a member of staff with that letter open
   * is told who took it, `byStaffId` (none when the system withdrew it).
   */
  | { type: 'print_queue.changed'; letterId: string; change: PrintQueueChange; byStaffId?: string }
  /**
   * A milestone of a case overtook what its letters waiting to print may tell (an appointment
   * changed or cancelled, a hearing listed again or ended): its withdrawal job follows, and until it
   * runs those letters are "do not post" (decision 0156). The print queue reads them again.
   */
  | { type: 'print_queue.changed'; caseId: string; change: 'overtaken' }
  /**
   * A record people edit from the version they opened (decisions 0079–0090) was changed, by this
   * member of staff: a form open on it says so before its save is refused. `id` names which one;
   * a list kept whole for the force has none.
   */
  | { type: 'record.changed'; record: EditedRecord; id?: string; byStaffId?: string }
  /** Sessions of one member of staff were ended (reset, deactivation): their open live sockets close. Never forwarded to consoles. */
  | { type: 'staff.sessions_ended'; staffId: string; keptSessionId: string | null }
  /** One session was signed out: the live sockets it opened close, the person's other sessions' stay. Never forwarded to consoles. */
  | { type: 'staff.session_ended'; staffId: string; sessionId: string }
  /**
   * Live messages may have been missed (the process's LISTEN connection was lost and is back):
   * consoles refetch what they show, chat sockets re-read their conversation. Never published
   * through the database; each process sends it to its own subscribers.
   */
  | { type: 'resync' };

/**
 * Queues a live message inside the caller's transaction. It is sent only on commit, so consoles
 * never hear of a change that rolled back; this process's sockets get it straight after the
 * commit, and every other process listening relays it from NOTIFY. Use cases never call this:
 * the recorder derives their live messages from their events. It is for the platform's own
 * messages that follow no event (sessions ended, a sign-out).
 */
export async function publishLive(tx: Tx, forceId: ForceId, message: Exclude<LiveMessage, { type: 'resync' }>): Promise<void> {
  const note = liveNotification(forceId, message);
  await notifyOnCommit(tx, note.channel, note.payload);
}

/** The NOTIFY that carries a live message of a force. */
export function liveNotification(forceId: ForceId, message: Exclude<LiveMessage, { type: 'resync' }>): QueuedNotification {
  return { channel: LIVE_CHANNEL, payload: JSON.stringify({ forceId, ...message }) };
}

/**
 * The messages of one transaction, each once, in the order first given: the changes of one
 * contact make one `queue.changed`, which carries its reference if any of them did (a new
 * contact's reference lets consoles name it before they fetch it); the events of one incident
 * (a dispatch appends several) make one `incidents.changed`, and those of one unit one
 * `units.changed`, as any two equal messages make one.
 */
export function foldLiveMessages(messages: readonly Exclude<LiveMessage, { type: 'resync' }>[]): Exclude<LiveMessage, { type: 'resync' }>[] {
  const folded: Exclude<LiveMessage, { type: 'resync' }>[] = [];
  const contactAt = new Map<string, number>();
  const seen = new Set<string>();
  for (const message of messages) {
    if (message.type === 'queue.changed') {
      const at = contactAt.get(message.contactId);
      const earlier = at === undefined ? undefined : folded[at];
      if (at !== undefined && earlier?.type === 'queue.changed') {
        if (!earlier.reference && message.reference) folded[at] = { ...earlier, reference: message.reference };
        continue;
      }
      contactAt.set(message.contactId, folded.length);
      folded.push(message);
      continue;
    }
    const key = JSON.stringify(message);
    if (seen.has(key)) continue;
    seen.add(key);
    folded.push(message);
  }
  return folded;
}

type Subscriber = (message: LiveMessage) => void;

/** Fans live messages out to the subscribers of each force in this process. */
export class LiveHub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  subscribe(forceId: ForceId, subscriber: Subscriber): () => void {
    let set = this.subscribers.get(forceId);
    if (!set) {
      set = new Set();
      this.subscribers.set(forceId, set);
    }
    set.add(subscriber);
    return () => set.delete(subscriber);
  }

  /** Called with each NOTIFY payload; ignores anything malformed. */
  deliver(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const { forceId, ...message } = parsed as { forceId?: unknown } & LiveMessage;
    if (typeof forceId !== 'string' || message.type === 'resync') return;
    this.send(this.subscribers.get(forceId) ?? [], message);
  }

  /** Tells every subscriber of every force to catch up: live messages may have been missed. */
  resync(): void {
    for (const set of [...this.subscribers.values()]) this.send(set, { type: 'resync' });
  }

  private send(subscribers: Iterable<Subscriber>, message: LiveMessage): void {
    for (const subscriber of [...subscribers]) {
      try {
        subscriber(message);
      } catch {
        // One broken socket never keeps the message from the others.
      }
    }
  }

  get subscriberCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }
}
