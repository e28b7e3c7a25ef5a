import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { payloadText, type DeadJobHandler, type Job, type OutboundBatchJobHandler } from '../../platform/jobs/jobs.ts';
import type { JobId } from '../../platform/ids.ts';
import { isConnectionLost } from '../../platform/db/connection-errors.ts';
import { record } from '../../platform/events/recorder.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { isOutboundRefusal } from '../../platform/http/outbound-guard.ts';
import { loadOutboxAccounts } from '../channels/outbox-accounts.service.ts';
import { storableProviderId } from '../channels/delivery-statuses.service.ts';
import { findOptedOutNumbers } from '../channels/sms-opt-outs.service.ts';
import { smsOptedOutReason } from '../channels/sms-opt-out.events.ts';
import { findOutboxMessages, giveUpOutboxMessage, lockOutboxMessages, type OutboxRow } from './outbox.repository.ts';
import { failOutboxOutcomeUnknown, findJobsAtWork, recordOutboxAttemptFailed, takeOutboxForSending } from './outbox-delivery.repository.ts';
import { outboxDeferred, outboxFailed } from './outbox.events.ts';
import { withdrawUntrue, type UntrueCheck } from './outbox-withdraw.service.ts';
import { BEING_SENT_BY_ANOTHER_RUN, isSentAtLeastOnce, outcomeUnknownReason } from './outbox-in-doubt.service.ts';
import { about, moveToNextChannel, recordOutcome, recordOutcomes, recordRefused, type Loaded, type Sent } from './outbox-outcomes.service.ts';
import { namingAccountOf, repeatSafetyOf, senderFor } from './senders/senders.ts';
import type { RefusedReportSink } from '../../platform/observability/refused-delivery-reports.ts';
import { OutboxSendError, type OutboxAccounts, type SendOutcome, type SenderDeps } from './senders/sender.ts';

export type DeliveryDeps = Omit<SenderDeps, 'fetcher'> & {
  clock: Clock;
  secrets: SecretBox;
  fetcher?: typeof fetch;
  findUntrue?: UntrueCheck;
  logger?: Logger;
  /** Where early reports another account verified, found when a send records its id, are told (decision 0204). */
  refusedReports?: RefusedReportSink | undefined;
};

const SYSTEM = { type: 'system' as const, id: null };
const NO_ACCOUNTS: OutboxAccounts = { notify: null, twilio: null, hasDemoStandIn: false };

/** The most messages one delivery run takes, and how many of them are sent at once. */
const DELIVERY_BATCH = 50;
const SENDS_AT_ONCE = 8;

/**
 * Why a message no longer true is not withdrawn by a run that took its job over (decision 0151):
 * the run whose lease ran out may have it with the provider, and whether it went is known only
 * when that run records it. Its next attempt withdraws it if it is still waiting.
 */
const TAKEN_OVER_WHILE_SENDING = 'taken over from a run whose lease ran out, which may be sending the message: not withdrawn until its next attempt';

/** How much earlier than our note a provider's clock may put its record of the send (GOV.UK Notify's created_at). */
const PROVIDER_CLOCK_SLACK_MS = 5 * 60_000;

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
 * either: that run may be sending it (decision 0151). Each message sent is taken first with a send
 * token, and its outcome recorded only while the run still holds it; one taken by a run that
 * stopped is asked about, sent again or failed for staff by its provider and kind (decision 0163).
 */
