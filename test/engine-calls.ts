import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { HEARTBEAT_SQL } from '../src/platform/db/notifications.ts';

// Watching the statements the process sends to the database engine, for the tests that count
// calls and for the benchmark's statement tally: PGlite's query and exec, the protocol messages
// our PGlite dialect sends (decision 0048), and node-postgres's query.

/** The statement a protocol message starts by parsing (a Parse message: type, length, name, text), or null. */
export function parsedStatementText(message: Uint8Array): string | null {
  if (message[0] !== 0x50) return null;
  const nameEnd = message.indexOf(0, 5);
  const textEnd = nameEnd < 0 ? -1 : message.indexOf(0, nameEnd + 1);
  return textEnd < 0 ? null : Buffer.from(message.subarray(nameEnd + 1, textEnd)).toString('utf8');
}

/** The statement text of an engine call's first argument: a string, a protocol message, or a `{ text }` config. */
function statementText(first: unknown): string {
  if (typeof first === 'string') return first;
  if (first instanceof Uint8Array) return parsedStatementText(first) ?? '?';
  if (typeof first === 'object' && first && 'text' in first) return String(first.text);
  return '?';
}

/**
 * Passes every call into the engine through `observe`, which must run `call` and return what it
 * returns; `engine` is the PGlite instance or the node-postgres client the call went to, so a test
 * can follow one connection's transaction. Returns the function that puts the engine's own methods back.
 */
export function watchEngineCalls(observe: (text: string, call: () => unknown, engine: unknown) => unknown): () => void {
  const originals: [Record<string, unknown>, string, (...args: unknown[]) => unknown][] = [];
  for (const [proto, name] of [
    [PGlite.prototype, 'query'],
    [PGlite.prototype, 'exec'],
    [PGlite.prototype, 'execProtocol'],
    [pg.Client.prototype, 'query'],
  ] as const) {
    const target = proto as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = target[name];
    if (!original) continue;
    originals.push([target, name, original]);
    target[name] = function (this: unknown, ...args: unknown[]) {
      const text = statementText(args[0]);
      // The LISTEN connection's sign of life comes every few seconds, whatever a test is doing.
      if (text === HEARTBEAT_SQL) return original.apply(this, args);
      return observe(text, () => original.apply(this, args), this);
    };
  }
  return () => {
    for (const [target, name, original] of originals) target[name] = original;
  };
}

/** The statement texts of the calls into the engine that `work` makes, in order. */
export async function engineCallsOf(work: () => Promise<unknown>): Promise<string[]> {
  const calls: string[] = [];
  const restore = watchEngineCalls((text, call) => {
    calls.push(text);
    return call();
  });
  try {
    await work();
  } finally {
    restore();
  }
  return calls;
}
