import { cpus } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import { runStatement } from '../src/platform/db/pglite-statement.ts';
import { fmt, quantile } from './stats.ts';

// The cost of one statement on embedded PGlite through PGlite's own `query` (six exchanges with
// the engine) and through the dialect's one-call path (decision 0048), on the same instance,
// alternating rounds so that a busy machine disturbs both alike. Statements are of the shapes
// intake sends most: a keyed select, a multi-row insert, an update by a list of ids.

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PER_ROUND = Number(process.env.BENCH_STATEMENTS_PER_ROUND ?? 400);

type Run = (text: string, parameters: unknown[]) => Promise<unknown>;

export async function pgliteStatementsBenchmark(): Promise<void> {
  const pglite = await PGlite.create();
  await pglite.exec(`
    create table notes (id uuid primary key, force_id uuid not null, body text not null, tags text[] not null, at timestamptz not null, data jsonb not null);
    create index notes_by_force on notes (force_id, at);`);
  const force = '0f8fad5b-d9cb-469f-a165-70867728950e';
  let serial = 0;
  const nextId = () => `00000000-0000-4000-8000-${(serial++).toString(16).padStart(12, '0')}`;
  const shapes: { name: string; make: () => [string, unknown[]] }[] = [
    { name: 'select by key', make: () => ['select id, body, tags, at, data from notes where force_id = $1 and id = $2', [force, `00000000-0000-4000-8000-${Math.floor(Math.random() * Math.max(1, serial)).toString(16).padStart(12, '0')}`]] },
    {
      name: 'insert of 4 rows',
      make: () => {
        const values: unknown[] = [];
        const rows = [0, 1, 2, 3].map((i) => {
          values.push(nextId(), force, 'Someone took my bike from outside the station', ['theft', 'bike'], new Date(), { n: i, where: 'Station Road' });
          const b = i * 6;
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
        });
        return [`insert into notes (id, force_id, body, tags, at, data) values ${rows.join(', ')}`, values];
      },
    },
    { name: 'update by ids', make: () => ['update notes set at = $1 where force_id = $2 and id = any($3::uuid[])', [new Date(), force, [nextId(), nextId(), nextId()]]] },
  ];
  const paths: [string, Run][] = [
    ['query (six exchanges)', (text, parameters) => pglite.query(text, parameters)],
    ['one call', (text, parameters) => runStatement(pglite, text, parameters)],
  ];
  process.stdout.write(`bench pglite-statements — ${ROUNDS} rounds of ${PER_ROUND} statements per path, ${cpus().length} cores (${cpus()[0]?.model.split(' ').slice(0, 2).join(' ')}), Node ${process.version}\n`);
  for (const shape of shapes) {
    const perPath = new Map<string, number[]>(paths.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, run] of round % 2 === 0 ? paths : [...paths].reverse()) {
        const started = process.cpuUsage();
        for (let i = 0; i < PER_ROUND; i += 1) {
          const [text, parameters] = shape.make();
          await run(text, parameters);
        }
        const used = process.cpuUsage(started);
        perPath.get(name)?.push((used.user + used.system) / 1000 / PER_ROUND);
      }
    }
    const [slow, fast] = paths.map(([name]) => quantile(perPath.get(name) ?? [], 0.5));
    process.stdout.write(
      `${shape.name.padEnd(18)} CPU per statement, median of rounds: ${paths.map(([name], i) => `${name} ${fmt([slow, fast][i] ?? Number.NaN, 3)} ms`).join(', ')}; ratio ${fmt((slow ?? 0) / (fast ?? 1), 2)}\n`,
    );
  }
  await pglite.close();
}
