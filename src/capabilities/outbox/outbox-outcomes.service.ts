import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { Job } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { takeBackloggedStatuses } from '../channels/delivery-statuses.service.ts';
import { tellAfterCommit, type RefusedDeliveryReport, type RefusedReportSink } from '../../platform/observability/refused-delivery-reports.ts';
import { applyOutboxReceipt, failChannel, lockOutboxMessages, markOutboxDelivered, type OutboxRow } from './outbox.repository.ts';
import { holdOutboxMessage, holdOutboxMessages, markOutboxSent, markOutboxSentMany } from './outbox-delivery.repository.ts';
import { isSentAfterAllAs, recordSentAfterAll } from './outbox-after-all.repository.ts';
import { channelFailureEvent, outboxDelivered, outboxHeld, outboxSent } from './outbox.events.ts';
import type { SendOutcome } from './senders/sender.ts';

// How a delivery run records what became of its sends (decision 0043), each write only while the
// run still holds the message's send token (decision 0163).

const SYSTEM = { type: 'system' as const, id: null };

export const about = (message: OutboxRow) => ({ purpose: message.purpose, contactId: message.contact_id, caseId: message.case_id });

/** What recording outcomes needs: the clock, where refusals are logged, and where backlogged reports another account sent are told (decision 0204). */
export type OutcomeDeps = { clock: Clock; logger?: Logger | undefined; refusedReports?: RefusedReportSink | undefined };

/** A message a run took to send: its job, the row as read, the send token it took, and whether another run had taken it before. */
export type Loaded = { job: Job; message: OutboxRow; token: number; wasTaken: boolean };
/** What became of its send; `isUnasked` when the provider could not be asked whether an earlier run's send went (nothing is recorded). */
export type Sent = Loaded & ({ outcome: SendOutcome } | { error: unknown; isUnasked?: boolean });

/**
 * Logs an outcome a run no longer holding the message's send token did not record (its lease ran
 * out and a newer run took the message): ids and tokens only, never the message or its recipient.
 */
export function logRefused(logger: Logger | undefined, result: Loaded, current: number | undefined): void {
  logger?.warn(
    { jobId: result.job.id, outboxId: result.message.id, sendToken: result.token, currentSendToken: current ?? null },
    'delivery outcome not recorded: a newer delivery run took the message after this run’s lease ran out',
  );
}

/**
 * An outcome of a run that no longer holds the message's send token. One exception is kept, not
 * refused: the provider took a message failed with its outcome unknown for this run's taking
 * (decision 0173). It stays failed; its provider id is kept, so its receipts (any waiting in the
 * backlog, and any to come) are matched. When a report naming the message recorded that already,
 * the run says so (`logSettledByReport`); anything else is logged (`logRefused`).
 */
export async function recordRefused(tx: Tx, forceId: ForceId, deps: OutcomeDeps, result: Sent, current: number | undefined): Promise<void> {
  const outcome = 'outcome' in result ? result.outcome : null;
  if (outcome?.kind === 'sent' && outcome.providerMessageId !== null) {
    const sent = { id: result.message.id, token: result.token, provider: outcome.provider, providerMessageId: outcome.providerMessageId };
    const event = await recordSentAfterAll(tx, forceId, deps.clock.now(), sent);
    if (event) {
      record(tx, forceId, deps.clock, event);
      await applyBacklog(tx, forceId, deps, outcome);
      return;
    }
    // A report naming the message gave it this id while the run slept (decision 0176): what the run would record is recorded.
    if (await isSentAfterAllAs(tx, forceId, sent)) {
      logSettledByReport(deps.logger, result, current);
      return;
    }
  }
  logRefused(deps.logger, result, current);
}

/**
 * Logs the outcome of a run that woke to find a delivery report had already recorded what it
 * would (the provider took the message after all, under this id: decision 0184): ids only.
 */
function logSettledByReport(logger: Logger | undefined, result: Loaded, current: number | undefined): void {
  logger?.info(
    { jobId: result.job.id, outboxId: result.message.id, sendToken: result.token, currentSendToken: current ?? null },
    'delivery outcome not recorded: a delivery report from the provider had already settled it (taken after all, under the same provider id)',
  );
}

/**
 * Applies the receipts that reached us for a provider id before its send was recorded; those
 * another account verified are told once the run's record commits (decision 0204).
 */
async function applyBacklog(tx: Tx, forceId: ForceId, deps: OutcomeDeps, outcome: Extract<SendOutcome, { kind: 'sent' }>): Promise<void> {
  if (!outcome.providerMessageId || !outcome.receiptChannel) return;
  const { clock } = deps;
  const refused: RefusedDeliveryReport[] = [];
  for (const receipt of await takeBackloggedStatuses(tx, forceId, outcome.receiptChannel, outcome.providerMessageId, outcome.receiptAccount, { provider: outcome.provider, refused })) {
    record(tx, forceId, clock, ...((await applyOutboxReceipt(tx, forceId, clock.now(), receipt)) ?? []));
  }
  tellAfterCommit(tx, deps.refusedReports, refused);
}

