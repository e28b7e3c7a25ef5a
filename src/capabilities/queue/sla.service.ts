import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { BatchJobHandler } from '../../platform/jobs/jobs.ts';
import { clockChecksOf } from '../../platform/jobs/clock-checks.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { SLA_KIND_LABELS, clockState, clockTimes, effectiveTargetMinutes, remainingMs, type SlaKind, type SlaState } from './sla.schema.ts';
import { loadChannelTargets } from './channel-targets.service.ts';
import type { Queue } from './queues.service.ts';
import { raiseAlerts } from './alerts.service.ts';
import { findContactsByIds } from '../contacts/contacts.repository.ts';
import { slaBreached, slaWarning } from './queue.events.ts';

export type SlaClockView = {
  id: string;
  kind: SlaKind;
  label: string;
  queueId: string;
  priority: number;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  stoppedAt: string | null;
  stopReason: string | null;
  state: SlaState;
  /** Until due (negative once overdue) at the moment of reading; for a stopped clock, how early or late it stopped. */
  remainingMs: number;
};

/** A clock just started. */
export type StartedClockRow = { id: string; kind: SlaKind; warnAt: Date; dueAt: Date };

/**
 * Starts clocks for a contact under a queue's targets, or its channel's where tighter. The caller records them in the event that
 * started them; each one's warning and due checks follow from that event as durable jobs, so they
 * fire on any worker even after a restart.
 */
export async function startClocks(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: ClockStart,
): Promise<StartedClockRow[]> {
  const [started] = await startClocksForMany(tx, forceId, clock, [input]);
  return started ?? [];
}

export type ClockStart = {
  contactId: string;
  queue: Queue;
  priority: number;
  /** The contact's channel (as stored on it): a target set for its kind of channel applies when tighter than the queue's. */
  channel: string | null;
  kinds: readonly SlaKind[];
  /** When the clocks started, if before now (a report processed after it was received). */
  startedAt?: Date;
};

/**
 * Starts the clocks of several contacts with one insert (a batch of new contacts); returns each
 * input's clocks, in input order, for the events that record them. A kind already running for
 * the contact is not started again and is not returned.
 */
export async function startClocksForMany(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  inputs: readonly ClockStart[],
): Promise<StartedClockRow[][]> {
  const now = clock.now();
  const channelTargets = inputs.some((input) => input.channel !== null) ? await loadChannelTargets(tx, forceId) : {};
  const perInput = inputs.map((input) =>
    input.kinds.map((kind) => {
      const minutes = effectiveTargetMinutes({ policy: input.queue.sla, priority: input.priority, kind, channel: input.channel, channelTargets });
      return { id: newId(), kind, input, startedAt: input.startedAt ?? now, ...clockTimes({ startedAt: input.startedAt ?? now, minutes, warnAtPercent: input.queue.warnAtPercent }) };
    }),
  );
  const clocks = perInput.flat();
  if (clocks.length === 0) return perInput.map(() => []);
  // At most one running clock of a kind per contact (decision 0185): a start that meets one (a
  // transaction that found none running before another's start committed) waits for that one and
  // starts nothing, so only the first start's event records the clock and its checks.
  const inserted = await tx
    .insertInto('sla_clocks')
    .values(
      clocks.map((k) => ({
        id: k.id,
        force_id: forceId,
        contact_id: k.input.contactId,
        queue_id: k.input.queue.id,
        kind: k.kind,
        priority: k.input.priority,
        started_at: k.startedAt,
        warn_at: k.warnAt,
        due_at: k.dueAt,
      })),
    )
    .onConflict((oc) => oc.columns(['force_id', 'contact_id', 'kind']).where('stopped_at', 'is', null).doNothing())
    .returning('id')
    .execute();
  const isStarted = new Set(inserted.map((row) => row.id));
  return perInput.map((list) => list.filter((k) => isStarted.has(k.id)).map((k) => ({ id: k.id, kind: k.kind, warnAt: k.warnAt, dueAt: k.dueAt })));
}

