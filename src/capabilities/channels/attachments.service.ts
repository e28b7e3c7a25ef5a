import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
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
    const attachmentId = String(job.payload.attachmentId);
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
      const headers = adapter?.attachmentRequestHeaders && config ? adapter.attachmentRequestHeaders(config) : {};
      return { url: row.url, headers };
    });
    if (!target) return;
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
    const content = Buffer.from(await response.arrayBuffer());
    await inForce((tx) =>
      tx
        .updateTable('attachments')
        .set({
          sha256: createHash('sha256').update(content).digest('hex'),
          size_bytes: content.length,
          detected_type: detectContentType(content),
          content: content.length <= MAX_ATTACHMENT_BYTES ? content : null,
        })
        .where('id', '=', attachmentId)
        .execute(),
    );
  };
}
