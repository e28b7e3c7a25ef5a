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
      return !hasSuffix(to, PUBLIC_SUFFIXES);
    });
    expect(wrong.map(({ from, to }) => `${rel(from)} reaches into ${rel(to)}`)).toEqual([]);
  });

  it('keeps-contracts-free-of-use-cases', () => {
    const wrong = imports.filter(({ from, to }) => hasSuffix(from, CONTRACT_SUFFIXES) && to.endsWith('.service.ts'));
    expect(wrong.map(({ from, to }) => `${rel(from)} imports ${rel(to)}`)).toEqual([]);
  });

  it('runs-use-cases-one-way-between-capabilities', () => {
    // An edge A -> B for every use case of B that a file of A calls; contracts do not count (they
    // may be shared both ways, and the file-cycle check above covers them).
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
    const cycles = findCycles(roomGraph).map((cycle) =>
      cycle
        .slice(1)
        .map((room, i) => examples.get(`${cycle[i] ?? ''} -> ${room}`) ?? `${cycle[i] ?? ''} -> ${room}`)
        .join('; '),
    );
    expect(cycles).toEqual([]);
  });
});