/** The clocks a stop ended: their kinds, and the events of any target it found missed. */
export type StoppedClocks = { kinds: SlaKind[]; events: NewEvent[] };

/**
 * Stops a contact's running clocks of the given kinds (all when none named). A clock stopped at or
 * after its due time that no check has breached (the worker was behind or down) is breached as it
 * stops, as its due check would have: `sla.breached` and the supervisors' alert, for the caller to
 * record before the move that stopped it. The stop's own row says so, so a stop in time costs no
 * more than the update; the due check that runs later finds the clock stopped and adds nothing.
 */
export async function stopClocks(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  contactId: string,
  reason: 'responded' | 'closed' | 'escalated' | 'reprioritised',
  kinds?: readonly SlaKind[],
): Promise<StoppedClocks> {
  const now = clock.now();
  let query = tx
    .updateTable('sla_clocks')
    .set({ stopped_at: now, stop_reason: reason })
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .where('stopped_at', 'is', null);
  if (kinds && kinds.length > 0) query = query.where('kind', 'in', kinds);
  const stopped = await query.returning(['id', 'kind', 'due_at', 'breached_at']).execute();
  // Due means "before this moment" (sla.schema.ts): a clock stopped at its due time missed it.
  const missed = stopped.filter((row) => row.breached_at === null && row.due_at.getTime() <= now.getTime()).map((row) => row.id);
  return { kinds: [...new Set(stopped.map((row) => row.kind))], events: missed.length > 0 ? await breachStoppedClocks(tx, forceId, clock, missed) : [] };
}

/** Marks clocks just stopped past their due time breached; their events, each breach beside its alert. */
async function breachStoppedClocks(tx: Tx, forceId: ForceId, clock: Clock, clockIds: readonly string[]): Promise<NewEvent[]> {
  await tx.updateTable('sla_clocks').set({ breached_at: clock.now() }).where('force_id', '=', forceId).where('id', 'in', clockIds).execute();
  const rows = await tx
    .selectFrom('sla_clocks as k')
    .innerJoin('contacts as c', 'c.id', 'k.contact_id')
    .leftJoin('queues as q', 'q.id', 'k.queue_id')
    .select(['k.id', 'k.kind', 'k.contact_id', 'k.due_at', 'c.reference', 'q.name as queue_name'])
    .where('k.force_id', '=', forceId)
    .where('k.id', 'in', clockIds)
    .orderBy('k.due_at')
    .orderBy('k.kind')
    .execute();
  const alerts = await raiseAlerts(tx, forceId, clock, rows.map(breachAlertOf));
  return rows.flatMap((row, i) => {
    const alert = alerts[i];
    if (!alert) throw new Error('an SLA breach has no alert');
    return [slaBreached.of(clockCheckOf(row)), alert];
  });
}

type BreachedRow = { id: string; kind: SlaKind; contact_id: string; due_at: Date; reference: string; queue_name: string | null };

/** The supervisors' alert of a missed target, the same whether its check or its stop found it. */
const breachAlertOf = (row: BreachedRow) => ({
  kind: 'sla_breach' as const,
  contactId: row.contact_id,
  clockId: row.id,
  message: `${row.reference}: ${SLA_KIND_LABELS[row.kind].toLowerCase()} target missed${row.queue_name ? ` in ${row.queue_name}` : ''}.`,
});

/** What a clock's warning or breach event says of it. */
const clockCheckOf = (row: BreachedRow) => ({
  actor: { type: 'system', id: null } as const,
  subjectId: row.contact_id,
  data: { clockId: row.id, kind: row.kind, dueAt: row.due_at.toISOString() },
});

/** Whether the contact has had a first response (a first-response clock stopped by a reply). */
export async function hasFirstResponse(tx: Tx, forceId: ForceId, contactId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('sla_clocks')
    .select('id')
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .where('kind', '=', 'first_response')
    .where('stop_reason', '=', 'responded')
    .executeTakeFirst();
  return Boolean(row);
}