export function createDeliverHandler(deps: DeliveryDeps): OutboundBatchJobHandler {
  const senderDeps: SenderDeps = { mailer: deps.mailer, mailFrom: deps.mailFrom, mailers: deps.mailers, fetcher: deps.fetcher ?? fetch, clock: deps.clock, publicUrl: deps.publicUrl };
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
      /** Fails a message whose earlier send may have gone and is not sent again: staff see why (decision 0163). */
      const failOutcomeUnknown = async (tx: Tx, message: OutboxRow, provider: string) => {
        const reason = outcomeUnknownReason(message.channel, provider === 'twilio' ? 'Twilio' : provider);
        if (!(await failOutboxOutcomeUnknown(tx, forceId, message.id, message.send_token, reason))) return;
        record(tx, forceId, deps.clock, outboxFailed.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, reason: reason.slice(0, 300) } }));
      };
      const inDoubt: Job[] = [];
      const busy: Job[] = [];
      const { untrue, due, accounts, optedOut } = await inForce(async (tx) => {
        inDoubt.length = 0;
        busy.length = 0;
        const now = deps.clock.now();
        // Read locked, so a withdrawal racing this run either commits first and is seen here, or
        // waits and then finds this job at work and is refused (decision 0074); for update, as the
        // run takes what it sends below, and two runs reading one message take turns (decision 0163).
        const messages = new Map((await findOutboxMessages(tx, forceId, [...new Set(wanted.values())], { lock: 'update' })).map((row) => [row.id, row]));
        const ready: Omit<Loaded, 'token'>[] = [];
        const claimed = new Map<string, Job>();
        for (const [job, outboxId] of wanted) {
          const message = messages.get(outboxId);
          // Two jobs for one message (a retry racing its original): one send.
          if (!message || message.status !== 'pending' || claimed.has(message.id)) continue;
          claimed.set(message.id, job);
        }
        // Taken by another job's run still at work (its lease holds): that run is sending it now.
        const takenByOthers = [...claimed].flatMap(([id, job]) => {
          const takenBy = messages.get(id)?.sending_job_id;
          return takenBy && takenBy !== job.id ? [takenBy] : [];
        });
        const atWork = await findJobsAtWork(tx, takenByOthers, now);
        for (const [id, job] of claimed) {
          const takenBy = messages.get(id)?.sending_job_id;
          if (!takenBy || takenBy === job.id || !atWork.has(takenBy)) continue;
          claimed.delete(id);
          busy.push(job);
        }
        // However late this runs (an outage, a dead job put back), what is no longer true does not go.
        const untrue = deps.findUntrue ? await deps.findUntrue(tx, forceId, now, [...claimed.keys()].flatMap((id) => messages.get(id) ?? [])) : new Map<string, string>();
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
          if (message.not_before && message.not_before.getTime() > now.getTime()) {
            record(tx, forceId, deps.clock, outboxDeferred.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, until: message.not_before.toISOString() } }));
            continue;
          }
          ready.push({ job, message, wasTaken: message.sending_job_id !== null });
        }
        const needsAccounts = ready.some(({ message }) => message.channel === 'sms' || message.channel === 'email');
        const accounts = needsAccounts ? await loadOutboxAccounts(tx, forceId, deps.secrets) : NO_ACCOUNTS;
        // Taken by a run that stopped before recording (decision 0163): where a repeat could reach
        // the person twice and the provider cannot say, only what they must have goes again.
        const sending: Omit<Loaded, 'token'>[] = [];
        for (const loaded of ready) {
          const repeat = loaded.wasTaken ? repeatSafetyOf(loaded.message, accounts) : null;
          if (repeat?.kind !== 'unsafe' || isSentAtLeastOnce(loaded.message.purpose)) sending.push(loaded);
          else await failOutcomeUnknown(tx, loaded.message, repeat.provider);
        }
        const tokens = await takeOutboxForSending(
          tx,
          forceId,
          now,
          sending.map(({ job, message }) => ({ id: message.id, seenToken: message.send_token, jobId: job.id, account: namingAccountOf(message, accounts) })),
        );
        const due = sending.flatMap((loaded) => {
          const token = tokens.get(loaded.message.id);
          return token === undefined ? [] : [{ ...loaded, token }];
        });
        const texts = due.flatMap(({ message }) => (message.channel === 'sms' ? [message.recipient] : []));
        return { untrue, due, accounts, optedOut: await findOptedOutNumbers(tx, forceId, texts) };
      });
      // Withdrawn apart from the read, as before the read locked for update: what is untrue stays so.
      if (untrue.size > 0) await inForce((tx) => withdrawUntrue(tx, forceId, deps.clock, untrue));
      for (const job of inDoubt) failures.set(job.id, new Error(TAKEN_OVER_WHILE_SENDING));
      for (const job of busy) failures.set(job.id, new Error(BEING_SENT_BY_ANOTHER_RUN));
      if (due.length === 0) return failures;

      const sent = await inGroupsOf(due, SENDS_AT_ONCE, async (loaded): Promise<Sent> => {
        // A run before took it and may have handed it over: a provider that can say is asked first.
        const repeat = loaded.wasTaken ? repeatSafetyOf(loaded.message, accounts) : null;
        if (repeat?.kind === 'ask') {
          const since = new Date((loaded.message.sending_at ?? deps.clock.now()).getTime() - PROVIDER_CLOCK_SLACK_MS);
          try {
            const found = await repeat.findSent(since, senderDeps);
            if (found) return { ...loaded, outcome: withStorableId(found) };
          } catch (error) {
            return { ...loaded, error, isUnasked: true };
          }
        }
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
          await recordOutcome(tx, forceId, deps, result, result.outcome);
          return;
        }
        // The provider could not be asked whether the run before sent it: nothing is recorded, so
        // the next attempt finds it still taken and asks again rather than sending it blindly.
        if (result.isUnasked) {
          failures.set(job.id, result.error);
          return;
        }
        const { error } = result;
        const reason = `${message.channel}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
        // A URL the guard refuses (an API base URL inside our network) will be refused every time.
        const isPermanent = (error instanceof OutboxSendError && error.isPermanent) || isOutboundRefusal(error);
        if (isPermanent || job.attempts >= job.maxAttempts) {
          await moveToNextChannel(tx, forceId, deps.clock, message, reason, result.token);
          return;
        }
        await recordOutboxAttemptFailed(tx, forceId, message.id, result.token, reason);
        failures.set(job.id, error);
      };
      /** One outcome alone (its batch would not record): the token is read here, and a newer run's refused. */
      const recordAlone = async (tx: Tx, result: Sent) => {
        const current = (await lockOutboxMessages(tx, forceId, [result.message.id])).get(result.message.id);
        if (current === result.token) await recordOne(tx, result);
        else await recordRefused(tx, forceId, deps, result, current);
      };
      /**
       * A message the provider took whose outcome would not record (an id PostgreSQL cannot
       * store): retrying would send it again on every attempt, so it is recorded sent without the
       * provider's id, as `channel.send` does (decision 0043); its receipts cannot be matched.
       */
      const recordedSentWithoutId = async (result: Sent): Promise<boolean> => {
        if (!('outcome' in result) || result.outcome.kind !== 'sent' || result.outcome.providerMessageId === null) return false;
        const outcome: SendOutcome = { ...result.outcome, providerMessageId: null, receiptChannel: null };
        return inForce((tx) => recordAlone(tx, { ...result, outcome })).then(
          () => true,
          () => false,
        );
      };
      try {
        await inForce((tx) => recordOutcomes(tx, forceId, deps, sent, recordOne));
      } catch (error) {
        if (isConnectionLost(error)) throw error;
        // One outcome would not record: each alone, so the others are kept and that one retries.
        for (const result of sent) {
          try {
            await inForce((tx) => recordAlone(tx, result));
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