/** The channel failed for good: the next one the person allows is tried, or the message fails (only while the run holds `token`). */
export async function moveToNextChannel(tx: Tx, forceId: ForceId, clock: Clock, message: OutboxRow, reason: string, token: number): Promise<void> {
  const event = channelFailureEvent(await failChannel(tx, forceId, message.id, message.fallbacks, reason, token), { id: message.id, ...about(message) }, reason);
  if (event) record(tx, forceId, clock, event);
}

/** A hold the run can record with the others: a message held, or one no provider takes with no other channel to try. */
function holdReason(message: OutboxRow, outcome: SendOutcome): string | null {
  if (outcome.kind === 'held') return outcome.reason;
  if (outcome.kind === 'no_provider' && message.alternatives.length === 0) return outcome.reason;
  return null;
}

/**
 * Records a run's outcomes in one transaction: the usual ones (sent, held) with one statement
 * each kind for the whole run, then every message's events in order; any other outcome (or
 * error) by `recordOther`, in its place. The run's messages are locked first, all in id order
 * (decision 0151): written kind by kind, they were locked in the run's order, and a journey or a
 * withdrawal locking two of them in id order meanwhile could wait on this run as it waited on them.
 * The lock reads each one's send token: an outcome whose token a newer run has taken is refused
 * and logged (decision 0163); the writes are conditional on it as well.
 */
export async function recordOutcomes(
  tx: Tx,
  forceId: ForceId,
  deps: OutcomeDeps,
  all: readonly Sent[],
  recordOther: (tx: Tx, result: Sent) => Promise<void>,
): Promise<void> {
  const { clock } = deps;
  const tokens = await lockOutboxMessages(tx, forceId, all.map((result) => result.message.id));
  const results = all.filter((result) => tokens.get(result.message.id) === result.token);
  for (const result of all) {
    const current = tokens.get(result.message.id);
    if (current !== result.token) await recordRefused(tx, forceId, deps, result, current);
  }
  const sentRecords = results.flatMap((result) =>
    'outcome' in result && result.outcome.kind === 'sent'
      ? [{ id: result.message.id, providerMessageId: result.outcome.providerMessageId, fallbacks: result.message.fallbacks, token: result.token }]
      : [],
  );
  const holds = results.flatMap((result) => {
    const reason = 'outcome' in result ? holdReason(result.message, result.outcome) : null;
    return reason === null ? [] : [{ id: result.message.id, reason, token: result.token }];
  });
  const isSent = await markOutboxSentMany(tx, forceId, clock.now(), sentRecords);
  const isHeld = await holdOutboxMessages(tx, forceId, holds);
  const reasons = new Map(holds.map((hold) => [hold.id, hold.reason]));
  for (const result of results) {
    const { message } = result;
    const reason = reasons.get(message.id);
    if ('outcome' in result && result.outcome.kind === 'sent') {
      if (isSent.has(message.id)) await afterSent(tx, forceId, deps, message, result.outcome);
    } else if (reason !== undefined) {
      if (isHeld.has(message.id)) record(tx, forceId, clock, heldEvent(message, reason));
    } else {
      await recordOther(tx, result);
    }
  }
}

function heldEvent(message: OutboxRow, reason: string) {
  return outboxHeld.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, reason } });
}

/** What follows a message recorded sent: its event, and any receipts that arrived before it. */
async function afterSent(tx: Tx, forceId: ForceId, deps: OutcomeDeps, message: OutboxRow, outcome: Extract<SendOutcome, { kind: 'sent' }>): Promise<void> {
  const { clock } = deps;
  record(
    tx,
    forceId,
    clock,
    outboxSent.of({
      actor: SYSTEM,
      subjectId: message.id,
      data: { ...about(message), channel: message.channel, provider: outcome.provider, providerMessageId: outcome.providerMessageId },
    }),
  );
  // A fast provider can report before this commits: its receipts wait in the channel's backlog.
  await applyBacklog(tx, forceId, deps, outcome);
}

/** Records one outcome of a run that holds the message's send `token` (each write is conditional on it). */
export async function recordOutcome(tx: Tx, forceId: ForceId, deps: OutcomeDeps, loaded: Loaded, outcome: SendOutcome): Promise<void> {
  const { clock } = deps;
  const { message, token } = loaded;
  const now = clock.now();
  // Held (a letter to print), or no provider and no other channel: the message waits, visible in
  // the outbox, for a person or for an admin to connect a provider, rather than being lost.
  const reason = holdReason(message, outcome);
  if (reason !== null) {
    if (await holdOutboxMessage(tx, forceId, message.id, reason, token)) record(tx, forceId, clock, heldEvent(message, reason));
    return;
  }
  switch (outcome.kind) {
    case 'sent': {
      const isRecorded = await markOutboxSent(tx, forceId, message.id, { at: now, providerMessageId: outcome.providerMessageId, fallbacks: message.fallbacks, token });
      if (isRecorded) await afterSent(tx, forceId, deps, message, outcome);
      return;
    }
    case 'delivered': {
      if (!(await markOutboxDelivered(tx, forceId, message.id, now, ['pending'], token))) return;
      record(
        tx,
        forceId,
        clock,
        outboxDelivered.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, proof: outcome.proof, providerMessageId: null } }),
      );
      return;
    }
    case 'no_provider':
      // No provider, another channel to try (a hold was taken above): the person is still told, on that one.
      await moveToNextChannel(tx, forceId, clock, message, `${message.channel}: ${outcome.reason}`, token);
      return;
  }
}
