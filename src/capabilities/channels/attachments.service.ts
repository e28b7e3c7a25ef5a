import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { payloadText, type DeadJobHandler, type JobHandler } from '../../platform/jobs/jobs.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { detectContentType } from './content-type.ts';
import { MAX_ATTACHMENT_BYTES, type InboundAttachment, type OpenedAttachment } from './channel.ts';
import { attachmentRefused, attachmentStored } from './channel.events.ts';
import { attachmentState, canMoveAttachment, type RefusalKind } from './attachment.machine.ts';
import { record } from '../../platform/events/recorder.ts';
import { loadAccountConfig } from './channel-accounts.service.ts';
import { findAdapter } from './registry.ts';
import { isOutboundRefusal } from '../../platform/http/outbound-guard.ts';


/**
 * Stores the attachments of one inbound message in the caller's transaction: bytes the provider
 * sent are hashed and typed by what they are; links are kept. Returns the ids of the linked ones:
 * the caller records them (`message.attachments_linked`), and their fetch jobs follow, soon,
 * because links expire.
 */
export async function storeInboundAttachments(tx: Tx, forceId: ForceId, clock: Clock, messageId: string, attachments: readonly InboundAttachment[]): Promise<string[]> {
  const now = clock.now();
  const linkedAttachments: string[] = [];
  for (const attachment of attachments) {
    const content = attachment.content;
    const attachmentId = newId();
    if (!content && attachment.url) linkedAttachments.push(attachmentId);
    await tx
      .insertInto('attachments')
      .values({
        id: attachmentId,
        force_id: forceId,
        message_id: messageId,
        filename: attachment.filename,
        declared_type: attachment.declaredType,
        detected_type: content ? detectContentType(content) : null,
        size_bytes: content?.length ?? 0,
        sha256: content ? createHash('sha256').update(content).digest('hex') : '',
        content: content && content.length <= MAX_ATTACHMENT_BYTES ? content : null,
        url: attachment.url ?? null,
        declared_sha256: attachment.declaredSha256 ?? null,
        created_at: now,
      })
      .execute();
  }
  return linkedAttachments;
}

/**
 * Downloads a linked attachment once, soon after it arrived (provider links expire), and records
 * its SHA-256, its size and what its bytes are, whatever the provider said it was. Oversized files
 * keep their hash but not their bytes. An attachment its adapter opens itself (`openAttachment`:
 * WhatsApp's media ids) is checked as well: its hash against every one the provider gave, its
 * size and kind against what its channel carries, and refused for good, with the reason recorded,
 * when it fails one (decision 0104).
 */
