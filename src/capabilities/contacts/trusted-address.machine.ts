import { MoveRefused } from '../../platform/errors.ts';
import { describeMachine } from '../../platform/state-machine.ts';

/**
 * Whether a force trusts an email address with more portal acknowledgements a day (decision
 * 0166): the trusted address's state machine. Pure. An address is trusted (a row in
 * `acknowledgement_trusted_addresses`) or not (no row); a force admin adds it and removes it, each
 * move one event. Adding an address trusted already is not a move: the request is answered with
 * the address as it stands and nothing is recorded, so a retried request changes nothing.
 */

export const TRUSTED_ADDRESS_STATES = ['not_trusted', 'trusted'] as const;
export type TrustedAddressState = (typeof TRUSTED_ADDRESS_STATES)[number];

/** Each move, the states it may start from, the state it leads to, and the one event it appends. */
export const TRUSTED_ADDRESS_MOVES = {
  /** A force admin trusted the address. */
  add: { from: ['not_trusted'], to: 'trusted', event: 'trusted_address.added' },
  /** A force admin stopped trusting it: it is sent the allowance of any other address again. */
  remove: { from: ['trusted'], to: 'not_trusted', event: 'trusted_address.removed' },
} as const satisfies Record<string, { from: readonly TrustedAddressState[]; to: TrustedAddressState; event: `trusted_address.${string}` }>;

export type TrustedAddressMove = keyof typeof TRUSTED_ADDRESS_MOVES;

export const MACHINE = describeMachine({
  states: [...TRUSTED_ADDRESS_STATES],
  initial: ['not_trusted'],
  moves: Object.fromEntries(Object.entries(TRUSTED_ADDRESS_MOVES).map(([name, spec]) => [name, { from: spec.from, to: [spec.to], event: spec.event }])),
  owns: ['trusted_address.'],
  otherEvents: {},
});

/** Why a move was refused, stable for code and tests. */
export type TrustedAddressRefusal = 'already_trusted' | 'not_trusted';

export class TrustedAddressMoveRefused extends MoveRefused<TrustedAddressRefusal> {
  override name = 'TrustedAddressMoveRefused';
}

/** Whether the move may start from this state. */
export function canMoveTrustedAddress(state: TrustedAddressState, move: TrustedAddressMove): boolean {
  return (TRUSTED_ADDRESS_MOVES[move].from as readonly TrustedAddressState[]).includes(state);
}

/** Applies one move: the state it leads to and its event type, or throws the refusal. */
export function moveTrustedAddress<M extends TrustedAddressMove>(state: TrustedAddressState, move: M): (typeof TRUSTED_ADDRESS_MOVES)[M] {
  if (canMoveTrustedAddress(state, move)) return TRUSTED_ADDRESS_MOVES[move];
  if (state === 'trusted') throw new TrustedAddressMoveRefused('already_trusted', 'This address is already a trusted reporting address.');
  throw new TrustedAddressMoveRefused('not_trusted', 'This address is not one of the trusted reporting addresses: there is nothing to remove.');
}
