/**
 * What every record's state machine says of itself, in one shape whatever shape its code has:
 * its states, its moves (where each may start, where it may lead, and the one event it appends)
 * and the events about its record that are not moves. Each `x.machine.ts` exports one as
 * `MACHINE`, built from the tables its own functions use, so the house test that checks every
 * machine against the event catalogue reads them all the same way. Describing changes nothing:
 * the machine's functions decide; the description says what they allow.
 */

/** One move: the states it may start from, those it may lead to (`same`: where it started), and its one event. */
export type MoveDescription<S extends string = string> = {
  readonly from: readonly S[];
  readonly to: readonly S[] | 'same';
} & (
  | { readonly event: string }
  /** For a machine whose events depend on the record's kind: the one event for each kind the move applies to. */
  | { readonly events: Readonly<Record<string, string>> }
);

export type MachineDescription<S extends string = string> = {
  /** Every state a record can stand in, the ones it begins in too. */
  readonly states: readonly S[];
  /**
   * Where a record stands before any move of its own: `new` (not stored yet), or the state it is
   * stored in by another record's change (a message queued by a journey, a file with its message).
   */
  readonly initial: readonly S[];
  /** For a machine whose events depend on the record's kind: every kind. */
  readonly kinds?: readonly string[];
  readonly moves: Readonly<Record<string, MoveDescription<S>>>;
  /** The event types about this record, by prefix (`contact.`): each is a move's, or one of `otherEvents`. */
  readonly owns: readonly string[];
  /** The events of those prefixes that are not moves of this record's state, each with why. */
  readonly otherEvents: Readonly<Record<string, string>>;
};

/** A machine's description, with its states' names kept for the moves' types. */
export function describeMachine<const S extends string>(description: MachineDescription<S>): MachineDescription<S> {
  return description;
}
