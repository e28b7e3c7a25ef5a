/**
 * Where a file the public sent stands: the attachment's state machine. Pure: it reads nothing and
 * writes nothing. A file that came with its message is stored as it arrives; one the provider
 * only linked to waits, `linked`, for its fetch job, which either stores it (its SHA-256 at
 * capture, its size and what its bytes are; the bytes themselves only up to the most kept) or
 * refuses it for good with a reason staff read beside the message. Each move appends exactly one
 * event, and a stored or refused file never moves again.
 */

export const ATTACHMENT_STATUSES = ['linked', 'stored', 'refused'] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** Each move, the state it starts from, the state it leads to, and the one event it appends. */
export const ATTACHMENT_MOVES = {
  /** Downloaded and hashed (its bytes kept when small enough). */
  store: { from: ['linked'], to: 'stored', event: 'attachment.stored' },
  /** Not downloaded, for good: refused by a check, or the provider kept failing. */
  refuse: { from: ['linked'], to: 'refused', event: 'attachment.refused' },
} as const satisfies Record<string, { from: readonly AttachmentStatus[]; to: AttachmentStatus; event: `attachment.${string}` }>;

export type AttachmentMove = keyof typeof ATTACHMENT_MOVES;

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
