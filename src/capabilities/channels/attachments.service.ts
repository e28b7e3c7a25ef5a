import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { detectContentType } from './content-type.ts';
import type { InboundAttachment } from './channel.ts';
import { loadAccountConfig } from './channel-accounts.service.ts';
import { findAdapter } from './registry.ts';
import { isOutboundRefusal } from '../../platform/http/outbound-guard.ts';

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

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
        created_at: now,
      })
      .execute();
  }
  return linkedAttachments;
}

/**
 * Downloads a linked attachment once, soon after it arrived (provider links expire), and records
 * its SHA-256, its size and what its bytes are, whatever the provider said it was. Oversized files
 * keep their hash but not their bytes.
 */
export function createAttachmentFetchHandler(deps: { secrets: SecretBox; fetcher?: typeof fetch; logger?: Logger }): JobHandler {
  const fetcher = deps.fetcher ?? fetch;
  return async ({ job, inForce }) => {
    const attachmentId = payloadText(job, 'attachmentId');
    const target = await inForce(async (tx) => {
      const row = await tx
        .selectFrom('attachments as a')
        .innerJoin('messages as m', 'm.id', 'a.message_id')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['a.url', 'a.sha256', 'm.channel', 'c.channel_account_id'])
        .where('a.force_id', '=', job.forceId)
        .where('a.id', '=', attachmentId)
        .executeTakeFirst();
      if (!row || !row.url || row.sha256) return null;
      const adapter = findAdapter(row.channel);
      const config = row.channel_account_id ? await loadAccountConfig(tx, job.forceId, deps.secrets, row.channel_account_id) : null;
      // The demo's stand-in (decision 0057) would hand its published credentials to the link's host.
      if (config !== null && adapter?.isDemoStandIn?.(config) === true) return { url: row.url, headers: {}, isDemoStandIn: true };
      const headers = adapter?.attachmentRequestHeaders && config ? adapter.attachmentRequestHeaders(config) : {};
      return { url: row.url, headers, isDemoStandIn: false };
    });
    if (!target) return;
    if (target.isDemoStandIn) {
      // Its messages are made up by whoever holds the published secret: the link keeps, unfetched.
      deps.logger?.info({ attachmentId, jobId: job.id }, 'attachment of a demo stand-in account not downloaded');
      return;
    }
    let response: Response;
    try {
      response = await fetcher(target.url, { headers: target.headers, redirect: 'follow' });
    } catch (error) {
      // A link (or a redirect) into our own network is refused every time: give up now, not after
      // six attempts; the attachment keeps its link and no bytes.
      if (!isOutboundRefusal(error)) throw error;
      deps.logger?.warn({ attachmentId, jobId: job.id, reason: error.message }, 'attachment download refused');
      return;
    }
    if (!response.ok) throw new Error(`attachment download answered ${response.status}`);
    const downloaded = await readKeepingAtMost(response, MAX_ATTACHMENT_BYTES);
    await inForce((tx) =>
      tx
        .updateTable('attachments')
        .set({
          sha256: downloaded.sha256,
          size_bytes: downloaded.size,
          detected_type: detectContentType(downloaded.head),
          content: downloaded.content,
        })
        .where('id', '=', attachmentId)
        .execute(),
    );
  };
}

/**
 * Reads a download as it streams in: hashed and counted whole, its bytes kept only up to `keep`
 * (a link can point at anything, of any size: a large one must not be held in memory whole). The
 * outbound guard's time limit bounds how long it may stream.
 */
async function readKeepingAtMost(response: Response, keep: number): Promise<{ sha256: string; size: number; head: Buffer; content: Buffer | null }> {
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
  }
  return { sha256: hash.digest('hex'), size, head, content: size <= keep ? Buffer.concat(kept) : null };
}
