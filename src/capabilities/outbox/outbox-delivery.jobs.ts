import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { isOutboundRefusal } from '../../platform/http/outbound-guard.ts';
import { loadOutboxAccounts } from '../channels/outbox-accounts.service.ts';
import { takeBackloggedStatuses } from '../channels/delivery-statuses.service.ts';
import {
  applyOutboxReceipt,
  failChannel,
  findOutboxMessage,
  holdOutboxMessage,
  markOutboxDelivered,
  markOutboxSent,
  recordOutboxAttemptFailed,
  type OutboxRow,
} from './outbox.repository.ts';
import { channelFailureEvent, outboxDeferred, outboxDelivered, outboxHeld, outboxSent } from './outbox.events.ts';
import { senderFor } from './senders/senders.ts';
import { OutboxSendError, type OutboxAccounts, type SendOutcome, type SenderDeps } from './senders/sender.ts';

export type DeliveryDeps = Omit<SenderDeps, 'fetcher'> & { clock: Clock; secrets: SecretBox; fetcher?: typeof fetch };

const SYSTEM = { type: 'system' as const, id: null };
const NO_ACCOUNTS: OutboxAccounts = { notify: null, twilio: null };

const about = (message: OutboxRow) => ({ purpose: message.purpose, contactId: message.contact_id, caseId: message.case_id });

/**
 * Delivers one outbox message on the channel it is on, through that channel's sender. A message
 * not yet due is deferred to its time. A provider failure is retried with backoff; a permanent one
 * (or the last attempt) moves the message to its next channel (`outbox.fell_back`, whose job
 * delivers it there), or fails it when none is left. Runs again safely: only a pending message on
 * the channel it was loaded on is sent, and each outcome applies once.
 */
export function createDeliverHandler(deps: DeliveryDeps): JobHandler {
  const senderDeps: SenderDeps = { mailer: deps.mailer, mailFrom: deps.mailFrom, mailers: deps.mailers, fetcher: deps.fetcher ?? fetch };
  return async ({ job, inForce }) => {
    const outboxId = payloadText(job, 'outboxId');
    const loaded = await inForce(async (tx) => {
      const message = await findOutboxMessage(tx, job.forceId, outboxId);
      if (!message || message.status !== 'pending') return null;
      if (message.not_before && message.not_before.getTime() > deps.clock.now().getTime()) {
        record(
          tx,
          job.forceId,
          deps.clock,
          outboxDeferred.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, until: message.not_before.toISOString() } }),
        );
        return null;
      }
      const needsAccounts = message.channel === 'sms' || message.channel === 'email';
      return { message, accounts: needsAccounts ? await loadOutboxAccounts(tx, job.forceId, deps.secrets) : NO_ACCOUNTS };
    });
    if (!loaded) return;
    const { message, accounts } = loaded;

    let outcome: SendOutcome;
    try {
      const sender = senderFor(message.channel);
      if (!sender) throw new OutboxSendError(`no sender for channel ${message.channel}`, true);
      outcome = await sender(message, accounts, senderDeps);
    } catch (error) {
      const reason = `${message.channel}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 1000);
      // A URL the guard refuses (an API base URL inside our network) will be refused every time.
      const isPermanent = (error instanceof OutboxSendError && error.isPermanent) || isOutboundRefusal(error);
      if (isPermanent || job.attempts >= job.maxAttempts) {
        await inForce((tx) => moveToNextChannel(tx, job.forceId, deps.clock, message, reason));
        return;
      }
      await inForce((tx) => recordOutboxAttemptFailed(tx, job.forceId, message.id, reason));
      throw error;
    }
    await inForce((tx) => recordOutcome(tx, job.forceId, deps.clock, message, outcome));
  };
}

/** The channel failed for good: the next one the person allows is tried, or the message fails. */
async function moveToNextChannel(tx: Tx, forceId: ForceId, clock: Clock, message: OutboxRow, reason: string): Promise<void> {
  const event = channelFailureEvent(await failChannel(tx, forceId, message.id, message.fallbacks, reason), { id: message.id, ...about(message) }, reason);
  if (event) record(tx, forceId, clock, event);
}

async function recordOutcome(tx: Tx, forceId: ForceId, clock: Clock, message: OutboxRow, outcome: SendOutcome): Promise<void> {
  const now = clock.now();
  switch (outcome.kind) {
    case 'sent': {
      const isRecorded = await markOutboxSent(tx, forceId, message.id, { at: now, providerMessageId: outcome.providerMessageId, fallbacks: message.fallbacks });
      if (!isRecorded) return;
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
          record(tx, forceId, clock, ...((await applyOutboxReceipt(tx, forceId, now, receipt)) ?? []));
        }
      }
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
    case 'held': {
      if (!(await holdOutboxMessage(tx, forceId, message.id, outcome.reason))) return;
      record(tx, forceId, clock, outboxHeld.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, reason: outcome.reason } }));
      return;
    }
    case 'no_provider': {
      // With another channel to try, the person is still told; with none, the message waits
      // (visible in the outbox) for an admin to connect a provider, rather than being lost.
      if (message.alternatives.length > 0) {
        await moveToNextChannel(tx, forceId, clock, message, `${message.channel}: ${outcome.reason}`);
        return;
      }
      if (!(await holdOutboxMessage(tx, forceId, message.id, outcome.reason))) return;
      record(tx, forceId, clock, outboxHeld.of({ actor: SYSTEM, subjectId: message.id, data: { ...about(message), channel: message.channel, reason: outcome.reason } }));
      return;
    }
  }
}
