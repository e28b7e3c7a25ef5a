import { PGlite, protocol } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parameterText, runStatement } from './pglite-statement.ts';
import { parsedStatementText } from '../../../test/engine-calls.ts';
import { ENGINE } from '../../../test/helpers.ts';
import { pgliteTemplateSnapshot } from '../../../test/pglite-snapshot.ts';

// A statement sent in one call, its parameters as text of unspecified type, must give what
// PGlite's own `query` gives (it learns each parameter's type first and serialises by type).

const HOSTILE = 'it\'s "quoted", a \\ back-slash, {braces}, NULL, Mae’r ŵyn yn y cae 🐑';

const CASES: [string, string, unknown[]][] = [
  ['text', 'select $1::text as v', [HOSTILE]],
  ['text array with nulls and delimiters', 'select $1::text[] as v', [['a', 'b,c', 'd"e', 'f\\g', null, 'NULL', '', ' spaced ', HOSTILE]]],
  ['empty array', 'select $1::text[] as v', [[]]],
  ['integer arrays, nested', 'select $1::int[] as a, $2::int[][] as b', [[1, 2, 3], [[1, 2], [3, 4]]]],
  ['uuid array', 'select $1::uuid[] as v', [['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7']]],
  ['times', 'select $1::timestamptz as t, $2::timestamptz[] as ts', [new Date('2026-03-29T00:59:59.123Z'), [new Date(0), new Date('2026-10-25T01:30:00Z')]]],
  ['json from an object and from text', 'select $1::jsonb as a, $2::jsonb as b, $3::json as c', [{ a: 1, b: [1, 'x', null], c: { d: HOSTILE } }, '{"k":"v"}', { e: true }]],
  ['bytes', 'select $1::bytea as v', [new Uint8Array([0, 1, 127, 128, 255])]],
  ['booleans, numbers and a big integer', 'select $1::boolean as a, $2::boolean as b, $3::numeric as c, $4::float8 as d, $5::bigint as e', [true, false, 1.5, -0.25, 9007199254740993n]],
  ['nulls', 'select $1::text as a, $2::int as b, $3::jsonb as c', [null, undefined, null]],
  ['no parameters', 'select 1 as one, null::text as nothing', []],
];

describe.runIf(ENGINE === 'pglite')('a PGlite statement in one call', () => {
  let pglite: PGlite;
  beforeAll(async () => {
    const snapshot = pgliteTemplateSnapshot();
    pglite = await PGlite.create(snapshot ? { loadDataDir: snapshot } : {});
    await pglite.exec('create table probe (id int primary key, note text)');
  });
  afterAll(() => pglite.close());

  it.each(CASES)('gives the rows PGlite’s own query gives: %s', async (_name, text, parameters) => {
    const own = await pglite.query(text, [...parameters]);
    const mine = await runStatement(pglite, text, parameters);
    expect(mine.rows).toEqual(own.rows);
    expect(mine.fields).toEqual(own.fields);
  });

  it('counts the rows a statement changed', async () => {
    const inserted = await runStatement(pglite, 'insert into probe select n, $1 from generate_series(1, 3) as n', ['x']);
    expect(inserted.affectedRows).toBe(3);
    const updated = await runStatement(pglite, 'update probe set note = $1 where id >= $2', [HOSTILE, 2]);
    expect(updated.affectedRows).toBe(2);
    const rows = await runStatement<{ note: string }>(pglite, 'select note from probe where id = $1', [3]);
    expect(rows.rows).toEqual([{ note: HOSTILE }]);
  });

  it('throws the database’s error with its code, and the connection goes on', async () => {
    await expect(runStatement(pglite, 'insert into probe values ($1, $2)', [1, 'again'])).rejects.toMatchObject({ code: '23505' });
    await expect(runStatement(pglite, 'selec 1', [])).rejects.toMatchObject({ code: '42601' });
    await expect(runStatement(pglite, 'select $1::int as v', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    expect((await runStatement(pglite, 'select $1::int as v', [7])).rows).toEqual([{ v: 7 }]);
  });

  it('leaves a failed transaction failed until it is rolled back, and keeps none of it', async () => {
    await pglite.exec('begin');
    await runStatement(pglite, 'insert into probe values ($1, $2)', [10, 'kept?']);
    await expect(runStatement(pglite, 'insert into probe values ($1, $2)', [10, 'twice'])).rejects.toMatchObject({ code: '23505' });
    await expect(runStatement(pglite, 'select 1 as n', [])).rejects.toMatchObject({ code: '25P02' });
    await pglite.exec('rollback');
    expect((await runStatement(pglite, 'select count(*)::int as n from probe where id = $1', [10])).rows).toEqual([{ n: 0 }]);
  });

  it('writes parameters as PostgreSQL reads them', () => {
    expect(parameterText(null)).toBeNull();
    expect(parameterText(undefined)).toBeNull();
    expect(parameterText(['a', null, ['b"c']])).toBe('{"a",NULL,{"b\\"c"}}');
    expect(parameterText(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678Z');
    expect(parameterText(Buffer.from([1, 255]))).toBe('\\x01ff');
    expect(parameterText({ n: 1n })).toBe('{"n":"1"}');
  });

  it('reads back the statement a protocol message parses, for counting statements', () => {
    expect(parsedStatementText(protocol.serialize.parse({ text: 'select $1::text as v' }))).toBe('select $1::text as v');
    expect(parsedStatementText(protocol.serialize.sync())).toBeNull();
  });
});
