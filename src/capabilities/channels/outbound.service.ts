import type { Clock } from '../../platform/clock.ts';
import { payloadText, type DeadJobHandler, type JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import type { MailerPool } from '../../platform/mail/mailer.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { IdentityKind } from '../people/people.schema.ts';
import { ChannelSendError } from './channel.ts';
import { loadAccountConfig } from './channel-accounts.service.ts';
import { findAdapter } from './registry.ts';
import { isOutboundRefusal, type OutboundGuard } from '../../platform/http/outbound-guard.ts';
import { checkOutboundTargetsBeforeSend } from './outbound-targets.ts';
import { applyBackloggedStatuses, storableProviderId, type BacklogRefusals } from './delivery-statuses.service.ts';
import { tellAfterCommit, type RefusedReportSink } from '../../platform/observability/refused-delivery-reports.ts';
import { messageFailed, messageSent } from './channel.events.ts';
import { SMS_OPTED_OUT_REASON, SMS_OPT_OUT_RECORDED_REASON } from './sms-opt-out.events.ts';
import { findOptedOutNumbers } from './sms-opt-outs.repository.ts';
import { findLatestInboundProviderId, findMessageToSend, giveUpOutboundMessage, updateMessage } from '../contacts/messages.repository.ts';
import { findContact } from '../contacts/contacts.repository.ts';
import { onResponded } from '../queue/routing.service.ts';
import { isConnectionLost } from '../../platform/db/connection-errors.ts';
import { findReplyWindow } from './reply-window.service.ts';
import { describeNetworkFailure } from '../../platform/http/network-failure.ts';

/** True when replies on this channel go back through a channel adapter (not the portal's email). */
export function isAdapterChannel(channel: string): boolean {
  return findAdapter(channel) !== undefined;
}

/** Whether a reply on a contact of this channel (with this metadata) can quote one earlier message (decision 0110). */
export function canQuoteOnChannel(channel: string, contactMeta: { [key: string]: JsonValue }): boolean {
  return findAdapter(channel)?.canQuote?.(contactMeta) === true;
}

/** The provider id a reply was stored quoting (`meta.quoted`), when it quotes one. */
function quotedIdOf(meta: { [key: string]: JsonValue }): string | null {
  const quoted = meta.quoted;
  if (!quoted || typeof quoted !== 'object' || Array.isArray(quoted)) return null;
  const id = quoted.providerMessageId;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/**
 * Whether a member of staff can answer a contact on this channel in writing. A call, and a
 * callback (which is a call the force makes), are answered by calling the person back.
 */
export function canReplyInWriting(channel: string): boolean {
  if (channel === 'callback') return false;
  return findAdapter(channel)?.canReplyInWriting !== false;
}

/** Shown on a message that went but whose provider id could not be kept (another message holds it). */
const UNMATCHABLE_RECEIPTS = 'Sent, but the provider’s id for it could not be kept, so its delivery reports will not show here';

/** Shown on a reply through the demo's stand-in account (decision 0057), which nothing leaves. */
export const DEMO_STAND_IN_REPLY =
  'Not sent: this is the demo’s stand-in account, which never sends to the provider. A force admin connects the force’s own account to reply on this channel.';

/** Shown on a text reply to a number that opted out of the force's texts. */
const OPTED_OUT_REPLY = {
  keyword: `Not sent: this number ${SMS_OPTED_OUT_REASON}, so no text can reach it until the person texts START. Reach them another way.`,
  staff: `Not sent: this number ${SMS_OPT_OUT_RECORDED_REASON}, so no text goes to it until the person texts START or staff lift it. Reach them another way.`,
} as const;

type SenderHandle = { kind: IdentityKind; value: string };

function senderOf(meta: { [key: string]: JsonValue }): SenderHandle | null {
  const sender = meta.sender;
  if (!sender || typeof sender !== 'object' || Array.isArray(sender)) return null;
  const { kind, value } = sender as { kind?: JsonValue; value?: JsonValue };
  if ((kind === 'email' || kind === 'phone' || kind === 'social') && typeof value === 'string') return { kind, value };
  return null;
}

/**
 * Sends one outbound message through its channel's adapter. A provider failure is retried with
 * backoff; a permanent one (or the last attempt) marks the message failed with the provider's
 * reason, which the operator sees on the thread.
 */
export function createChannelSendHandler(deps: {
  clock: Clock;
  secrets: SecretBox;
  mailers: MailerPool;
  fetcher?: typeof fetch;
  outbound?: OutboundGuard;
  /** The service's public address, where providers report back when an account names no address (`SendVia`). */
  publicUrl?: string | undefined;
  /** Where early reports another account verified, found when a reply's send records its id, are told (decision 0204). */
  refusedReports?: RefusedReportSink | undefined;
}): JobHandler {
  const fetcher = deps.fetcher ?? fetch;
  return async ({ job, inForce }) => {
    const messageId = payloadText(job, 'messageId');
    const prepared = await inForce(async (tx) => {
      const message = await findMessageToSend(tx, job.forceId, messageId);
      // Only a message still on its way is sent: one sent needs nothing more, and one failed was
      // given up with staff told to write it again, so a dead job an admin retries sends nothing.
      if (!message || (message.delivery_status !== 'queued' && message.delivery_status !== 'retrying')) return null;
      const adapter = findAdapter(message.channel);
      if (!adapter) throw new Error(`no adapter for channel ${message.channel}`);
      if (!message.channel_account_id) throw new Error('the contact has no channel account');
      const config = await loadAccountConfig(tx, job.forceId, deps.secrets, message.channel_account_id);
      // A private reply answers the comment it was written for (decision 0109), not a later one.
      const replyTo = message.private_reply_to ?? (await findLatestInboundProviderId(tx, job.forceId, message.contact_id));
      const to = senderOf(message.meta);
      const optOut = to?.kind === 'phone' && adapter.isTextMessage?.(message.meta) === true ? (await findOptedOutNumbers(tx, job.forceId, [to.value])).get(to.value) : undefined;
      // Read as the job runs, not when the reply was written: a retry after the window closed is outside it.
      const window = await findReplyWindow(tx, job.forceId, deps.clock.now(), { ...message, id: message.contact_id }, config);
      return { message, adapter, config, replyTo, optOut, isDemoStandIn: adapter.isDemoStandIn?.(config) === true, isOutsideReplyWindow: window !== null && !window.isOpen };
    });
    if (!prepared) return;
    const { message, adapter, config } = prepared;
    const recipient = senderOf(message.meta);
    const sendingAccount = adapter.sendingAccountOf?.(config) ?? null;

    const recordOutcome = (outcome: { status: string; providerMessageId?: string; error?: string | null; event: typeof messageSent | typeof messageFailed }) =>
      inForce(async (tx) => {
        // A reply from staff answers the person once it has gone: one that failed does not, and
        // an automatic message (an acknowledgement) never does. Its contact is held before its
        // clocks, as every writer of clocks and the SLA check hold them (decision 0200).
        const answers = outcome.status === 'sent' && message.author_staff_id !== null;
        if (answers) await findContact(tx, job.forceId, message.contact_id, ['id'], { lock: 'no key update' });
        await updateMessage(tx, job.forceId, messageId, {
          delivery_status: outcome.status,
          delivery_error: outcome.error ?? null,
          // The account it went through: only that account's reports settle it (decision 0202).
          ...(outcome.providerMessageId ? { provider_message_id: outcome.providerMessageId, sent_through_account: sendingAccount } : {}),
        });
        record(
          tx,
          job.forceId,
          deps.clock,
          outcome.event.of({
            actor: { type: 'system', id: null },
            subjectId: message.contact_id,
            data: { messageId, channel: message.channel, status: outcome.status, reason: outcome.error ?? null },
          }),
        );
        if (answers) record(tx, job.forceId, deps.clock, ...(await onResponded(tx, job.forceId, deps.clock, message.contact_id)));
        if (outcome.providerMessageId) {
          // Named as metrics name providers ('twilio'); only adapters with accounts have reports to refuse.
          const refusals: BacklogRefusals = { provider: (adapter.providerName ?? message.channel).toLowerCase(), refused: [] };
          await applyBackloggedStatuses(tx, job.forceId, deps.clock, message.channel, outcome.providerMessageId, sendingAccount, refusals);
          tellAfterCommit(tx, deps.refusedReports, refusals.refused);
        }
      });

    let sent: { providerMessageId?: string; note?: string };
    try {
      if (!recipient) throw new ChannelSendError('the contact has no handle to reply to', true);
      // The provider would refuse it with a bare code (Twilio's 21610): the operator is told why.
      if (prepared.optOut) throw new ChannelSendError(OPTED_OUT_REPLY[prepared.optOut], true);
      // Its published credentials would reach the real provider: nothing is sent, the reply is kept, failed.
      if (prepared.isDemoStandIn) throw new ChannelSendError(DEMO_STAND_IN_REPLY, true);
      const approvedAddresses = deps.outbound ? await checkOutboundTargetsBeforeSend(deps.outbound, adapter, config) : new Map<string, string>();
      sent = await adapter.send(
        {
          body: message.body,
          recipient,
          threadKey: message.thread_key,
          replyToProviderMessageId: prepared.replyTo,
          reference: message.reference,
          contactMeta: message.meta,
          idempotencyKey: messageId,
          isOutsideReplyWindow: prepared.isOutsideReplyWindow,
          language: typeof message.meta.language === 'string' ? message.meta.language : null,
          // Read from the stored reply on every attempt: a retry quotes the same message, once.
          quotesProviderMessageId: adapter.canQuote?.(message.meta) === true ? quotedIdOf(message.message_meta) : null,
        },
        config,
        { fetch: fetcher, mailers: deps.mailers, approvedAddresses, clock: deps.clock, publicUrl: deps.publicUrl },
      );
    } catch (error) {
      // A provider never reached is named, with the failure in plain words, not the socket's message.
      const unreached = error instanceof ChannelSendError ? null : describeNetworkFailure(error);
      const reason = (unreached ? `${adapter.providerName ?? adapter.label} could not be reached: ${unreached}` : error instanceof Error ? error.message : String(error)).slice(0, 1000);
      // A URL the guard refuses (a redirect to a private address, say) will be refused every time.
      const isPermanent = (error instanceof ChannelSendError && error.isPermanent) || isOutboundRefusal(error);
      if (isPermanent || job.attempts >= job.maxAttempts) {
        await recordOutcome({ status: 'failed', error: reason, event: messageFailed });
        return;
      }
      await inForce((tx) => updateMessage(tx, job.forceId, messageId, { delivery_status: 'retrying', delivery_error: reason }));
      throw error;
    }
    // The provider has it: from here on, nothing may send it again.
    try {
      // Kept as the provider's reports of it are matched: bounded (an id too long for an index, from a broken provider).
      const providerMessageId = sent.providerMessageId ? storableProviderId(sent.providerMessageId) : undefined;
      await recordOutcome({ status: 'sent', ...(providerMessageId ? { providerMessageId } : {}), error: sent.note ?? null, event: messageSent });
    } catch (error) {
      // A lost connection rolled the record back: the job is retried and sends again, as it must
      // when it cannot tell (a message sent twice rather than never). Anything else (an id the
      // provider already gave another message, say) would fail the same way on every retry, so
      // the message is recorded sent without the provider's id, which the operator is told.
      if (isConnectionLost(error)) throw error;
      await recordOutcome({ status: 'sent', error: UNMATCHABLE_RECEIPTS, event: messageSent });
    }
  };
}

/**
 * The send job given up (dead after its last attempt) for a failure outside the send, which the
 * handler settles itself: it threw before asking the provider (the account's settings no longer
 * open, no adapter) or its record would not write. A message still queued or retrying is failed,
 * so staff read why on the thread rather than see it sending for ever (decision 0116). The job's
 * own error (internal) stays in the job and its `job.dead` event.
 */
export function createChannelSendGivenUpHandler(deps: { clock: Clock }): DeadJobHandler {
  return async ({ job, tx }) => {
    const messageId = job.payload['messageId'];
    if (typeof messageId !== 'string') return;
    const reason = `the message could not be sent after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}; write it again`;
    const failed = await giveUpOutboundMessage(tx, job.forceId, messageId, reason);
    if (!failed) return;
    record(tx, job.forceId, deps.clock, messageFailed.of({ actor: { type: 'system', id: null }, subjectId: failed.contact_id, data: { messageId, channel: failed.channel, status: 'failed', reason } }));
  };
}
