import type { MachineDescription } from '../src/platform/state-machine.ts';

/**
 * Where a machine's description (its `MACHINE`) and its code disagree: every sample of every state
 * is taken through every sample of every move by the machine's own function. A move is allowed
 * from a state when it is allowed for some sample of it, and must then be allowed by the
 * description too (and refused where the description does not start it); each allowed move must
 * lead where the description says and append the event it names. `notWalked` names the described
 * moves the function does not make (set-based statements, a row's insert), each kept out on purpose.
 */
export function machineDisagreements<S extends string, State, Move>(
  machine: MachineDescription<S>,
  walk: {
    states: Record<S, readonly State[]>;
    moves: Record<string, readonly Move[]>;
    /** The move's result by the machine's function: where it leads and its event, or null when refused. */
    apply: (state: State, move: Move) => { to: S; event: string } | null;
    notWalked?: readonly string[];
  },
): string[] {
  const findings: string[] = [];
  const described = Object.keys(machine.moves);
  for (const name of Object.keys(walk.moves)) if (!described.includes(name)) findings.push(`${name}: a move of the code the description leaves out`);
  for (const [name, spec] of Object.entries(machine.moves)) {
    if (walk.notWalked?.includes(name)) continue;
    const samples = walk.moves[name];
    if (!samples) {
      findings.push(`${name}: a described move with no sample to walk`);
      continue;
    }
    const event = 'event' in spec ? spec.event : null;
    for (const state of machine.states) {
      const results = walk.states[state].flatMap((sample) => samples.map((move) => walk.apply(sample, move)));
      const allowed = results.some((result) => result !== null);
      if (allowed !== spec.from.includes(state)) findings.push(`${name} from ${state}: the code ${allowed ? 'allows' : 'refuses'} it, the description ${allowed ? 'does not' : 'does'}`);
      for (const result of results) {
        if (result === null) continue;
        const to: readonly S[] = spec.to === 'same' ? [state] : spec.to;
        if (!to.includes(result.to)) findings.push(`${name} from ${state}: the code leads to ${result.to}, the description to ${to.join(' or ')}`);
        if (event !== null && result.event !== event) findings.push(`${name} from ${state}: the code appends ${result.event}, the description ${event}`);
      }
    }
  }
  return [...new Set(findings)];
}
