import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { attachmentOpened } from './channel.events.ts';
import { attachmentState, retryRefusal } from './attachment.machine.ts';

// What staff see of the files the public sent with their messages, and the file itself. The
// bytes are the sender's: hostile until proven otherwise. They are never served as what the
// sender called them, only as what their first bytes show, and only plain images are shown in
// the browser; everything else is a download the browser will not open or run.

/** The kinds of file a browser may show in place: images only (SVG, which can carry script, is never detected as one). */
const SHOWN_IN_PLACE = new Set(['image/jpeg', 'image/png', 'image/gif']);

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'video/mp4': 'mp4',
};

/**
 * Where a file stands, as staff read it: the machine's state (`attachment.machine.ts`), `stored`
 * split by whether its bytes were kept. `stored` (its bytes are here), `too_large` (fetched and
 * hashed, its bytes not kept), `fetching` (linked: the download has not finished, or is being tried
 * again), `refused` (not downloaded, for the reason given: decisions 0104 and 0106).
 */
export type AttachmentState = 'stored' | 'too_large' | 'fetching' | 'refused';

export type MessageAttachment = {
  id: string;
  messageId: string;
  filename: string | null;
  /** What the bytes are (their first bytes), or null if unrecognised or not fetched yet. */
  contentType: string | null;
  /** What the sender said it was: shown for information, never used to serve it. */
  declaredType: string | null;
  sizeBytes: number;
  /** SHA-256 of the bytes as received (hex), or null until fetched. */
  sha256: string | null;
  state: AttachmentState;
  /** Why it was not downloaded, when refused. */
  refusal: string | null;
  isShownInPlace: boolean;
  /** Whether staff may try its download again: refused because the provider could not be reached (decision 0106). */
  canRetry: boolean;
};

/** The state staff read, from the machine's: never a second reading of the row that could disagree with it. */
export function stateOf(row: { has_content: unknown; sha256: string; refusal: string | null }): AttachmentState {
  const status = attachmentState(row);
  if (status === 'linked') return 'fetching';
  if (status === 'refused') return 'refused';
  return row.has_content === true || row.has_content === 1 ? 'stored' : 'too_large';
}

/** The attachments of these messages (of one force), oldest first; never their bytes. */
export async function listMessageAttachments(tx: Tx, forceId: ForceId, messageIds: readonly string[]): Promise<MessageAttachment[]> {
  if (messageIds.length === 0) return [];
  const rows = await tx
    .selectFrom('attachments')
    .select((eb) => [
      'id',
      'message_id',
      'filename',
      'declared_type',
      'detected_type',
      'size_bytes',
      'sha256',
      'refusal',
      'refusal_kind',
      eb('content', 'is not', null).as('has_content'),
    ])
    .where('force_id', '=', forceId)
    .where('message_id', 'in', [...messageIds])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => {
    const state = stateOf(row);
    return {
      id: row.id,
      messageId: row.message_id,
      filename: row.filename,
      contentType: row.detected_type,
      declaredType: row.declared_type,
      sizeBytes: row.size_bytes,
      sha256: row.sha256 || null,
      state,
      refusal: row.refusal,
      isShownInPlace: state === 'stored' && row.detected_type !== null && SHOWN_IN_PLACE.has(row.detected_type),
      canRetry: retryRefusal({ sha256: row.sha256, refusal: row.refusal, refusal_kind: row.refusal_kind }) === null,
    };
  });
}

/** A file's bytes and how to serve them safely. */
export type AttachmentDownload = {
  content: Buffer;
  /** The type to send: the detected image type for images, else application/octet-stream. */
  contentType: string;
  /** The Content-Disposition header: inline for images, attachment (download) for everything else. */
  disposition: string;
  sha256: string;
};

/** A file name safe in a header and on a disk: no path, no control or quoting characters, bounded. */
export function safeFilename(name: string | null, attachmentId: string, contentType: string | null): string {
  const cleaned = (name ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[\\/:*?"<>|;]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(0, 120);
  if (cleaned) return cleaned;
  const extension = contentType ? EXTENSIONS[contentType] : undefined;
  return `attachment-${attachmentId.slice(0, 8)}${extension ? `.${extension}` : ''}`;
}

/** RFC 6266 with RFC 8187's UTF-8 form: an ASCII fallback and the exact name. */
function dispositionOf(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/[%\\"]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * The bytes of one attachment, for a member of staff who may read contacts. Each opening is
 * recorded on the contact (chain of custody: who opened which file, with its hash). 404 for
 * another force's or an unknown id; 409 while its bytes are not here (still to be fetched, or too
 * large to keep).
 */
export async function openAttachment(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, attachmentId: string): Promise<AttachmentDownload> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await tx
      .selectFrom('attachments as a')
      .innerJoin('messages as m', (join) => join.onRef('m.id', '=', 'a.message_id').onRef('m.force_id', '=', 'a.force_id'))
      .select(['a.id', 'a.message_id', 'a.filename', 'a.detected_type', 'a.sha256', 'a.content', 'a.refusal', 'm.contact_id'])
      .where('a.force_id', '=', forceId)
      .where('a.id', '=', attachmentId)
      .executeTakeFirst();
    if (!row) throw notFound('attachment');
    if (!row.content) {
      throw conflict(
        row.refusal
          ? `the file was not downloaded: ${row.refusal}`
          : row.sha256
          ? 'the file was larger than 10 MB, so only its SHA-256 was kept; ask the sender for it another way'
          : 'the file has not been downloaded from the provider yet (or the download failed); try again later',
      );
    }
    const isShownInPlace = row.detected_type !== null && SHOWN_IN_PLACE.has(row.detected_type);
    const filename = safeFilename(row.filename, row.id, row.detected_type);
    record(
      tx,
      forceId,
      deps.clock,
      attachmentOpened.of({
        actor: { type: 'staff', id: staffId },
        subjectId: row.contact_id,
        data: { attachmentId: row.id, messageId: row.message_id, sha256: row.sha256 },
      }),
    );
    return {
      content: row.content,
      contentType: isShownInPlace && row.detected_type ? row.detected_type : 'application/octet-stream',
      disposition: dispositionOf(isShownInPlace ? 'inline' : 'attachment', filename),
      sha256: row.sha256,
    };
  });
}
