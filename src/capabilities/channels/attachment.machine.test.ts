import { describe, expect, it } from 'vitest';
import { ATTACHMENT_MOVES, ATTACHMENT_STATUSES, attachmentState, canMoveAttachment, retryRefusal } from './attachment.machine.ts';
import { stateOf } from './attachment-views.service.ts';
import { CHANNEL_EVENTS } from './channel.events.ts';

describe('the attachment machine', () => {
  it('reads-a-row-as-linked-stored-or-refused', () => {
    expect(attachmentState({ sha256: '', refusal: null })).toBe('linked');
    expect(attachmentState({ sha256: 'a'.repeat(64), refusal: null })).toBe('stored');
    expect(attachmentState({ sha256: '', refusal: 'its SHA-256 is not the one Meta gave for it' })).toBe('refused');
  });

  it('stores-or-refuses-only-a-linked-attachment-and-tries-again-only-a-refused-one', () => {
    for (const status of ATTACHMENT_STATUSES) {
      expect(canMoveAttachment(status, 'store')).toBe(status === 'linked');
      expect(canMoveAttachment(status, 'refuse')).toBe(status === 'linked');
      expect(canMoveAttachment(status, 'retry')).toBe(status === 'refused');
    }
  });

  it('tries-again-only-a-refusal-because-the-provider-could-not-be-reached', () => {
    expect(retryRefusal({ sha256: '', refusal: 'Meta could not be reached after 6 attempts', refusal_kind: 'unreachable' })).toBeNull();
    expect(retryRefusal({ sha256: '', refusal: 'the link was refused: private address', refusal_kind: 'checks' })).toMatch(/refused by a check.*private address/);
    expect(retryRefusal({ sha256: '', refusal: null, refusal_kind: null })).toMatch(/already being fetched/);
    expect(retryRefusal({ sha256: 'a'.repeat(64), refusal: null, refusal_kind: null })).toMatch(/already downloaded/);
  });

  it('gives-staff-the-machine’s-state-never-a-reading-of-its-own', () => {
    const rows = [
      { sha256: '', refusal: null, has_content: false },
      { sha256: '', refusal: 'unreachable', has_content: false },
      { sha256: 'a'.repeat(64), refusal: null, has_content: true },
      { sha256: 'a'.repeat(64), refusal: null, has_content: false },
      // Not a row the machine writes, but one the view must not read differently from it.
      { sha256: '', refusal: null, has_content: 1 },
    ];
    const asMachine = { stored: ['stored', 'too_large'], linked: ['fetching'], refused: ['refused'] } as const;
    for (const row of rows) expect(asMachine[attachmentState(row)]).toContain(stateOf(row));
    expect(rows.map(stateOf)).toEqual(['fetching', 'refused', 'stored', 'too_large', 'fetching']);
  });

  it('appends-for-each-move-an-event-the-catalogue-defines', () => {
    const types = new Set(CHANNEL_EVENTS.map((event) => event.type));
    for (const move of Object.values(ATTACHMENT_MOVES)) expect(types.has(move.event)).toBe(true);
  });
});
