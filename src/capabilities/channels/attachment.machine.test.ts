import { describe, expect, it } from 'vitest';
import { ATTACHMENT_MOVES, ATTACHMENT_STATUSES, attachmentState, canMoveAttachment } from './attachment.machine.ts';
import { CHANNEL_EVENTS } from './channel.events.ts';

describe('the attachment machine', () => {
  it('reads-a-row-as-linked-stored-or-refused', () => {
    expect(attachmentState({ sha256: '', refusal: null })).toBe('linked');
    expect(attachmentState({ sha256: 'a'.repeat(64), refusal: null })).toBe('stored');
    expect(attachmentState({ sha256: '', refusal: 'its SHA-256 is not the one Meta gave for it' })).toBe('refused');
  });

  it('moves-only-a-linked-attachment-and-never-a-settled-one-again', () => {
    for (const status of ATTACHMENT_STATUSES) {
      expect(canMoveAttachment(status, 'store')).toBe(status === 'linked');
      expect(canMoveAttachment(status, 'refuse')).toBe(status === 'linked');
    }
  });

  it('appends-for-each-move-an-event-the-catalogue-defines', () => {
    const types = new Set(CHANNEL_EVENTS.map((event) => event.type));
    for (const move of Object.values(ATTACHMENT_MOVES)) expect(types.has(move.event)).toBe(true);
  });
});