export function createAttachmentFetchHandler(deps: { clock: Clock; secrets: SecretBox; fetcher?: typeof fetch; logger?: Logger }): JobHandler {
  const fetcher = deps.fetcher ?? fetch;
  return async ({ job, inForce }) => {
    const attachmentId = payloadText(job, 'attachmentId');
    const target = await inForce(async (tx) => {
      const row = await tx
        .selectFrom('attachments as a')
        .innerJoin('messages as m', 'm.id', 'a.message_id')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['a.url', 'a.sha256', 'a.declared_sha256', 'a.refusal', 'a.message_id', 'm.channel', 'm.contact_id', 'c.channel_account_id'])
        .where('a.force_id', '=', job.forceId)
        .where('a.id', '=', attachmentId)
        .executeTakeFirst();
      if (!row || !row.url || !canMoveAttachment(attachmentState(row), 'store')) return null;
      const adapter = findAdapter(row.channel);
      // The account the message came in on, of this force: never another account's credentials.
      const config = row.channel_account_id ? await loadAccountConfig(tx, job.forceId, deps.secrets, row.channel_account_id) : null;
      const attachment = { attachmentId, messageId: row.message_id, contactId: row.contact_id, provider: adapter?.providerName ?? row.channel, declaredSha256: row.declared_sha256 };
      // The demo's stand-in (decision 0057) would hand its published credentials to the link's host.
      if (config !== null && adapter?.isDemoStandIn?.(config) === true) return { url: row.url, headers: {}, isDemoStandIn: true, open: null, attachment };
      const headers = adapter?.attachmentRequestHeaders && config ? adapter.attachmentRequestHeaders(config) : {};
      const url = row.url;
      // An adapter may open this link itself (a media id, not a link): called once, out of the transaction.
      const open = adapter?.openAttachment && config !== null ? () => adapter.openAttachment?.(url, config, fetcher) ?? null : null;
      return { url, headers, isDemoStandIn: false, open, attachment };
    });
    if (!target) return;
    if (target.isDemoStandIn) {
      // Its messages are made up by whoever holds the published secret: the link keeps, unfetched.
      deps.logger?.info({ attachmentId, jobId: job.id }, 'attachment of a demo stand-in account not downloaded');
      return;
    }
    const opening = target.open?.();
    const download = opening ? () => downloadChecked({ ...target.attachment, opening }) : () => downloadLinked(fetcher, target.url, target.headers);
    let outcome: Downloaded | Refusal;
    try {
      outcome = await download();
    } catch (error) {
      // A link (or a redirect) into our own network is refused every time: give up now, not after
      // six attempts. Any other failure is tried again, and on the last attempt the attachment is
      // refused with the reason, so staff are not left waiting on it.
      // That last refusal alone may be tried again by staff (decision 0106).
      if (isOutboundRefusal(error)) outcome = { refusal: `the link was refused: ${error.message}` };
      else if (job.attempts >= job.maxAttempts) {
        outcome = { refusal: `${target.attachment.provider} could not be reached after ${attemptsText(job.attempts)} (${error instanceof Error ? error.message : String(error)})`, kind: 'unreachable' };
      } else throw error;
    }
    if ('refusal' in outcome) deps.logger?.warn({ attachmentId, jobId: job.id, reason: outcome.refusal }, 'attachment refused');
    await inForce((tx) => settleAttachment(tx, job.forceId, deps.clock, target.attachment, outcome));
  };
}

/**
 * The fetch job given up (dead after its last attempt) for a failure that was not the download's
 * own, which the handler settles itself: it threw before or after downloading (the account's
 * settings no longer open, a write failed). The file is refused as unreachable, so staff may try it
 * again rather than read "being fetched" for ever (decision 0111). Nothing if it was settled.
 */
export function createAttachmentGivenUpHandler(deps: { clock: Clock }): DeadJobHandler {
  return async ({ job, tx }) => {
    const attachmentId = job.payload['attachmentId'];
    if (typeof attachmentId !== 'string') return;
    const row = await tx
      .selectFrom('attachments as a')
      .innerJoin('messages as m', (join) => join.onRef('m.id', '=', 'a.message_id').onRef('m.force_id', '=', 'a.force_id'))
      .select(['a.sha256', 'a.refusal', 'a.message_id', 'm.contact_id'])
      .where('a.force_id', '=', job.forceId)
      .where('a.id', '=', attachmentId)
      .executeTakeFirst();
    if (!row || !canMoveAttachment(attachmentState(row), 'refuse')) return;
    // Staff's words: the job's own error (an internal one) stays in the job and its `job.dead` event.
    const refusal = `the download could not be completed after ${attemptsText(job.attempts)}; try again`;
    await settleAttachment(tx, job.forceId, deps.clock, { attachmentId, messageId: row.message_id, contactId: row.contact_id }, { refusal, kind: 'unreachable' });
  };
}

const attemptsText = (attempts: number) => `${attempts} attempt${attempts === 1 ? '' : 's'}`;

/** A linked attachment, and what it is checked against. */
type LinkedAttachment = {
  attachmentId: string;
  messageId: string;
  contactId: string;
  /** The provider as staff know it, in the reasons they read. */
  provider: string;
  /** The hash the provider gave with the message (hex), if it gave one. */
  declaredSha256: string | null;
};

type Downloaded = { sha256: string; size: number; detectedType: string | null; content: Buffer | null };
/** Why a file was not downloaded; a check's refusal unless the provider could not be reached. */
type Refusal = { refusal: string; kind?: RefusalKind };

/**
 * Records what became of a linked attachment: stored (its hash, size, kind and bytes if kept) or
 * refused (its reason), with the one event of that move. Only from `linked`: a job run twice
 * records it once.
 */
