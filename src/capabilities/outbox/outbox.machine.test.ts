import { describe, expect, it } from 'vitest';
import { OUTBOX_MOVES, OUTBOX_STATUSES, OutboxMoveRefused, canMoveOutbox, moveOutbox } from './outbox.machine.ts';

describe('the outbox message state machine', () => {
  it('sends-again-only-a-failed-message-back-to-pending-with-its-event', () => {
    expect(moveOutbox('failed', 'send_again')).toMatchObject({ to: 'pending', event: 'outbox.sent_again' });
    expect(OUTBOX_STATUSES.filter((status) => canMoveOutbox(status, 'send_again'))).toEqual(['failed']);
  });

  it('refuses-to-send-again-every-other-status-saying-why', () => {
    const reasons = OUTBOX_STATUSES.filter((status) => status !== 'failed').map((status) => {
      try {
        moveOutbox(status, 'send_again', 'letter: print queue');
        return `${status}: allowed`;
      } catch (error) {
        expect(error).toBeInstanceOf(OutboxMoveRefused);
        expect(error).toMatchObject({ code: 'conflict', refusal: 'wrong_status' });
        return `${status}: ${error instanceof Error ? error.message : ''}`;
      }
    });
    expect(reasons).toEqual([
      'pending: This message cannot be sent again: it has not failed, it is waiting to be sent (sent again already, or waiting for its time).',
      'sent: This message cannot be sent again: it has not failed, a provider took it and has not reported that it could not deliver it.',
      'delivered: This message cannot be sent again: it was delivered.',
      'held: This message cannot be sent again: it has not failed, it is held (letter: print queue).',
      'suppressed: This message cannot be sent again: it was withdrawn and must not be sent.',
    ]);
  });

  it('withdraws-only-a-message-not-yet-gone-and-says-why-not-for-the-others', () => {
    expect(moveOutbox('pending', 'withdraw')).toMatchObject({ to: 'suppressed', event: 'outbox.withdrawn' });
    expect(OUTBOX_STATUSES.filter((status) => canMoveOutbox(status, 'withdraw'))).toEqual(['pending', 'held']);
    const reasons = ['sent', 'delivered', 'failed', 'suppressed'] as const;
    const refusals = reasons.map((status) => {
      try {
        moveOutbox(status, 'withdraw');
        return 'allowed';
      } catch (error) {
        return error instanceof OutboxMoveRefused ? error.message : 'other';
      }
    });
    expect(refusals).toEqual([
      'This message cannot be withdrawn: it has gone, a provider took it.',
      'This message cannot be withdrawn: it was delivered.',
      'This message cannot be withdrawn: it has failed, so it will not be sent unless someone sends it again.',
      'This message cannot be withdrawn: it was withdrawn already.',
    ]);
  });

  it('records-a-failed-message-going-after-all-only-from-failed-and-leaves-it-failed', () => {
    expect(moveOutbox('failed', 'sent_after_all')).toMatchObject({ to: 'failed', event: 'outbox.sent_after_all' });
    expect(moveOutbox('failed', 'deliver_after_all')).toMatchObject({ to: 'failed', event: 'outbox.delivered_after_all' });
    for (const move of ['sent_after_all', 'deliver_after_all'] as const) {
      expect(OUTBOX_STATUSES.filter((status) => canMoveOutbox(status, move))).toEqual(['failed']);
    }
    expect(() => moveOutbox('sent', 'deliver_after_all')).toThrow('This message cannot be recorded delivered after all: it has not failed');
  });

  it('keeps-delivered-and-withdrawn-final', () => {
    for (const status of ['delivered', 'suppressed']) {
      const moves = Object.entries(OUTBOX_MOVES).filter(([, move]) => (move.from as readonly string[]).includes(status));
      expect(moves).toEqual([]);
    }
  });
});
