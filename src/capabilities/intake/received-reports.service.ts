import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'kysely';
import { listContactsOfProviderMessages } from '../contacts/messages.repository.ts';
import { z } from 'zod';
import { withForce, withSystem, type Db, type Tx } from '../../platform/db/database.ts';
import { GroupCommit } from '../../platform/db/group-commit.ts';
import { databaseUnavailableReason } from '../../platform/db/connection-errors.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import { nextReferences } from '../../platform/references.ts';
import type { IntakeResult, PublicReport } from './intake.schema.ts';
import { MAX_REPORTS_PER_GROUP, recordPublicReports, type ReportToStore } from './public-reports.service.ts';

/**
 * Two-phase intake of portal reports (decision 0022). Accepting a report is one row in
 * `received_reports`, written with the other reports of its group in one insert and committed
 * before the reporter is given the reference; a processor then stores received rows as people,
 * contacts, messages, triage, routing, clocks and events, and deletes them, in one transaction.
 */

const CHANNEL = 'portal';
/** The most received reports one processing transaction takes. */
export const MAX_REPORTS_PER_BATCH = 200;
/**
 * How long a row waits after its n-th failed attempt (alone) before the next: doubling from a
 * minute, at most 15 minutes, for as long as it takes. A report the public was given a reference
 * for is never given up on: a fix deployed, or a cause that passed, and it is processed.
 */
