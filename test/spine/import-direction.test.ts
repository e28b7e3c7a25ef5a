import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import rule of docs/ARCHITECTURE.md and docs/decisions/0018, checked on every file of src/.
// Imports are read with the TypeScript compiler's own pre-processor, so `import type`, re-exports
// and dynamic imports all count, and nothing is missed by a regular expression.

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** What another capability (or the portal) may import of a capability: its use cases and its contracts. */
const PUBLIC_SUFFIXES = ['.service.ts', '.schema.ts', '.machine.ts', '.events.ts'];
/** Contracts: imported in either direction, so they must not pull a use case in behind them. */
const CONTRACT_SUFFIXES = ['.schema.ts', '.machine.ts', '.events.ts'];
/** Use cases: the only files of a room that may call another room's repository, and only where a service would be a cycle (decisions 0023, 0181). */
const USE_CASE_SUFFIXES = ['.service.ts', '.jobs.ts'];
const REPOSITORY_SUFFIX = '.repository.ts';
/** Tables whose every query lives in the repositories of one room (decision 0023). */
const OWNED_TABLES = new Map([
  ['contacts', 'contacts'],
  ['messages', 'contacts'],
]);
/**
 * Tables only their room's use cases write (decision 0189) or read (decision 0192): a unit's status
 * and its assignment to an incident move through the units room's machine, whoever asked for the
 * move, and another room asks the units room its question rather than joining the tables itself.
 */
const KEPT_IN_ROOM = new Map([
  ['units', 'units'],
  ['unit_assignments', 'units'],
]);
const WRITES = new Set(['insertInto', 'updateTable', 'deleteFrom', 'mergeInto', 'replaceInto', 'raw SQL']);
/** Query builder calls that start a statement on a table. */
const QUERY_STARTS = new Set(['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'mergeInto', 'replaceInto']);
/** Query builder calls that join a table into a statement started on another. */
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral', 'crossJoinLateral']);
/** Raw SQL that reads or writes a table. */
const RAW_STATEMENT = /\b(?:from|update|into)\s+("?)(\w+)\1/gi;
/** Raw SQL that joins a table into a statement on another. */
const RAW_JOIN = /\bjoin\s+("?)(\w+)\1/gi;

type Area = { kind: 'platform' | 'portal' | 'root' } | { kind: 'capability'; name: string };

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const isTest = (file: string) => file.endsWith('.test.ts');
const hasSuffix = (file: string, suffixes: readonly string[]) => suffixes.some((suffix) => file.endsWith(suffix));

function areaOf(file: string): Area {
  const [top, name] = rel(file).split('/');
  if (top === 'platform') return { kind: 'platform' };
  if (top === 'portal') return { kind: 'portal' };
  if (top === 'capabilities' && name) return { kind: 'capability', name };
  return { kind: 'root' };
}

/** A node of the capability graph: a capability by name, or the portal. */
const roomOf = (area: Area) => (area.kind === 'capability' ? area.name : area.kind);

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every file of src/ with the files of src/ it imports (packages are left out). */
function readImportGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of listSources(SRC)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = info.importedFiles
      .map((imported) => imported.fileName)
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => path.resolve(path.dirname(file), specifier))
      .filter((target) => !path.relative(SRC, target).startsWith('..'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One cycle through the strongly connected parts of the graph (Tarjan), as a path back to its start. */
function findCycles(graph: Map<string, readonly string[]>): string[][] {
  let index = 0;
  const indexes = new Map<string, number>();
  const lowLinks = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string) => {
    indexes.set(node, index);
    lowLinks.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indexes.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node) ?? 0, lowLinks.get(next) ?? 0));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node) ?? 0, indexes.get(next) ?? 0));
      }
    }
    if (lowLinks.get(node) === indexes.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const isSelfLoop = component.length === 1 && (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || isSelfLoop) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indexes.has(node)) visit(node);
  return components.map((component) => pathBack(graph, new Set(component), [...component].sort()[0] ?? ''));
}

