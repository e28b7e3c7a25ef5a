import { z } from 'zod';
import { defineEvent, recordChanged, type FollowUpJob, type Happened, type PushedLiveMessage } from '../../platform/events/catalogue.ts';
import { newId } from '../../platform/ids.ts';
import { releaseHeldTextsJob } from '../outbox/outbox.events.ts';

/** The channels whose accounts send the outbox's texts. */
const TEXT_PROVIDERS = new Set(['sms_notify', 'sms_twilio']);

// The channels' entries in the event catalogue, and the jobs that follow from messages: sending a
// reply through its channel's adapter, fetching what a provider only linked to.

/** The job that sends one outbound message through its channel's adapter. */
export const CHANNEL_SEND_JOB = 'channel.send';

/** The job that downloads an attachment a provider only linked to (links expire). */
export const ATTACHMENT_FETCH_JOB = 'attachment.fetch';

/** Delivery of an outbound message on its contact's channel. */
export function channelSendJob(messageId: string): FollowUpJob {
  return { type: CHANNEL_SEND_JOB, payload: { messageId }, idempotencyKey: messageId, maxAttempts: 6 };
}

/** The downloads of the given linked attachments. */
export function attachmentFetchJobs(attachmentIds: readonly string[]): FollowUpJob[] {
  return attachmentIds.map((attachmentId) => ({ type: ATTACHMENT_FETCH_JOB, payload: { attachmentId }, idempotencyKey: attachmentId, maxAttempts: 6 }));
}

/**
 * The download staff asked for again (decision 0106): a new job for each try, tried once, so the
 * person who asked hears soon whether it came; they may ask again.
 */
export function attachmentRetryJob(attachmentId: string, retry: number): FollowUpJob {
  return { type: ATTACHMENT_FETCH_JOB, payload: { attachmentId }, idempotencyKey: `${attachmentId}:retry:${retry}`, maxAttempts: 1 };
}

/** A change to an account's version tells a form open on that account (its rename, its toggle, connecting it again) who changed it. */
const accountChanged = (e: Happened<string, unknown>): PushedLiveMessage[] => [recordChanged('channel_account', e.actor, e.subject.id)];

/** A force admin connected a channel account. */
export const channelConnected = defineEvent({
  type: 'channel.connected',
  subject: 'channel_account',
  data: { channel: z.string(), label: z.string() },
  live: accountChanged,
  // Texts held because the force had no text provider go once a force admin connects one (the
  // system connects only the demo force's accounts, as it creates the force: nothing is held yet).
  jobs: (e) => (e.actor.type === 'staff' && TEXT_PROVIDERS.has(e.data.channel) ? [releaseHeldTextsJob(`${e.subject.id}:${newId()}`)] : []),
});

/**
 * A force admin connected one account again: its settings and credentials were replaced in place
 * (the same account, its contacts and history), and the old credentials stopped working at once.
 * Never a credential, nor the key the account is known by (a hash of a secret for some channels).
 */
export const channelReconnected = defineEvent({
  type: 'channel.reconnected',
  subject: 'channel_account',
  data: { channel: z.string(), label: z.string() },
  live: accountChanged,
  // A demo stand-in given the force's own credentials may be the text provider held texts wait for.
  jobs: (e) => (e.actor.type === 'staff' && TEXT_PROVIDERS.has(e.data.channel) ? [releaseHeldTextsJob(`${e.subject.id}:${newId()}`)] : []),
});

/** A force admin renamed, enabled or disabled a channel account (what changed; never a credential). */
export const channelAccountUpdated = defineEvent({
  type: 'channel.account_updated',
  subject: 'channel_account',
  data: { label: z.string().optional(), isEnabled: z.boolean().optional() },
  live: accountChanged,
  // An account enabled again may be the text provider held texts wait for; releasing finds none otherwise.
  jobs: (e) => (e.actor.type === 'staff' && e.data.isEnabled === true ? [releaseHeldTextsJob(`${e.subject.id}:${newId()}`)] : []),
});