export function retryDelayAfter(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

const storedPayload = z.object({
  submissionId: z.string(),
  whatHappened: z.string(),
  where: z.string(),
  when: z.string(),
  name: z.string().nullable(),
  // Either, both or neither: a report may give a phone number only, or be anonymous where the force allows it.
  email: z.string().nullable(),
  phone: z.string().nullable().optional(),
  language: z.string().optional(),
});

/**
 * Records reports as received, in the caller's transaction, with a fixed number of statements
 * however many: the submission locks, one look for each submission among received and stored
 * reports, the references as one block, one insert. A submission received or stored before, or
 * given earlier in the group, is a duplicate and returns the first one's reference.
 */
export async function acceptPublicReports(tx: Tx, forceId: ForceId, clock: Clock, reports: readonly PublicReport[]): Promise<IntakeResult[]> {
  if (reports.length === 0) return [];
  const now = clock.now();
  // The same keys as storing a report takes (recordPublicReports), so a retry and its first
  // attempt, or an accept and the processing of the same submission, go one after the other.
  const submissionIds = [...new Set(reports.map((report) => report.submissionId))].sort();
  const lockKeys = submissionIds.map((id) => `${forceId}:${CHANNEL}:${id}`);
  await sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${lockKeys}::text[]) with ordinality as l(k, n) order by n`.execute(tx);
  // A row is deleted in the transaction that stores its contact, so one statement sees it in one place or the other.
  const received = await sql<{ submission_id: string; id: string; reference: string }>`
    select r.submission_id, r.id, r.reference from received_reports r
      where r.force_id = ${forceId} and r.submission_id = any(${submissionIds}::text[])`.execute(tx);
  const stored = await listContactsOfProviderMessages(tx, forceId, CHANNEL, submissionIds);
  const results = new Map<string, IntakeResult>();
  for (const row of received.rows) results.set(row.submission_id, { contactId: row.id as ContactId, reference: row.reference, isDuplicate: true });
  for (const row of stored) {
    if (row.provider_message_id) results.set(row.provider_message_id, { contactId: row.id as ContactId, reference: row.reference, isDuplicate: true });
  }

  const fresh = [...new Map(reports.filter((r) => !results.has(r.submissionId)).map((r) => [r.submissionId, r])).values()];
  const references = await nextReferences(tx, forceId, clock, 'contact', fresh.length);
  const rows = fresh.map((report, i) => {
    const reference = references[i];
    if (!reference) throw new Error('a report lost its reference');
    const { submissionId, whatHappened, where, when, name, email, phone, language } = report;
    const payload = { submissionId, whatHappened, where, when, name, email, phone: phone ?? null, ...(language ? { language } : {}) };
    return { id: newId<ContactId>(), force_id: forceId, submission_id: submissionId, reference, payload: JSON.stringify(payload), received_at: now };
  });
  if (rows.length > 0) await tx.insertInto('received_reports').values(rows).execute();
  const created = new Map(rows.map((row) => [row.submission_id, row]));
  const seen = new Set<string>();
  return reports.map((report) => {
    const first = results.get(report.submissionId);
    if (first) return first;
    const row = created.get(report.submissionId);
    if (!row) throw new Error('a report was neither received nor found');
    const isDuplicate = seen.has(report.submissionId);
    seen.add(report.submissionId);
    return { contactId: row.id, reference: row.reference, isDuplicate };
  });
}

type ReceivedRow = { id: string; reference: string; payload: unknown; received_at: Date };

function toReport(row: ReceivedRow): ReportToStore {
  const payload = storedPayload.parse(row.payload);
  const { language, ...rest } = payload;
  return { ...rest, ...(language ? { language } : {}), contactId: row.id as ContactId, reference: row.reference, receivedAt: row.received_at };
}

/** Stores received rows as contacts and deletes them, in the caller's transaction. */
async function storeReceived(tx: Tx, forceId: ForceId, clock: Clock, rows: readonly ReceivedRow[]): Promise<void> {
  await recordPublicReports(tx, forceId, clock, rows.map(toReport));
  await tx
    .deleteFrom('received_reports')
    .where('force_id', '=', forceId)
    .where(
      'id',
      'in',
      rows.map((row) => row.id),
    )
    .execute();
}

function lockReceived(tx: Tx, forceId: ForceId, now: Date, limit: number, id?: string) {
  let query = tx
    .selectFrom('received_reports')
    .select(['id', 'reference', 'payload', 'received_at'])
    .where('force_id', '=', forceId)
    .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]));
  if (id) query = query.where('id', '=', id);
  // Two processors (two nodes) take different rows and never wait for each other.
  return query.orderBy('received_at').orderBy('reference').limit(limit).forUpdate().skipLocked().execute();
}

/**
 * Processes up to `limit` received reports of a force, oldest first, in one transaction: each
 * becomes exactly one contact as if it had been stored when it was received. If the batch fails,
 * each row is tried alone, so one bad report fails by itself; it stays received with its attempts
 * counted and is tried again later (`retryDelayAfter`), never lost. A database that is away or
 * too busy (`databaseUnavailableReason`) says nothing about the reports: the round stops, no
 * attempt is counted, and the next round tries again. Returns how many rows were taken.
 */
export async function processReceivedReports(deps: ServiceDeps, forceId: ForceId, limit = MAX_REPORTS_PER_BATCH): Promise<number> {
  let ids: string[] = [];
  try {
    return await withForce(deps.db, forceId, async (tx) => {
      const rows = await lockReceived(tx, forceId, deps.clock.now(), limit);
      ids = rows.map((row) => row.id);
      if (rows.length > 0) await storeReceived(tx, forceId, deps.clock, rows);
      return rows.length;
    });
  } catch (error) {
    // A lost connection or a busy database says nothing about the reports: they stay as they are for the next try.
    if (ids.length === 0 || databaseUnavailableReason(error)) throw error;
  }
  // The batch rolled back as a whole: nothing of it was stored. Each row alone, in order.
  for (const id of ids) {
    try {
      await withForce(deps.db, forceId, async (tx) => {
        const rows = await lockReceived(tx, forceId, deps.clock.now(), 1, id);
        if (rows.length > 0) await storeReceived(tx, forceId, deps.clock, rows);
      });
    } catch (error) {
      if (databaseUnavailableReason(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      deps.logger.error({ err: error, forceId, receivedReportId: id }, 'a received report could not be processed; it will be tried again');
      await withForce(deps.db, forceId, async (tx) => {
        const failed = await tx
          .updateTable('received_reports')
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: message.slice(0, 500) }))
          .where('force_id', '=', forceId)
          .where('id', '=', id)
          .returning('attempts')
          .executeTakeFirst();
        if (!failed) return;
        const retryAt = new Date(deps.clock.now().getTime() + retryDelayAfter(failed.attempts));
        await tx.updateTable('received_reports').set({ next_attempt_at: retryAt }).where('force_id', '=', forceId).where('id', '=', id).execute();
      });
    }
  }
  return ids.length;
}

/** Forces with received reports due to be processed (start-up and the sweep). */
async function forcesWithReceived(db: Db, now: Date): Promise<ForceId[]> {
  const rows = await withSystem(db, (tx) =>
    tx
      .selectFrom('received_reports')
      .select('force_id')
      .distinct()
      .where((eb) => eb.or([eb('next_attempt_at', 'is', null), eb('next_attempt_at', '<=', now)]))
      .execute(),
  );
  return rows.map((row) => row.force_id as ForceId);
}

/** How the intake waits for a gathering window to end (a timer; tests give their own). */
export type GatherWait = (ms: number, signal: AbortSignal) => Promise<void>;

/** A timer that an abort ends early (stopping), without an error. */
const waitTimer: GatherWait = (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Accepts portal reports (group-committed per force) and processes them in the background. One
 * per app. `wake` after each accept commits, `start` at start-up (so rows left by a crash are
 * processed) and on a sweep; `settled` resolves once nothing woken is waiting or being processed.
 *
 * Processing rounds start at most once every `gatherMs` (decision 0046): after a quiet spell a
 * report is processed at once; while reports keep coming, those received within the window are
 * processed together, as one transaction's worth, which costs far less per report than several
 * small ones. A report waits at most `gatherMs` longer for it.
 */
export class ReportIntake {
  private readonly accepts: GroupCommit<PublicReport, IntakeResult>;
  private readonly woken = new Set<ForceId>();
  private running: Promise<void> | null = null;
  private sweep: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;
  /** When each force's last processing round started (monotonic milliseconds), for the gathering window. */
  private readonly lastRoundAt = new Map<ForceId, number>();
  /** Forces whose last round was a full batch: more is waiting now, so they go again without waiting. */
  private readonly fullRounds = new Set<ForceId>();
  private gatherCut = new AbortController();
  /** When each report this process accepted and has not yet seen processed was committed (monotonic ms), per force, oldest first. */
  private readonly unprocessedSince = new Map<ForceId, number[]>();

  constructor(
    private readonly deps: ServiceDeps & { batchSize?: number; isProcessing?: boolean; gatherMs?: number; gatherWait?: GatherWait },
  ) {
    this.accepts = new GroupCommit({
      maxGroupSize: MAX_REPORTS_PER_GROUP,
      writeGroup: async (key, items) => {
        const forceId = key as ForceId;
        const results = await withForce(deps.db, forceId, (tx) => acceptPublicReports(tx, forceId, deps.clock, items));
        this.noteAccepted(forceId, results);
        this.wake(forceId);
        return results;
      },
    });
  }

  /** Receives a report; resolves with its reference once the row is committed (acknowledged = committed). */
  accept(forceId: ForceId, report: PublicReport): Promise<IntakeResult> {
    return this.accepts.submit(forceId, report);
  }

  /** Processes what is waiting now (rows a crash left behind), then again every `sweepMs`. */
  start(sweepMs: number): void {
    const sweep = () => {
      if (this.deps.isProcessing === false || this.sweeping) return;
      this.sweeping = forcesWithReceived(this.deps.db, this.deps.clock.now())
        .then((forces) => forces.forEach((forceId) => this.wake(forceId)))
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not look for received reports'))
        .finally(() => {
          this.sweeping = null;
        });
    };
    sweep();
    this.sweep = setInterval(sweep, sweepMs);
    this.sweep.unref();
  }

  /** Asks for the force's received reports to be processed; does nothing while processing is off. */
  wake(forceId: ForceId): void {
    if (this.stopped || this.deps.isProcessing === false) return;
    this.woken.add(forceId);
    this.running ??= this.run();
  }

  /**
   * How long the oldest report this process accepted has waited to be processed (0 when none
   * waits), or null when this process does not process reports (another node does, unseen). The
   * admission gate reads it: reports accepted faster than they are processed pile up here.
   */
  lagMs(now = performance.now()): number | null {
    if (this.deps.isProcessing === false) return null;
    let oldest = now;
    for (const times of this.unprocessedSince.values()) oldest = Math.min(oldest, times[0] ?? now);
    return now - oldest;
  }

  /** Resolves once every report accepted so far in this process has been processed (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.sweeping || this.running || this.accepts.waitingCount > 0) {
      if (this.sweeping) await this.sweeping;
      else if (this.running) await this.running;
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Whether a reference is received and not yet processed. */
  async isWaiting(forceId: ForceId, reference: string): Promise<boolean> {
    const row = await withForce(this.deps.db, forceId, (tx) =>
      tx.selectFrom('received_reports').select('id').where('force_id', '=', forceId).where('reference', '=', reference).executeTakeFirst(),
    );
    return row !== undefined;
  }

  /**
   * Whether the report with this reference has been processed (or was never received here): if it
   * is still waiting, its force is processed first, for at most `waitMs`.
   */
  async awaitProcessed(forceId: ForceId, reference: string, waitMs = 10_000): Promise<boolean> {
    if (reference.length === 0 || reference.length > 64 || !(await this.isWaiting(forceId, reference))) return true;
    if (this.stopped || this.deps.isProcessing === false) return false;
    this.wake(forceId);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settled(), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    return !(await this.isWaiting(forceId, reference));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // A round waiting for its window stops waiting and does not run: its reports stay received for the next start.
    this.gatherCut.abort();
    if (this.sweep) clearInterval(this.sweep);
    await this.sweeping;
    await this.running;
  }

  /**
   * Takes processing up again after `stop()` (the sweep stays stopped): what was received
   * meanwhile is processed at once, in full rounds. The intake benchmark's backlog floor uses it.
   */
  resume(forceId: ForceId): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.gatherCut = new AbortController();
    this.wake(forceId);
  }

  /** Notes the time of each new report of a committed group (a duplicate adds no work). */
  private noteAccepted(forceId: ForceId, results: readonly IntakeResult[]): void {
    if (this.deps.isProcessing === false) return;
    const fresh = results.filter((result) => !result.isDuplicate).length;
    if (fresh === 0) return;
    const times = this.unprocessedSince.get(forceId) ?? [];
    const now = performance.now();
    for (let i = 0; i < fresh; i += 1) times.push(now);
    this.unprocessedSince.set(forceId, times);
  }

  /**
   * Forgets the oldest `taken` reports of a force, and, after a round that was not full (it took
   * every row committed before it began, except rows another node holds), every report accepted
   * before `tookAllBefore`: rows left by a crash or processed by another node must not count as
   * ours waiting forever.
   */
  private noteProcessed(forceId: ForceId, taken: number, tookAllBefore: number | null): void {
    const times = this.unprocessedSince.get(forceId);
    if (!times) return;
    let drop = Math.min(taken, times.length);
    if (tookAllBefore !== null) while (drop < times.length && (times[drop] ?? Infinity) <= tookAllBefore) drop += 1;
    times.splice(0, drop);
    if (times.length === 0) this.unprocessedSince.delete(forceId);
  }

  /** Waits for the end of the force's gathering window, if its last round started within it. */
  private async gather(forceId: ForceId): Promise<void> {
    const gatherMs = this.deps.gatherMs ?? 0;
    const sinceLast = performance.now() - (this.lastRoundAt.get(forceId) ?? Number.NEGATIVE_INFINITY);
    if (gatherMs <= 0 || sinceLast >= gatherMs || this.stopped) return;
    await (this.deps.gatherWait ?? waitTimer)(gatherMs - sinceLast, this.gatherCut.signal);
  }

  private async run(): Promise<void> {
    // After this turn, so that accepts committing together are processed together.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const batchSize = this.deps.batchSize ?? MAX_REPORTS_PER_BATCH;
      while (this.woken.size > 0 && !this.stopped) {
        const [forceId] = this.woken;
        if (!forceId) break;
        // Within the window of the force's last round (unless that round was full), wait for its
        // end: what arrives meanwhile, while the last round is still being written included, joins this one.
        if (!this.fullRounds.has(forceId)) await this.gather(forceId);
        if (this.stopped) break;
        this.woken.delete(forceId);
        this.fullRounds.delete(forceId);
        const roundAt = performance.now();
        this.lastRoundAt.set(forceId, roundAt);
        try {
          const taken = await processReceivedReports(this.deps, forceId, batchSize);
          this.noteProcessed(forceId, taken, taken < batchSize ? roundAt : null);
          // A full batch means more may be waiting: this force goes round again after the others, at once.
          if (taken === batchSize) {
            this.woken.add(forceId);
            this.fullRounds.add(forceId);
          }
        } catch (error) {
          // The database is away, say: the rows stay received; the sweep or the next accept tries again.
          this.deps.logger.warn({ err: error, forceId }, 'processing received reports failed; will retry');
        }
      }
    } finally {
      this.running = null;
    }
  }
}
