import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine } from '../../platform/state-machine.ts';

/**
 * The outbox message's state machine. Pure: it reads nothing and writes nothing. A message waits
 * (pending) until a provider takes it (sent) and says it arrived (delivered); the portal inbox
 * delivers at once, a letter waits in the print queue (held) until staff mark it printed. A channel
 * that fails for good moves it to the next channel the person allows (pending again), or, with none
 * left, fails it. One not yet sent may be withdrawn. Delivered and withdrawn are final; failed is
 * final for the machinery, but staff may send it again once the cause is mended (decision 0058),
 * from the person's first channel; one failed with its outcome unknown may be found to have gone
 * after all, and stays failed (decisions 0173, 0176). Each move appends exactly one event type. The repository's
 * statements apply these moves with the same `from` states in their `where`, so a move two
 * workers race for applies once.
 */

export const OUTBOX_STATUSES = ['pending', 'sent', 'delivered', 'failed', 'held', 'suppressed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Each move, the states it may start from, the state it leads to, and the one event it appends. */
export const OUTBOX_MOVES = {
  /** A provider took it. */
  send: { from: ['pending'], to: 'sent', event: 'outbox.sent' },
  /** It reached the person: a provider's receipt, the portal inbox, a letter printed. */
  deliver: { from: ['pending', 'sent', 'held'], to: 'delivered', event: 'outbox.delivered' },
  /** It waits for a person: a letter to print, no provider for its channel. */
  hold: { from: ['pending'], to: 'held', event: 'outbox.held' },
  /** A hold's reason is gone (a provider connected): it goes. */
  release: { from: ['held'], to: 'pending', event: 'outbox.released' },
  /** Its delivery ran before its time: it goes then. */
  defer: { from: ['pending'], to: 'pending', event: 'outbox.deferred' },
  /** Its channel failed for good; the next one the person allows is tried. */
  fall_back: { from: ['pending', 'sent', 'held'], to: 'pending', event: 'outbox.fell_back' },
  /** Its channel failed for good and none is left. */
  fail: { from: ['pending', 'sent', 'held'], to: 'failed', event: 'outbox.failed' },
  /** Taken back before it went. */
  withdraw: { from: ['pending', 'held'], to: 'suppressed', event: 'outbox.withdrawn' },
  /** Staff send a failed message again, from the person's first channel as they are now. */
  send_again: { from: ['failed'], to: 'pending', event: 'outbox.sent_again' },
  /**
   * Failed with its outcome unknown, it went after all (decision 0173): the run that stopped records,
   * late, that the provider took it; then the provider's receipt says it reached the person. It
   * stays failed, so what followed its failure stands; staff read that it went.
   */
  sent_after_all: { from: ['failed'], to: 'failed', event: 'outbox.sent_after_all' },
  deliver_after_all: { from: ['failed'], to: 'failed', event: 'outbox.delivered_after_all' },
  /**
   * Taken after all, it did not reach the person: the provider's receipt says the carrier could not
   * deliver it (decision 0176). It stays failed; staff read that the person does not have it.
   */
  undeliver_after_all: { from: ['failed'], to: 'failed', event: 'outbox.undelivered_after_all' },
} as const satisfies Record<string, { from: readonly OutboxStatus[]; to: OutboxStatus; event: `outbox.${string}` }>;

export type OutboxMove = keyof typeof OUTBOX_MOVES;

/** The machine as the house test reads it: a message is queued pending, by the change that sends it (a reply, a journey). */
export const MACHINE = describeMachine({
  states: OUTBOX_STATUSES,
  initial: ['pending'],
  moves: Object.fromEntries(Object.entries(OUTBOX_MOVES).map(([name, spec]) => [name, { from: spec.from, to: [spec.to], event: spec.event }])),
  owns: ['outbox.'],
  otherEvents: {},
});

/** Why a move was refused, stable for code and tests; the message is for the member of staff. */
export type OutboxRefusal = 'wrong_status';

/** A move the machine refuses: a 409 `conflict` whose message says why. */
export class OutboxMoveRefused extends MoveRefused<OutboxRefusal> {
  override name = 'OutboxMoveRefused';
}

/** What each move is, in the words of a refusal ("cannot be …"). */
const MOVE_WORDS: Record<OutboxMove, string> = {
  send: 'sent',
  deliver: 'delivered',
  hold: 'held',
  release: 'released',
  defer: 'deferred',
  fall_back: 'moved to its next channel',
  fail: 'failed',
  withdraw: 'withdrawn',
  send_again: 'sent again',
  sent_after_all: 'recorded sent after all',
  deliver_after_all: 'recorded delivered after all',
  undeliver_after_all: 'recorded not delivered after all',
};

/** Where a message in each status stands, in the words of a refusal. */
const STANDING: Record<OutboxStatus, string> = {
  pending: 'it has not failed, it is waiting to be sent (sent again already, or waiting for its time)',
  sent: 'it has not failed, a provider took it and has not reported that it could not deliver it',
  delivered: 'it was delivered',
  failed: 'it has failed',
  held: 'it has not failed, it is held',
  suppressed: 'it was withdrawn and must not be sent',
};

/**
 * Where a message stands, in the words of a refused withdrawal: the words above answer someone
 * sending a failed message again ("it has not failed, …"); someone withdrawing one asks whether
 * it has gone.
 */
const STANDING_WHEN_WITHDRAWN: Partial<Record<OutboxStatus, string>> = {
  sent: 'it has gone, a provider took it',
  failed: 'it has failed, so it will not be sent unless someone sends it again',
  suppressed: 'it was withdrawn already',
};

/** Whether the move may start from this status. */
export function canMoveOutbox(status: OutboxStatus, move: OutboxMove): boolean {
  return (OUTBOX_MOVES[move].from as readonly OutboxStatus[]).includes(status);
}

/**
 * Applies one move to a message in `status` (with why it is held, for the refusal's words): the
 * status it leads to and the event type to append, or throws the refusal.
 */
export function moveOutbox<M extends OutboxMove>(status: OutboxStatus, move: M, heldFor: string | null = null): (typeof OUTBOX_MOVES)[M] {
  if (!canMoveOutbox(status, move)) {
    const held = status === 'held' && heldFor ? ` (${heldFor})` : '';
    const standing = (move === 'withdraw' ? STANDING_WHEN_WITHDRAWN[status] : undefined) ?? STANDING[status];
    throw new OutboxMoveRefused('wrong_status', `This message cannot be ${MOVE_WORDS[move]}: ${standing}${held}.`);
  }
  return OUTBOX_MOVES[move];
}