async function settleAttachment(tx: Tx, forceId: ForceId, clock: Clock, attachment: Pick<LinkedAttachment, 'attachmentId' | 'messageId' | 'contactId'>, outcome: Downloaded | Refusal): Promise<void> {
  const { attachmentId, messageId, contactId } = attachment;
  const stillLinked = (query: ReturnType<typeof tx.updateTable<'attachments'>>) =>
    query.where('force_id', '=', forceId).where('id', '=', attachmentId).where('sha256', '=', '').where('refusal', 'is', null);
  if ('refusal' in outcome) {
    const reason = outcome.refusal.slice(0, 1000);
    const moved = await stillLinked(tx.updateTable('attachments')).set({ refusal: reason, refusal_kind: outcome.kind ?? 'checks' }).executeTakeFirst();
    if (moved.numUpdatedRows === 0n) return;
    record(tx, forceId, clock, attachmentRefused.of({ actor: { type: 'system', id: null }, subjectId: contactId, data: { attachmentId, messageId, reason } }));
    return;
  }
  const moved = await stillLinked(tx.updateTable('attachments'))
    .set({ sha256: outcome.sha256, size_bytes: outcome.size, detected_type: outcome.detectedType, content: outcome.content })
    .executeTakeFirst();
  if (moved.numUpdatedRows === 0n) return;
  record(
    tx,
    forceId,
    clock,
    attachmentStored.of({
      actor: { type: 'system', id: null },
      subjectId: contactId,
      data: { attachmentId, messageId, sha256: outcome.sha256, sizeBytes: outcome.size, detectedType: outcome.detectedType, bytesKept: outcome.content !== null },
    }),
  );
}

/** Downloads a link as the provider gave it; a file past the most kept keeps its hash and size, not its bytes. */
async function downloadLinked(fetcher: typeof fetch, url: string, headers: Record<string, string>): Promise<Downloaded> {
  const response = await fetcher(url, { headers, redirect: 'follow' });
  if (!response.ok) throw new Error(`attachment download answered ${response.status}`);
  const downloaded = await readKeepingAtMost(response, MAX_ATTACHMENT_BYTES);
  return { sha256: downloaded.sha256, size: downloaded.size, detectedType: detectContentType(downloaded.head), content: downloaded.content };
}

/** Downloads an attachment its adapter opened, and checks it against every hash the provider gave, its size and its kind. */
async function downloadChecked(attachment: LinkedAttachment & { opening: Promise<OpenedAttachment> }): Promise<Downloaded | Refusal> {
  const opened = await attachment.opening;
  if ('refusal' in opened) return opened.retryable === true ? { refusal: opened.refusal, kind: 'unreachable' } : { refusal: opened.refusal };
  const downloaded = await readKeepingAtMost(opened.response, MAX_ATTACHMENT_BYTES, true);
  if (!downloaded.content) return { refusal: 'it is larger than 10 MB, the most kept of a file' };
  const expected = [attachment.declaredSha256, ...opened.sha256s].filter((hash) => hash !== null);
  if (expected.some((hash) => hash !== downloaded.sha256)) {
    return { refusal: `its SHA-256 (${downloaded.sha256.slice(0, 12)}…) is not the one ${attachment.provider} gave for it: it may not be the file that was sent` };
  }
  const detectedType = detectContentType(downloaded.head);
  if (detectedType !== null && !opened.allowedTypes.has(detectedType)) return { refusal: `its bytes are ${detectedType}, not a kind of file the channel carries` };
  return { sha256: downloaded.sha256, size: downloaded.size, detectedType, content: downloaded.content };
}

/**
 * Reads a download as it streams in: hashed and counted whole, its bytes kept only up to `keep`
 * (a link can point at anything, of any size: a large one must not be held in memory whole). The
 * outbound guard's time limit bounds how long it may stream.
 */
async function readKeepingAtMost(response: Response, keep: number, stopPastKeep = false): Promise<{ sha256: string; size: number; head: Buffer; content: Buffer | null }> {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of response.body ?? []) {
    const bytes = Buffer.from(chunk);
    hash.update(bytes);
    size += bytes.length;
    if (head.length < 64) head = Buffer.concat([head, bytes]).subarray(0, 64);
    if (size <= keep) kept.push(bytes);
    else kept.length = 0;
    // Refused anyway: read no more of it (leaving the loop cancels the stream).
    if (size > keep && stopPastKeep) break;
  }
  return { sha256: hash.digest('hex'), size, head, content: size <= keep ? Buffer.concat(kept) : null };
}
