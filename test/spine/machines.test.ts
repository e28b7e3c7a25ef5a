import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { EVENT_CATALOGUE } from '../../src/capabilities/audit/catalogue.events.ts';

// The house rule of docs/ARCHITECTURE.md: every record that changes state has a state machine, and
// each of its moves appends exactly one event of the catalogue. Every `*.machine.ts` of src/ is
// found on disk (a new one cannot be left out) and read through the description it exports as
// `MACHINE` (src/platform/state-machine.ts). For each: every event a move names is catalogued,
// every state a move starts from or leads to is declared, every declared state but those a record
// begins in is reached by some move, and each move names one event (one per kind, for a machine
// whose events depend on its record's kind).
//
// The other way round, each machine names the prefixes of the events about its record (`contact.`)
// and lists those events that are not moves (a note, a message, a staff member opening it), each
// with why; every catalogued event of those prefixes is then a move of some machine or on such a
// list, so an event that changes a record's state outside its machine stands out here. A list is
// written by hand: this test does not read whether code records each event.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const CATALOGUED = new Set<string>(EVENT_CATALOGUE.map((definition) => definition.type));

const eventType = z.string().regex(/^[a-z_]+\.[a-z_]+$/);
const move = z.union([
  z.strictObject({ from: z.array(z.string()).min(1), to: z.union([z.array(z.string()).min(1), z.literal('same')]), event: eventType }),
  z.strictObject({ from: z.array(z.string()).min(1), to: z.union([z.array(z.string()).min(1), z.literal('same')]), events: z.record(z.string(), eventType) }),
]);
const description = z.strictObject({
  states: z.array(z.string()).min(1),
  initial: z.array(z.string()).min(1),
  kinds: z.array(z.string()).min(1).optional(),
  moves: z.record(z.string(), move),
  owns: z.array(z.string().regex(/^[a-z_]+\.$/)).min(1),
  otherEvents: z.record(eventType, z.string().min(1)),
});
type Machine = z.infer<typeof description>;

function listMachineFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listMachineFiles(full);
    return entry.name.endsWith('.machine.ts') ? [full] : [];
  });
}

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const files = listMachineFiles(SRC).sort();

/** Each machine file's description, or why it could not be read. */
const machines = new Map<string, Machine | string>(
  await Promise.all(
    files.map(async (file): Promise<[string, Machine | string]> => {
      const exported: Record<string, unknown> = await import(pathToFileURL(file).href);
      if (!('MACHINE' in exported)) return [rel(file), 'exports no MACHINE'];
      const read = description.safeParse(exported.MACHINE);
      return [rel(file), read.success ? read.data : `MACHINE is not a description: ${read.error.message}`];
    }),
  ),
);
const readable = [...machines].flatMap(([file, machine]) => (typeof machine === 'string' ? [] : [[file, machine] as const]));

/** The events a move names, one per kind for a machine whose events depend on the kind. */
const eventsOf = (spec: Machine['moves'][string]) => ('event' in spec ? [spec.event] : Object.values(spec.events));
const destinations = (spec: Machine['moves'][string]) => (spec.to === 'same' ? spec.from : spec.to);

/** Each machine's finding as `file: move: what is wrong`, for a list that reads as the failure. */
function findingsOf(check: (machine: Machine) => string[]): string[] {
  return readable.flatMap(([file, machine]) => check(machine).map((finding) => `${file}: ${finding}`));
}