/** Whether a clock of this kind is running for the contact. */
export async function isClockRunning(tx: Tx, forceId: ForceId, contactId: string, kind: SlaKind): Promise<boolean> {
  const row = await tx
    .selectFrom('sla_clocks')
    .select('id')
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .where('kind', '=', kind)
    .where('stopped_at', 'is', null)
    .executeTakeFirst();
  return Boolean(row);
}

type ClockRow = {
  id: string;
  kind: SlaKind;
  queue_id: string;
  priority: number;
  started_at: Date;
  warn_at: Date;
  due_at: Date;
  stopped_at: Date | null;
  stop_reason: string | null;
};

/** How one clock reads at `now`. */
export function toClockView(row: ClockRow, now: Date): SlaClockView {
  const facts = { warnAt: row.warn_at, dueAt: row.due_at, stoppedAt: row.stopped_at, stopReason: row.stop_reason };
  return {
    id: row.id,
    kind: row.kind,
    label: SLA_KIND_LABELS[row.kind],
    queueId: row.queue_id,
    priority: Number(row.priority),
    startedAt: row.started_at.toISOString(),
    warnAt: row.warn_at.toISOString(),
    dueAt: row.due_at.toISOString(),
    stoppedAt: row.stopped_at?.toISOString() ?? null,
    stopReason: row.stop_reason,
    state: clockState(facts, now),
    remainingMs: remainingMs(facts, now),
  };
}

/** How a contact's earliest-due running clock reads at `now` (for lists of contacts), or null when none runs. */
export function describeNextDue(
  due: { kind: string; warn_at: Date; due_at: Date } | undefined,
  now: Date,
): { kind: string; dueAt: string; warnAt: string; state: SlaState } | null {
  if (!due) return null;
  const state = clockState({ warnAt: due.warn_at, dueAt: due.due_at, stoppedAt: null, stopReason: null }, now);
  return { kind: due.kind, dueAt: due.due_at.toISOString(), warnAt: due.warn_at.toISOString(), state };
}

/**
 * Every clock of a contact, oldest first. A raised priority restarts clocks at the time it stopped
 * them, so two of one kind can share their start: the one started first comes first (decision 0178).
 */
export async function listClocks(tx: Tx, forceId: ForceId, contactId: string, now: Date): Promise<SlaClockView[]> {
  const rows = await tx
    .selectFrom('sla_clocks')
    .select(['id', 'kind', 'queue_id', 'priority', 'started_at', 'warn_at', 'due_at', 'stopped_at', 'stop_reason'])
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .orderBy('started_at')
    .orderBy('kind')
    .orderBy(sql`seq nulls first`)
    // Clocks stored before `seq` (migration 0096) have none: of those, by id (decision 0185).
    .orderBy('id')
    .execute();
  return rows.map((row) => toClockView(row, now));
}

/**
 * The SLA jobs, many to a transaction (decision 0040): at the warning point, a still-running clock
 * is marked and `sla.warning` is appended; at the due time, a still-running clock is marked
 * breached, `sla.breached` appended and a supervisor alert raised that waits for acknowledgement.
 * Each mark is set once, so a rerun of a job changes nothing. A busy day leaves four of these for
 * every contact, most finding their clock stopped: one transaction for a batch of them costs a
 * fraction of one each.
 */