/** The shortest way from `start` back to itself inside one strongly connected part. */
function pathBack(graph: Map<string, readonly string[]>, within: Set<string>, start: string): string[] {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() ?? start;
    for (const next of graph.get(node) ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const trail: string[] = [];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) trail.unshift(at);
        return [start, ...trail, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

const graph = readImportGraph();
const imports = [...graph].flatMap(([from, targets]) => targets.map((to) => ({ from, to })));

/**
 * The arrows between rooms through use cases (rule 5 of decision 0018): A -> B for every use case
 * of B that a file of A calls, with one such import for each arrow; contracts do not count.
 */
function readUseCaseRooms() {
  const rooms = new Map<string, Set<string>>();
  const examples = new Map<string, string>();
  for (const { from, to } of imports) {
    if (isTest(from) || !to.endsWith('.service.ts')) continue;
    const source = areaOf(from);
    const target = areaOf(to);
    if (source.kind === 'root' || target.kind !== 'capability' || roomOf(source) === roomOf(target)) continue;
    const edges = rooms.get(roomOf(source)) ?? new Set<string>();
    edges.add(roomOf(target));
    rooms.set(roomOf(source), edges);
    examples.set(`${roomOf(source)} -> ${roomOf(target)}`, `${rel(from)} imports ${rel(to)}`);
  }
  const roomGraph = new Map([...rooms].map(([room, edges]) => [room, [...edges]]));
  for (const edges of roomGraph.values()) for (const room of edges) if (!roomGraph.has(room)) roomGraph.set(room, []);
  return { roomGraph, examples };
}
const useCaseRooms = readUseCaseRooms();

/**
 * Whether the use cases of room `from` already reach room `to`: then `to` calling a use case of
 * `from` would be a cycle, and its use cases may call `from`'s repository instead (decision 0023).
 * Elsewhere a room reaches another's tables through that room's service (decision 0181).
 */
function reachesBack(from: string, to: string): boolean {
  const seen = new Set([from]);
  const queue = [from];
  for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
    if (room === to) return true;
    for (const next of useCaseRooms.roomGraph.get(room) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}

describe('the direction of imports in src/', () => {
  it('reads the imports of every source file', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get(path.join(SRC, 'app.ts'))?.length).toBeGreaterThan(10);
  });

  it('has-no-import-cycle-between-files', () => {
    const production = new Map([...graph].filter(([file]) => !isTest(file)));
    const cycles = findCycles(production).map((cycle) => cycle.map(rel).join(' -> '));
    expect(cycles).toEqual([]);
  });

  it('keeps-platform-free-of-capabilities-the-portal-and-the-composition-root', () => {
    const wrong = imports.filter(({ from, to }) => areaOf(from).kind === 'platform' && areaOf(to).kind !== 'platform');
    expect(wrong.map(({ from, to }) => `${rel(from)} imports ${rel(to)}`)).toEqual([]);
  });

  it('keeps-capabilities-free-of-the-portal-and-the-composition-root', () => {
    const wrong = imports.filter(({ from, to }) => areaOf(from).kind === 'capability' && ['portal', 'root'].includes(areaOf(to).kind));
    expect(wrong.map(({ from, to }) => `${rel(from)} imports ${rel(to)}`)).toEqual([]);
  });

  it('lets-a-capability-or-the-portal-import-only-the-public-files-of-another-capability', () => {
    const wrong = imports.filter(({ from, to }) => {
      const source = areaOf(from);
      const target = areaOf(to);
      if (target.kind !== 'capability' || (source.kind !== 'capability' && source.kind !== 'portal')) return false;
      if (source.kind === 'capability' && source.name === target.name) return false;
      if (source.kind === 'capability' && to.endsWith(REPOSITORY_SUFFIX) && hasSuffix(from, USE_CASE_SUFFIXES) && reachesBack(target.name, source.name)) return false;
      return !hasSuffix(to, PUBLIC_SUFFIXES);
    });
    expect(wrong.map(({ from, to }) => `${rel(from)} reaches into ${rel(to)}`)).toEqual([]);
  });

  it('lets-a-room-call-another-room-s-repository-only-where-a-cycle-still-forces-it', () => {
    // The rooms whose use cases call another room's repository, because that room's use cases
    // reach them (decisions 0023, 0181). Each pair here is a cycle through services still to end;
    // once it ends, the rule above refuses the imports by itself (cases and contacts: decision 0194).
    const exempted = imports.flatMap(({ from, to }) => {
      const source = areaOf(from);
      const target = areaOf(to);
      if (isTest(from) || source.kind !== 'capability' || target.kind !== 'capability' || source.name === target.name || !to.endsWith(REPOSITORY_SUFFIX)) return [];
      return [`${source.name} -> ${target.name}`];
    });
    expect([...new Set(exempted)].sort()).toEqual(['channels -> contacts', 'channels -> outbox', 'intake -> contacts', 'queue -> contacts']);
  });

  it('keeps-repositories-free-of-use-cases-and-other-rooms', () => {
    // A repository sits below every room's use cases: it imports the platform and its own room's
    // repositories and contracts only, so calling it never adds an arrow between rooms.
    const wrong = imports.filter(({ from, to }) => {
      if (!from.endsWith(REPOSITORY_SUFFIX) || isTest(from)) return false;
      const target = areaOf(to);
      if (target.kind === 'platform') return false;
      return roomOf(target) !== roomOf(areaOf(from)) || !(to.endsWith(REPOSITORY_SUFFIX) || hasSuffix(to, CONTRACT_SUFFIXES));
    });
    expect(wrong.map(({ from, to }) => `${rel(from)} imports ${rel(to)}`)).toEqual([]);
  });

  it('keeps-contracts-free-of-use-cases', () => {
    const wrong = imports.filter(({ from, to }) => hasSuffix(from, CONTRACT_SUFFIXES) && to.endsWith('.service.ts'));
    expect(wrong.map(({ from, to }) => `${rel(from)} imports ${rel(to)}`)).toEqual([]);
  });

  it('runs-use-cases-one-way-between-capabilities', () => {
    // An edge A -> B for every use case of B that a file of A calls; contracts do not count (they
    // may be shared both ways, and the file-cycle check above covers them).
    const { roomGraph, examples } = useCaseRooms;
    const cycles = findCycles(roomGraph).map((cycle) =>
      cycle
        .slice(1)
        .map((room, i) => examples.get(`${cycle[i] ?? ''} -> ${room}`) ?? `${cycle[i] ?? ''} -> ${room}`)
        .join('; '),
    );
    expect(cycles).toEqual([]);
  });
});

/** Every statement of production code that starts on a table or joins one, as `file: table (how)`. */
function findTableStatements(): { file: string; table: string; how: string }[] {
  const found: { file: string; table: string; how: string }[] = [];
  for (const file of graph.keys()) {
    if (isTest(file)) continue;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && (QUERY_STARTS.has(node.expression.name.text) || JOINS.has(node.expression.name.text))) {
        const [first] = node.arguments;
        const names = first && ts.isArrayLiteralExpression(first) ? [...first.elements] : first ? [first] : [];
        for (const name of names) {
          if (ts.isStringLiteralLike(name)) found.push({ file, table: name.text.split(/\s+as\s+/i)[0]?.trim() ?? '', how: node.expression.name.text });
        }
      }
      if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source).startsWith('sql')) {
        for (const match of node.template.getText(source).matchAll(RAW_STATEMENT)) found.push({ file, table: (match[2] ?? '').toLowerCase(), how: 'raw SQL' });
        for (const match of node.template.getText(source).matchAll(RAW_JOIN)) found.push({ file, table: (match[2] ?? '').toLowerCase(), how: 'raw SQL join' });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('the tables owned by a repository', () => {
  const statements = findTableStatements();
  const isRepositoryOf = (file: string, room: string) => {
    const area = areaOf(file);
    return area.kind === 'capability' && area.name === room && file.endsWith(REPOSITORY_SUFFIX);
  };

  it('finds the statements on each owned table in its repositories', () => {
    for (const [table, room] of OWNED_TABLES) {
      const kinds = new Set(statements.filter((s) => s.table === table && isRepositoryOf(s.file, room)).map((s) => s.how));
      expect([table, [...kinds].sort()]).toEqual([table, expect.arrayContaining(['insertInto', 'selectFrom', 'updateTable'])]);
    }
  });

  it('keeps-every-query-of-contacts-and-messages-in-their-repositories', () => {
    // A join from another table's query is a read of that query (decision 0023).
    const wrong = statements.filter(({ file, table, how }) => {
      if (JOINS.has(how) || how === 'raw SQL join') return false;
      const room = OWNED_TABLES.get(table);
      return room !== undefined && !isRepositoryOf(file, room);
    });
    expect(wrong.map(({ file, table, how }) => `${rel(file)}: ${how} on ${table}`)).toEqual([]);
  });
});

describe('the tables only their room writes and reads', () => {
  const statements = findTableStatements();
  const outsideTheirRoom = statements.filter(({ file, table }) => {
    const room = KEPT_IN_ROOM.get(table);
    return room !== undefined && roomOf(areaOf(file)) !== room;
  });

  it('finds the joins of units in the units room', () => {
    const joins = statements.filter(({ file, table, how }) => table === 'units' && JOINS.has(how) && roomOf(areaOf(file)) === 'units');
    expect(joins.length).toBeGreaterThan(0);
  });

  it('writes-units-and-their-assignments-only-in-the-units-room', () => {
    const wrong = outsideTheirRoom.filter(({ how }) => WRITES.has(how));
    expect(wrong.map(({ file, table, how }) => `${rel(file)}: ${how} on ${table}`)).toEqual([]);
  });

  it('reads-units-and-their-assignments-only-in-the-units-room', () => {
    // Started on the table, joined into another's query, or in raw SQL: all are the units room's to
    // answer (decision 0192).
    const wrong = outsideTheirRoom.filter(({ how }) => !WRITES.has(how));
    expect(wrong.map(({ file, table, how }) => `${rel(file)}: ${how} on ${table}`)).toEqual([]);
  });
});
