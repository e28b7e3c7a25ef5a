import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

// One statement with parameters, in one call into PGlite. PGlite's own `query` makes six: parse,
// describe the statement (to learn each parameter's type and pick its serialiser), bind, describe
// the portal, execute, sync, each serialised, run and parsed on its own. Here the parameters go
// as text of unspecified type, as node-postgres sends them to a PostgreSQL server (the same
// statements run there), so the server infers each type from the statement and parses the text,
// and the five messages go together (decision 0048).

/** A parameter as text in the form PostgreSQL's input functions read, or null. */
export function parameterText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (Array.isArray(value)) return arrayText(value);
  return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
}

/** An array literal (`{"a","b"}`), every element quoted and escaped; nested arrays nest. */
function arrayText(values: readonly unknown[]): string {
  const parts = values.map((value) => {
    if (Array.isArray(value)) return arrayText(value);
    const text = parameterText(value);
    return text === null ? 'NULL' : `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${parts.join(',')}}`;
}

/** Runs one statement and returns its rows and the number of rows it changed, as `pglite.query` does. */
export async function runStatement<R>(pglite: PGlite, text: string, parameters: readonly unknown[]): Promise<Results<R>> {
  const { serialize } = protocol;
  const parts = [
    serialize.parse({ text }),
    serialize.bind({ values: parameters.map(parameterText) }),
    serialize.describe({ type: 'P' }),
    serialize.execute({}),
    serialize.sync(),
  ];
  const message = new Uint8Array(parts.reduce((length, part) => length + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.byteLength;
  }
  return pglite._runExclusiveQuery(async () => {
    // Throws the statement's error once PGlite has read every answer up to the sync.
    const { messages } = await pglite.execProtocol(message, { syncToFs: false });
    // As `query` does: outside a transaction, what the statement wrote goes to the file system now.
    const ready = messages.findLast((m) => m.name === 'readyForQuery') as { status?: string } | undefined;
    if (ready?.status === 'I') await pglite.syncToFs();
    return parse.parseResults(messages, pglite.parsers)[0] as Results<R>;
  });
}