export function createSlaCheckHandler(options: { clock: Clock; maxBatch: number }): BatchJobHandler {
  return {
    maxBatch: options.maxBatch,
    run: async ({ forceId, jobs, tx }) => {
      const { checks, clockIds } = clockChecksOf(jobs);
      await holdContactsOfClocks(tx, forceId, clockIds);
      const rows = await tx
        .selectFrom('sla_clocks as k')
        .innerJoin('contacts as c', 'c.id', 'k.contact_id')
        .leftJoin('queues as q', 'q.id', 'k.queue_id')
        .select(['k.id', 'k.kind', 'k.contact_id', 'k.due_at', 'k.stopped_at', 'k.warned_at', 'k.breached_at', 'c.reference', 'q.name as queue_name'])
        .where('k.force_id', '=', forceId)
        .where('k.id', 'in', clockIds)
        // In one order, so two batches sharing clocks cannot each wait for the other.
        .orderBy('k.id')
        .forUpdate('k')
        .execute();
      const clocks = new Map(rows.map((row) => [row.id, { ...row }]));
      const now = options.clock.now();
      const marked: { row: (typeof rows)[number]; isWarning: boolean }[] = [];
      for (const check of checks) {
        const row = clocks.get(check.clockId);
        if (!row || row.stopped_at || (check.isWarning ? row.warned_at : row.breached_at)) continue;
        if (check.isWarning) row.warned_at = now;
        else row.breached_at = now;
        marked.push({ row, isWarning: check.isWarning });
      }
      if (marked.length === 0) return;
      const idsOf = (isWarning: boolean) => marked.filter((mark) => mark.isWarning === isWarning).map((mark) => mark.row.id);
      const warned = idsOf(true);
      const breached = idsOf(false);
      if (warned.length > 0) await tx.updateTable('sla_clocks').set({ warned_at: now }).where('force_id', '=', forceId).where('id', 'in', warned).execute();
      if (breached.length > 0) await tx.updateTable('sla_clocks').set({ breached_at: now }).where('force_id', '=', forceId).where('id', 'in', breached).execute();
      const alerts = await raiseAlerts(
        tx,
        forceId,
        options.clock,
        marked.filter((mark) => !mark.isWarning).map(({ row }) => breachAlertOf(row)),
      );
      const events: NewEvent[] = [];
      let alertIndex = 0;
      for (const { row, isWarning } of marked) {
        const check = clockCheckOf(row);
        if (isWarning) {
          events.push(slaWarning.of(check));
          continue;
        }
        const alert = alerts[alertIndex++];
        if (!alert) throw new Error('an SLA breach has no alert');
        events.push(slaBreached.of(check), alert);
      }
      record(tx, forceId, options.clock, ...events);
    },
  };
}

/**
 * Holds the contacts of these clocks, in id order, before the check locks the clocks (decision
 * 0200). Whoever stops or re-starts a contact's clocks holds the contact first (a batch of
 * messages holds all of its contacts at once, decision 0198), then reaches the clocks in its own
 * order (the batch's messages, one statement's scan); held first here too, the check and such a
 * writer take turns at the first contact they share, never each holding a clock the other wants.
 * What the check records is unchanged: a clock stopped while it waited is found stopped.
 */
async function holdContactsOfClocks(tx: Tx, forceId: ForceId, clockIds: readonly string[]): Promise<void> {
  if (clockIds.length === 0) return;
  const owners = await tx.selectFrom('sla_clocks').select('contact_id').distinct().where('force_id', '=', forceId).where('id', 'in', [...clockIds]).execute();
  await findContactsByIds(
    tx,
    forceId,
    owners.map((owner) => owner.contact_id),
    ['id'],
    { lock: 'no key update' },
  );
}

/**
 * The earliest-due running clock of each contact, for queue lists; of two due at one time, the
 * first by kind, then the first started (decision 0178), then, stored before `seq`, by id (0185).
 */
export async function nextDueByContact(tx: Tx, forceId: ForceId, contactIds: readonly string[]): Promise<Map<string, ClockRow>> {
  if (contactIds.length === 0) return new Map();
  const rows = await sql<ClockRow & { contact_id: string }>`
    select distinct on (contact_id) contact_id, id, kind, queue_id, priority, started_at, warn_at, due_at, stopped_at, stop_reason
    from sla_clocks
    where force_id = ${forceId} and stopped_at is null and contact_id in (${sql.join(contactIds)})
    order by contact_id, due_at, kind, seq nulls first, id`.execute(tx);
  return new Map(rows.rows.map((row) => [row.contact_id, row]));
}