/** Stored channel credentials were sealed again with the current secrets key. */
export const channelCredentialsResealed = defineEvent({
  type: 'channel.credentials_resealed',
  subject: 'force',
  data: { accounts: z.number(), keyId: z.string() },
});

/** A stored provider request was parsed again at a force admin's request. */
export const channelRequestReplayed = defineEvent({
  type: 'channel.request_replayed',
  subject: 'inbound_request',
  data: { channel: z.string(), messages: z.number() },
});

const sendOutcome = { messageId: z.string(), channel: z.string(), status: z.string(), reason: z.string().nullable() };

/** A reply was handed to its channel's provider. */
export const messageSent = defineEvent({
  type: 'message.sent',
  subject: 'contact',
  data: sendOutcome,
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** A reply could not be sent (refused for good, or out of attempts). */
export const messageFailed = defineEvent({
  type: 'message.failed',
  subject: 'contact',
  data: sendOutcome,
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** A message came with attachments the provider only linked to: each is fetched and hashed soon, by a job, before its link expires. */
export const messageAttachmentsLinked = defineEvent({
  type: 'message.attachments_linked',
  subject: 'contact',
  data: { messageId: z.string(), attachmentIds: z.array(z.string()) },
  jobs: (e) => attachmentFetchJobs(e.data.attachmentIds),
});

/**
 * A linked attachment was not downloaded, for good: its hash was not the one the provider gave, it
 * was too large or not a kind of file its channel carries, or the provider kept failing. The
 * message stays as it came; the reason is staff's to read beside it.
 */
export const attachmentRefused = defineEvent({
  type: 'attachment.refused',
  subject: 'contact',
  data: { attachmentId: z.string(), messageId: z.string(), reason: z.string() },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/**
 * A linked attachment was downloaded: its SHA-256 at capture (chain of custody: what staff open
 * later is checked against it), its size and what its bytes are. A file past the most kept keeps
 * its hash and size, not its bytes (`bytesKept` false).
 */
export const attachmentStored = defineEvent({
  type: 'attachment.stored',
  subject: 'contact',
  data: { attachmentId: z.string(), messageId: z.string(), sha256: z.string(), sizeBytes: z.number().int(), detectedType: z.string().nullable(), bytesKept: z.boolean() },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/**
 * A member of staff tried again a download refused because the provider could not be reached: the
 * attachment is linked again and its fetch job queued anew (`retry` counts the tries asked for).
 */
export const attachmentRetried = defineEvent({
  type: 'attachment.retried',
  subject: 'contact',
  data: { attachmentId: z.string(), messageId: z.string(), retry: z.number().int(), previousReason: z.string() },
  jobs: (e) => [attachmentRetryJob(e.data.attachmentId, e.data.retry)],
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** A member of staff opened a file the public sent (chain of custody: which file, by its hash at capture). */
export const attachmentOpened = defineEvent({
  type: 'attachment.opened',
  subject: 'contact',
  data: { attachmentId: z.string(), messageId: z.string(), sha256: z.string() },
});

/** A provider reported what became of a reply (delivered, read, failed). */
export const messageDeliveryStatus = defineEvent({
  type: 'message.delivery_status',
  subject: 'contact',
  data: { messageId: z.string(), status: z.string(), reason: z.string().nullable() },
  live: (e) => [{ type: 'queue.changed', contactId: e.subject.id }],
});

/** The channels' entries, for the catalogue. */
export const CHANNEL_EVENTS = [
  attachmentOpened,
  attachmentRefused,
  attachmentRetried,
  attachmentStored,
  channelConnected,
  channelReconnected,
  channelAccountUpdated,
  channelCredentialsResealed,
  channelRequestReplayed,
  messageAttachmentsLinked,
  messageSent,
  messageFailed,
  messageDeliveryStatus,
] as const;
