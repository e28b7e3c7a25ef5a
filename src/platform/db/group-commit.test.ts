import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

type Deferred = { resolve(): void; reject(error: unknown): void; promise: Promise<void> };
function deferred(): Deferred {
  let resolve: () => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { resolve, reject, promise };
}

/** Settles pending callbacks and immediates (group commit starts a write after the current turn). */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes a lone item at once, in a group of one', async () => {
    const groups: string[][] = [];
    const commit = new GroupCommit<string, string>({
      maxGroupSize: 10,
      writeGroup: async (_key, items) => {
        groups.push([...items]);
        return items.map((item) => item.toUpperCase());
      },
    });
    await expect(commit.submit('force', 'a')).resolves.toBe('A');
    expect(groups).toEqual([['a']]);
  });

  it('gathers items that arrive while a group is being written into the next group, up to its size', async () => {
    const groups: string[][] = [];
    const gates: Deferred[] = [];
    const commit = new GroupCommit<string, string>({
      maxGroupSize: 3,
      writeGroup: async (_key, items) => {
        groups.push([...items]);
        const gate = deferred();
        gates.push(gate);
        await gate.promise;
        return [...items];
      },
    });
    const first = commit.submit('force', 'a');
    await turn();
    const rest = ['b', 'c', 'd', 'e'].map((item) => commit.submit('force', item));
    await turn();
    expect(groups).toEqual([['a']]);
    gates[0]?.resolve();
    await first;
    await turn();
    expect(groups).toEqual([['a'], ['b', 'c', 'd']]);
    gates[1]?.resolve();
    await turn();
    await turn();
    gates[2]?.resolve();
    await expect(Promise.all(rest)).resolves.toEqual(['b', 'c', 'd', 'e']);
    expect(groups).toEqual([['a'], ['b', 'c', 'd'], ['e']]);
  });

  it('does-not-acknowledge-before-the-group-commits', async () => {
    const gate = deferred();
    const commit = new GroupCommit<string, string>({
      maxGroupSize: 10,
      writeGroup: async (_key, items) => {
        await gate.promise;
        return [...items];
      },
    });
    let settled = false;
    const pending = commit.submit('force', 'a').then((value) => {
      settled = true;
      return value;
    });
    for (let i = 0; i < 5; i += 1) await turn();
    expect(settled).toBe(false);
    gate.resolve();
    await expect(pending).resolves.toBe('a');
  });

  it('retries a failed group item by item, so only the bad item fails and the rest are written', async () => {
    const groups: string[][] = [];
    const gate = deferred();
    const commit = new GroupCommit<string, string>({
      maxGroupSize: 10,
      writeGroup: async (_key, items) => {
        groups.push([...items]);
        if (items[0] === 'first') await gate.promise;
        // A transaction with the bad item in it rolls back as a whole.
        if (items.includes('bad')) throw new Error('refused by the database');
        return [...items];
      },
    });
    const first = commit.submit('force', 'first');
    await turn();
    const results = Promise.allSettled(['x', 'bad', 'y'].map((item) => commit.submit('force', item)));
    gate.resolve();
    await first;
    const settled = await results;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled[1]).toMatchObject({ reason: new Error('refused by the database') });
    expect(groups).toEqual([['first'], ['x', 'bad', 'y'], ['x'], ['bad'], ['y']]);
  });

  it('keeps keys apart: a slow force does not hold up another', async () => {
    const gate = deferred();
    const commit = new GroupCommit<string, string>({
      maxGroupSize: 10,
      writeGroup: async (key, items) => {
        if (key === 'slow') await gate.promise;
        return items.map((item) => `${key}:${item}`);
      },
    });
    const slow = commit.submit('slow', 'a');
    await expect(commit.submit('fast', 'b')).resolves.toBe('fast:b');
    gate.resolve();
    await expect(slow).resolves.toBe('slow:a');
    expect(commit.waitingCount).toBe(0);
  });
});
