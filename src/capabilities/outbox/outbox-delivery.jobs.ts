import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { payloadText, type DeadJobHandler, type Job, type OutboundBatchJobHandler } from '../../platform/jobs/jobs.ts';
import type { JobId } from '../../platform/ids.ts';
import { isConnectionLost } from '../../platform/db/connection-errors.ts';
import { record } from '../../platform/events/recorder.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { isOutboundRefusal } from '../../platform/http/outbound-guard.ts';
import { loadOutboxAccounts } from '../channels/outbox-accounts.service.ts';
import { storableProviderId, takeBackloggedStatuses } from '../channels/delivery-statuses.service.ts';
import { findOptedOutNumbers } from '../channels/sms-opt-outs.repository.ts';
import { smsOptedOutReason } from '../channels/sms-opt-out.events.ts';
import {
  applyOutboxReceipt,
  failChannel,
  findOutboxMessages,
  giveUpOutboxMessage,
  holdOutboxMessage,
  holdOutboxMessages,
  lockOutboxMessages,
  markOutboxDelivered,
  markOutboxSent,
  markOutboxSentMany,
  recordOutboxAttemptFailed,
  type OutboxRow,
} from './outbox.repository.ts';
import { channelFailureEvent, outboxDeferred, outboxDelivered, outboxFailed, outboxHeld, outboxSent } from './outbox.events.ts';
import { withdrawUntrue, type UntrueCheck } from './outbox-withdraw.service.ts';
import { senderFor } from './senders/senders.ts';
import { OutboxSendError, type OutboxAccounts, type SendOutcome, type SenderDeps } from './senders/sender.ts';

export type DeliveryDeps = Omit<SenderDeps, 'fetcher'> & { clock: Clock; secrets: SecretBox; fetcher?: typeof fetch; findUntrue?: UntrueCheck };

const SYSTEM = { type: 'system' as const, id: null };
const NO_ACCOUNTS: OutboxAccounts = { notify: null, twilio: null, hasDemoStandIn: false };

const about = (message: OutboxRow) => ({ purpose: message.purpose, contactId: message.contact_id, caseId: message.case_id });

/** The most messages one delivery run takes, and how many of them are sent at once. */
const DELIVERY_BATCH = 50;
const SENDS_AT_ONCE = 8;

/**
 * Why a message no longer true is not withdrawn by a run that took its job over (decision 0151):
 * the run whose lease ran out may have it with the provider, and whether it went is known only
 * when that run records it. Its next attempt withdraws it if it is still waiting.
 */
const TAKEN_OVER_WHILE_SENDING = 'taken over from a run whose lease ran out, which may be sending the message: not withdrawn until its next attempt';

type Loaded = { job: Job; message: OutboxRow };
type Sent = Loaded & ({ outcome: SendOutcome } | { error: unknown });

/**
 * Delivers outbox messages, many jobs to a run (decision 0043), each on the channel it is on,
 * through that channel's sender: one transaction reads the messages (and the force's provider
 * accounts), the sends run outside any transaction, a few at once, and one transaction records
 * their outcomes (each alone if that fails). A message not yet due is deferred to its time. A
 * provider failure is retried with backoff (the job is returned as failed); a permanent one (or the
 * last attempt) moves the message to its next channel (`outbox.fell_back`, whose job delivers it
 * there), or fails it when none is left. Runs again safely: only a pending message on the channel
 * it was loaded on is sent, and each outcome applies once. While the run holds its jobs, staff
 * cannot withdraw their messages: the one that was read pending goes (decision 0074). A run that
 * took its job over from one whose lease ran out does not withdraw a message no longer true
 * either: that run may be sending it (decision 0151).
 */