describe('every state machine', () => {
  it('finds-every-machine-file-of-src', () => {
    // The twelve there were when this test was written; more is fine, fewer means the search broke.
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it('exports-a-readable-description-from-every-machine-file', () => {
    expect([...machines].flatMap(([file, machine]) => (typeof machine === 'string' ? [`${file}: ${machine}`] : []))).toEqual([]);
  });

  it('names-only-events-in-the-catalogue', () => {
    const findings = findingsOf((machine) =>
      Object.entries(machine.moves).flatMap(([name, spec]) => eventsOf(spec).filter((type) => !CATALOGUED.has(type)).map((type) => `${name}: ${type} is not in the event catalogue`)),
    );
    expect(findings).toEqual([]);
  });

  it('moves-only-between-declared-states', () => {
    const findings = findingsOf((machine) => {
      const states = new Set(machine.states);
      const strays = machine.initial.filter((state) => !states.has(state)).map((state) => `initial state ${state} is not declared`);
      return strays.concat(
        Object.entries(machine.moves).flatMap(([name, spec]) =>
          [...spec.from.map((state) => ['from', state]), ...(spec.to === 'same' ? [] : spec.to.map((state) => ['to', state]))]
            .filter(([, state]) => !states.has(state ?? ''))
            .map(([end, state]) => `${name}: ${end} ${state} is not a declared state`),
        ),
      );
    });
    expect(findings).toEqual([]);
  });

  it('reaches-every-declared-state-from-where-a-record-begins', () => {
    const findings = findingsOf((machine) => {
      const reached = new Set(machine.initial);
      for (let grown = true; grown; ) {
        grown = false;
        for (const spec of Object.values(machine.moves)) {
          if (!spec.from.some((state) => reached.has(state))) continue;
          for (const state of destinations(spec)) {
            if (!reached.has(state)) {
              reached.add(state);
              grown = true;
            }
          }
        }
      }
      return machine.states.filter((state) => !reached.has(state)).map((state) => `state ${state} is reached by no move`);
    });
    expect(findings).toEqual([]);
  });

  it('names-one-event-for-each-move-and-each-kind-it-applies-to', () => {
    const findings = findingsOf((machine) => {
      const kinds = machine.kinds;
      return Object.entries(machine.moves).flatMap(([name, spec]): string[] => {
        if ('event' in spec) return kinds ? [`${name}: names one event for every kind; the machine's events depend on the kind`] : [];
        if (!kinds) return [`${name}: names events by kind, and the machine declares no kinds`];
        const named = Object.keys(spec.events);
        if (named.length === 0) return [`${name}: names no event`];
        return named.filter((kind) => !kinds.includes(kind)).map((kind) => `${name}: ${kind} is not a declared kind`);
      });
    });
    expect(findings).toEqual([]);
    // And no kind is left out by every move: an alert of that kind could never be raised.
    const idle = findingsOf((machine) => (machine.kinds ?? []).filter((kind) => !Object.values(machine.moves).some((spec) => 'events' in spec && kind in spec.events)).map((kind) => `kind ${kind} has no move`));
    expect(idle).toEqual([]);
  });

  it('accounts-for-every-catalogued-event-about-a-machines-record', () => {
    const named = new Map<string, string[]>();
    const others = new Map<string, string[]>();
    for (const [file, machine] of readable) {
      for (const spec of Object.values(machine.moves)) for (const type of eventsOf(spec)) named.set(type, [...(named.get(type) ?? []), file]);
      for (const type of Object.keys(machine.otherEvents)) others.set(type, [...(others.get(type) ?? []), file]);
    }
    const prefixes = [...new Set(readable.flatMap(([, machine]) => machine.owns))];
    const unaccounted = [...CATALOGUED]
      .filter((type) => prefixes.some((prefix) => type.startsWith(prefix)))
      .filter((type) => !named.has(type) && !others.has(type))
      .map((type) => `${type} is about a record with a machine, and is neither a move of it nor listed as another event`);
    expect(unaccounted).toEqual([]);
    // A listed event must be catalogued, about the machine's own record, and not a move after all.
    const misplaced = findingsOf((machine) =>
      Object.keys(machine.otherEvents).flatMap((type) => {
        if (!CATALOGUED.has(type)) return [`other event ${type} is not in the event catalogue`];
        if (!machine.owns.some((prefix) => type.startsWith(prefix))) return [`other event ${type} is not about its record (${machine.owns.join(', ')})`];
        if (named.has(type)) return [`other event ${type} is a move of ${(named.get(type) ?? []).join(', ')}`];
        return [];
      }),
    );
    expect(misplaced).toEqual([]);
  });
});
