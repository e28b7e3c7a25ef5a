import { describeMachine } from '../../platform/state-machine.ts';

/**
 * Where a file the public sent stands: the attachment's state machine. Pure: it reads nothing and
 * writes nothing. A file that came with its message is stored as it arrives; one the provider
 * only linked to waits, `linked`, for its fetch job, which either stores it (its SHA-256 at
 * capture, its size and what its bytes are; the bytes themselves only up to the most kept) or
 * refuses it with a reason staff read beside the message. Each move appends exactly one event. A
 * stored file never moves again; a refused one moves again only when staff try it again and it was
 * refused because the provider could not be reached (decision 0106): a check's refusal is for good.
 */

export const ATTACHMENT_STATUSES = ['linked', 'stored', 'refused'] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** Each move, the state it starts from, the state it leads to, and the one event it appends. */
export const ATTACHMENT_MOVES = {
  /** Downloaded and hashed (its bytes kept when small enough). */
  store: { from: ['linked'], to: 'stored', event: 'attachment.stored' },
  /** Not downloaded, for good: refused by a check, or the provider kept failing. */
  refuse: { from: ['linked'], to: 'refused', event: 'attachment.refused' },
  /** Staff try again a download the provider kept failing: linked, its fetch job queued anew. */
  retry: { from: ['refused'], to: 'linked', event: 'attachment.retried' },
} as const satisfies Record<string, { from: readonly AttachmentStatus[]; to: AttachmentStatus; event: `attachment.${string}` }>;

export type AttachmentMove = keyof typeof ATTACHMENT_MOVES;

/** The machine as the house test reads it: a file is stored with its message, or linked for its fetch job. */
export const MACHINE = describeMachine({
  states: ATTACHMENT_STATUSES,
  initial: ['linked', 'stored'],
  moves: Object.fromEntries(Object.entries(ATTACHMENT_MOVES).map(([name, spec]) => [name, { from: spec.from, to: [spec.to], event: spec.event }])),
  owns: ['attachment.'],
  otherEvents: { 'attachment.opened': 'a member of staff opened the file: a read kept for the chain of custody, its state stays' },
});

/**
 * The state of an attachment from its row: hashed is stored (a file that came with its message is
 * hashed as it is stored), refused has its reason, and anything else waits on its link.
 */
export function attachmentState(row: { sha256: string; refusal: string | null }): AttachmentStatus {
  if (row.sha256 !== '') return 'stored';
  return row.refusal !== null ? 'refused' : 'linked';
}

/** Whether a move may start from a state. */
export function canMoveAttachment(status: AttachmentStatus, move: AttachmentMove): boolean {
  return (ATTACHMENT_MOVES[move].from as readonly AttachmentStatus[]).includes(status);
}

/** Why a refusal was made: the provider could not be reached, or a check refused the file. */
export type RefusalKind = 'unreachable' | 'checks';

/**
 * Why staff may not try this attachment again, or null when they may: only a refused one, and only
 * when the provider could not be reached. A check's refusal (a link into our own network, a hash
 * that does not match, a file too large or of a kind the channel does not carry) stands.
 */
export function retryRefusal(row: { sha256: string; refusal: string | null; refusal_kind: RefusalKind | null }): string | null {
  const status = attachmentState(row);
  if (!canMoveAttachment(status, 'retry')) return status === 'linked' ? 'the file is already being fetched from the provider' : 'the file is already downloaded';
  if (row.refusal_kind !== 'unreachable') return `the file was refused by a check, which trying again would not change: ${row.refusal ?? ''}`;
  return null;
}