export function createDeliverHandler(deps: DeliveryDeps): OutboundBatchJobHandler {
  const senderDeps: SenderDeps = { mailer: deps.mailer, mailFrom: deps.mailFrom, mailers: deps.mailers, fetcher: deps.fetcher ?? fetch, clock: deps.clock };
  return {
    kind: 'outbound',
    maxBatch: DELIVERY_BATCH,
    run: async ({ forceId, jobs, inForce }) => {
      const failures = new Map<JobId, unknown>();
      const wanted = new Map<Job, string>();
      for (const job of jobs) {
        try {
          wanted.set(job, payloadText(job, 'outboxId'));
        } catch (error) {
          failures.set(job.id, error);
        }
      }
      const inDoubt: Job[] = [];
      const { untrue, due, accounts, optedOut } = await inForce(async (tx) => {
        inDoubt.length = 0;
        // Read locked (shared), so a withdrawal racing this run either commits first and is seen
        // here, or waits and then finds this job at work and is refused (decision 0074).
        const messages = new Map((await findOutboxMessages(tx, forceId, [...new Set(wanted.values())], { share: true })).map((row) => [row.id, row]));
        const ready: Loaded[] = [];
        const claimed = new Map<string, Job>();
        for (const [job, outboxId] of wanted) {
          const message = messages.get(outboxId);
          // Two jobs for one message (a retry racing its original): one send.
          if (!message || message.status !== 'pending' || claimed.has(message.id)) continue;
          claimed.set(message.id, job);
        }
        // However late this runs (an outage, a dead job put back), what is no longer true does not go.
        const untrue = deps.findUntrue ? await deps.findUntrue(tx, forceId, deps.clock.now(), [...claimed.keys()].flatMap((id) => messages.get(id) ?? [])) : new Map<string, string>();
        // Unless the run before may be sending it: taken over, its job is tried again later.
        for (const [id, job] of claimed) {
          if (!job.isTakenOver || !untrue.has(id)) continue;
          untrue.delete(id);
          claimed.delete(id);
          inDoubt.push(job);
        }
        for (const [id, job] of claimed) {
          const message = messages.get(id);
          if (!message || untrue.has(id)) continue;
          if (message.not_before && message.not_before.getTime() > deps.clock.now().getTime()) {
            record(tx, forceId, deps.clock, outboxDeferred.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, until: message.not_before.toISOString() } }));
            continue;
          }
          ready.push({ job, message });
        }
        const needsAccounts = ready.some(({ message }) => message.channel === 'sms' || message.channel === 'email');
        const texts = ready.flatMap(({ message }) => (message.channel === 'sms' ? [message.recipient] : []));
        return {
          untrue,
          due: ready,
          accounts: needsAccounts ? await loadOutboxAccounts(tx, forceId, deps.secrets) : NO_ACCOUNTS,
          optedOut: await findOptedOutNumbers(tx, forceId, texts),
        };
      });
      // Withdrawn apart from the read: its rows are held shared, and two runs holding one would
      // each wait on the other to write it. What is untrue stays so; a second run withdraws none.
      if (untrue.size > 0) await inForce((tx) => withdrawUntrue(tx, forceId, deps.clock, untrue));
      for (const job of inDoubt) failures.set(job.id, new Error(TAKEN_OVER_WHILE_SENDING));
      if (due.length === 0) return failures;

      const sent = await inGroupsOf(due, SENDS_AT_ONCE, async (loaded): Promise<Sent> => {
        try {
          const sender = senderFor(loaded.message.channel);
          if (!sender) throw new OutboxSendError(`no sender for channel ${loaded.message.channel}`, true);
          // The provider would refuse it (Twilio's 21610): the channel fails for good, so the next one tells them.
          const optOut = loaded.message.channel === 'sms' ? optedOut.get(loaded.message.recipient) : undefined;
          if (optOut) throw new OutboxSendError(smsOptedOutReason(optOut), true);
          return { ...loaded, outcome: withStorableId(await sender(loaded.message, accounts, senderDeps)) };
        } catch (error) {
          return { ...loaded, error };
        }
      });

      const recordOne = async (tx: Tx, result: Sent) => {
        const { job, message } = result;
        if ('outcome' in result) {
          await recordOutcome(tx, forceId, deps.clock, message, result.outcome);
          return;
        }
        const { error } = result;
        const reason = `${message.channel}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
        // A URL the guard refuses (an API base URL inside our network) will be refused every time.
        const isPermanent = (error instanceof OutboxSendError && error.isPermanent) || isOutboundRefusal(error);
        if (isPermanent || job.attempts >= job.maxAttempts) {
          await moveToNextChannel(tx, forceId, deps.clock, message, reason);
          return;
        }
        await recordOutboxAttemptFailed(tx, forceId, message.id, reason);
        failures.set(job.id, error);
      };
      /**
       * A message the provider took whose outcome would not record (an id PostgreSQL cannot
       * store): retrying would send it again on every attempt, so it is recorded sent without the
       * provider's id, as `channel.send` does (decision 0043); its receipts cannot be matched.
       */
      const recordedSentWithoutId = async (result: Sent): Promise<boolean> => {
        if (!('outcome' in result) || result.outcome.kind !== 'sent' || result.outcome.providerMessageId === null) return false;
        const outcome: SendOutcome = { ...result.outcome, providerMessageId: null, receiptChannel: null };
        return inForce((tx) => recordOne(tx, { ...result, outcome })).then(
          () => true,
          () => false,
        );
      };
      try {
        await inForce((tx) => recordOutcomes(tx, forceId, deps.clock, sent, recordOne));
      } catch (error) {
        if (isConnectionLost(error)) throw error;
        // One outcome would not record: each alone, so the others are kept and that one retries.
        for (const result of sent) {
          try {
            await inForce((tx) => recordOne(tx, result));
          } catch (alone) {
            // After a lost connection the outcome is unknown: the job retries (sending twice beats never).
            if (isConnectionLost(alone) || !(await recordedSentWithoutId(result))) failures.set(result.job.id, alone);
          }
        }
      }
      return failures;
    },
  };
}

/**
 * The delivery job given up (dead after its last attempt) for a failure outside the send, which the
 * handler settles itself by falling back or failing: the run threw before sending (the force's
 * provider settings no longer open) or its record would not write. A message still pending is
 * failed, so staff read why and may send it again (decision 0058) rather than see it waiting for
 * ever (decision 0116), unless it is no longer true: then it is withdrawn, as a run would have.
 * The job's own error (internal) stays in the job and its `job.dead` event.
 */
export function createDeliveryGivenUpHandler(deps: { clock: Clock; findUntrue?: UntrueCheck }): DeadJobHandler {
  return async ({ job, tx }) => {
    const outboxId = job.payload['outboxId'];
    if (typeof outboxId !== 'string') return;
    // One no longer true is withdrawn as such, not failed for staff to send again: a job taken over
    // on its last attempt left it so (decision 0151), and no run will withdraw it after this one.
    if (deps.findUntrue) {
      const [message] = await findOutboxMessages(tx, job.forceId, [outboxId]);
      const untrue = message && (message.status === 'pending' || message.status === 'held') ? await deps.findUntrue(tx, job.forceId, deps.clock.now(), [message]) : null;
      if (untrue && untrue.size > 0 && (await withdrawUntrue(tx, job.forceId, deps.clock, untrue)).has(outboxId)) return;
    }
    const attempts = `${job.attempts} attempt${job.attempts === 1 ? '' : 's'}`;
    const given = await giveUpOutboxMessage(tx, job.forceId, outboxId, (channel) => `${channel}: the delivery could not be completed after ${attempts}; send it again`);
    if (!given) return;
    const { row, reason } = given;
    record(tx, job.forceId, deps.clock, outboxFailed.of({ actor: SYSTEM, subjectId: row.id, data: { ...about(row), channel: row.channel, reason: reason.slice(0, 300) } }));
  };
}

/** The outcome with the provider's id for the message as it is kept and matched (`storableProviderId`). */
function withStorableId(outcome: SendOutcome): SendOutcome {
  return outcome.kind === 'sent' && outcome.providerMessageId !== null ? { ...outcome, providerMessageId: storableProviderId(outcome.providerMessageId) } : outcome;
}

/** `work` for every item, at most `size` at a time, results in the items' order. */
async function inGroupsOf<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

/** The channel failed for good: the next one the person allows is tried, or the message fails. */
async function moveToNextChannel(tx: Tx, forceId: ForceId, clock: Clock, message: OutboxRow, reason: string): Promise<void> {
  const event = channelFailureEvent(await failChannel(tx, forceId, message.id, message.fallbacks, reason), { id: message.id, ...about(message) }, reason);
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
 */
async function recordOutcomes(tx: Tx, forceId: ForceId, clock: Clock, results: readonly Sent[], recordOther: (tx: Tx, result: Sent) => Promise<void>): Promise<void> {
  await lockOutboxMessages(tx, forceId, results.map((result) => result.message.id));
  const sentRecords = results.flatMap((result) =>
    'outcome' in result && result.outcome.kind === 'sent'
      ? [{ id: result.message.id, providerMessageId: result.outcome.providerMessageId, fallbacks: result.message.fallbacks }]
      : [],
  );
  const holds = results.flatMap((result) => {
    const reason = 'outcome' in result ? holdReason(result.message, result.outcome) : null;
    return reason === null ? [] : [{ id: result.message.id, reason }];
  });
  const isSent = await markOutboxSentMany(tx, forceId, clock.now(), sentRecords);
  const isHeld = await holdOutboxMessages(tx, forceId, holds);
  const reasons = new Map(holds.map((hold) => [hold.id, hold.reason]));
  for (const result of results) {
    const { message } = result;
    const reason = reasons.get(message.id);
    if ('outcome' in result && result.outcome.kind === 'sent') {
      if (isSent.has(message.id)) await afterSent(tx, forceId, clock, message, result.outcome);
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
async function afterSent(tx: Tx, forceId: ForceId, clock: Clock, message: OutboxRow, outcome: Extract<SendOutcome, { kind: 'sent' }>): Promise<void> {
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
  if (outcome.providerMessageId && outcome.receiptChannel) {
    for (const receipt of await takeBackloggedStatuses(tx, forceId, outcome.receiptChannel, outcome.providerMessageId)) {
      record(tx, forceId, clock, ...((await applyOutboxReceipt(tx, forceId, clock.now(), receipt)) ?? []));
    }
  }
}

async function recordOutcome(tx: Tx, forceId: ForceId, clock: Clock, message: OutboxRow, outcome: SendOutcome): Promise<void> {
  const now = clock.now();
  // Held (a letter to print), or no provider and no other channel: the message waits, visible in
  // the outbox, for a person or for an admin to connect a provider, rather than being lost.
  const reason = holdReason(message, outcome);
  if (reason !== null) {
    if (await holdOutboxMessage(tx, forceId, message.id, reason)) record(tx, forceId, clock, heldEvent(message, reason));
    return;
  }
  switch (outcome.kind) {
    case 'sent': {
      const isRecorded = await markOutboxSent(tx, forceId, message.id, { at: now, providerMessageId: outcome.providerMessageId, fallbacks: message.fallbacks });
      if (isRecorded) await afterSent(tx, forceId, clock, message, outcome);
      return;
    }
    case 'delivered': {
      if (!(await markOutboxDelivered(tx, forceId, message.id, now, ['pending']))) return;
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
      await moveToNextChannel(tx, forceId, clock, message, `${message.channel}: ${outcome.reason}`);
      return;
  }
}
