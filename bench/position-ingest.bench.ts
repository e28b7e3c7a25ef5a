import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config/config.ts';
import { withForce, withSystem } from '../src/platform/db/database.ts';
import { toArrayLiteral } from '../src/platform/db/array-literal.ts';
import { newId, type ForceId } from '../src/platform/ids.ts';
import { ingestPositions } from '../src/capabilities/units/unit-positions.service.ts';
import { POSITION_BATCH_MAX } from '../src/capabilities/units/units.schema.ts';
import { fmt, quantile } from './stats.ts';
import { measureCpu } from './cpu.ts';
import { benchDatabase } from './bench-database.ts';

const UNITS = Number(process.env.BENCH_POSITION_UNITS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_POSITION_ROUNDS ?? 7);
const CONCURRENCY = Number(process.env.BENCH_POSITION_CONCURRENCY ?? 4);
const BATCH = Math.min(POSITION_BATCH_MAX, Number(process.env.BENCH_POSITION_BATCH ?? POSITION_BATCH_MAX));

type Position = { unitId: string; lat: number; lon: number; recordedAt: string };

/** Sends the batches from `CONCURRENCY` loops; returns positions per second and positions stored. */
async function sendRound(batches: Position[][], send: (batch: Position[]) => Promise<number>): Promise<{ perSecond: number; stored: number }> {
  let next = 0;
  let stored = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < batches.length) {
        const batch = batches[next] ?? [];
        next += 1;
        const n = await send(batch);
        stored += n;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: batches.reduce((n, batch) => n + batch.length, 0) / seconds, stored };
}

const line = (label: string, rates: number[], note: string) =>
  `${label.padEnd(38)}${fmt(quantile(rates, 0.5), 0)} positions/s median (min ${fmt(Math.min(...rates), 0)}, max ${fmt(Math.max(...rates), 0)})${note}`;

/**
 * Position ingest on the configured engine (PostgreSQL at `DATABASE_URL`, else PGlite): a fleet of
 * `BENCH_POSITION_UNITS` (10,000) units each reporting once per round, in batches of 1,000 from
 * `BENCH_POSITION_CONCURRENCY` (4) senders, for `BENCH_POSITION_ROUNDS` (7) rounds; every position
 * is newer than the one held, so each one updates the latest row and appends history. Measured
 * through the HTTP endpoint (a dispatcher's session, the batch schema, the service), and through
 * the service alone. Baseline in the same run: a bare INSERT of the same rows, batch for batch,
 * into a copy of the history table (same keys and index, arrays sent the same way; no upsert, no
 * row security, no HTTP).
 */
export async function positionIngestBenchmark(): Promise<string[]> {
  const database = await benchDatabase();
  const config = loadConfig({
    NODE_ENV: 'development',
    // Email held, as in every run recorded before mail could be written to a folder (decision 0131).
    MAIL_FOLDER: 'off',
    LOG_LEVEL: 'silent',
    ...database.env,
    SHED_MAX_UTILISATION: '0',
  });
  const app = await buildApp(config, { startWorker: false });
  const http = app.http;
  if (!http) throw new Error('no http');
  await http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  const db = app.database.db;
  try {
    const force = await withSystem(db, (tx) => tx.selectFrom('forces').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow());
    const forceId = force.id as ForceId;
    const now = app.deps.clock.now();
    const unitIds = Array.from({ length: UNITS }, () => newId());
    for (let start = 0; start < UNITS; start += 1000) {
      await withForce(db, forceId, (tx) =>
        tx
          .insertInto('units')
          .values(
            unitIds.slice(start, start + 1000).map((id, i) => ({
              id,
              force_id: forceId,
              call_sign: `BENCH ${start + i}`,
              type: 'response',
              capabilities: [],
              home_station: null,
              home_area_id: null,
              status: 'available' as const,
              status_reason: null,
              incident_id: null,
              created_at: now,
              updated_at: now,
            })),
          )
          .execute(),
      );
    }
    // A force's fleet exists long before its positions arrive: its statistics are in place.
    await sql`analyze units`.execute(db);
    await sql`create table bench_position_rows (like unit_position_history including all)`.execute(db);

    // Round r reports every unit r seconds after the first, an hour ago, near Norwich.
    const firstAt = now.getTime() - 3_600_000;
    const roundBatches = (round: number): Position[][] => {
      const recordedAt = new Date(firstAt + round * 1000).toISOString();
      const positions = unitIds.map((unitId, i) => ({ unitId, lat: 52.6 + ((i * 7919) % 1000) / 10_000 + round / 1e5, lon: 1.2 + ((i * 104_729) % 1000) / 10_000, recordedAt }));
      return Array.from({ length: Math.ceil(positions.length / BATCH) }, (_, b) => positions.slice(b * BATCH, (b + 1) * BATCH));
    };

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dispatch@demo.police.uk', password: 'demo-password' }),
    });
    const cookie = login.headers
      .getSetCookie()
      .map((header) => header.split(';')[0] ?? '')
      .join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const viaHttp = async (batch: Position[]) => {
      const response = await fetch(`${base}/api/units/positions`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ positions: batch }) });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
      return ((await response.json()) as { stored: number }).stored;
    };
    const viaService = async (batch: Position[]) => (await ingestPositions(app.deps, forceId, { positions: batch })).stored;
    const bareInsert = async (batch: Position[]) => {
      const result = await withSystem(db, (tx) =>
        sql`insert into bench_position_rows (unit_id, recorded_at, force_id, lat_e7, lon_e7)
          select u, t, ${forceId}::uuid, round(a * 1e7)::integer, round(o * 1e7)::integer
          from unnest(${toArrayLiteral(batch.map((p) => p.unitId))}::text::uuid[], ${toArrayLiteral(batch.map((p) => p.recordedAt))}::text::timestamptz[], ${toArrayLiteral(batch.map((p) => p.lat))}::text::float8[], ${toArrayLiteral(batch.map((p) => p.lon))}::text::float8[]) as r(u, t, a, o)`.execute(tx),
      );
      return Number(result.numAffectedRows ?? 0);
    };

    let round = 0;
    const run = async (send: (batch: Position[]) => Promise<number>) => {
      round += 1;
      await sendRound(roundBatches(round), send); // warm-up
      const measured = await measureCpu(db, app.database.engine, async () => {
        const rates: number[] = [];
        let short = 0;
        for (let r = 0; r < ROUNDS; r += 1) {
          round += 1;
          const { perSecond, stored } = await sendRound(roundBatches(round), send);
          if (stored !== UNITS && send !== bareInsert) short += 1;
          rates.push(perSecond);
        }
        return { rates, short };
      });
      // CPU milliseconds per 1,000 positions: this process (server and load generator) + database server.
      const per1000 = (seconds: number) => (seconds * 1000 * 1000) / (UNITS * ROUNDS);
      return { ...measured.result, cpu: `; CPU per 1,000: ${fmt(per1000(measured.processSeconds + measured.databaseSeconds), 1)} ms (process ${fmt(per1000(measured.processSeconds), 1)}, database ${fmt(per1000(measured.databaseSeconds), 1)})` };
    };
    const httpRun = await run(viaHttp);
    const serviceRun = await run(viaService);
    const bareRun = await run(bareInsert);
    const history = await withSystem(db, (tx) => tx.selectFrom('unit_position_history').select((eb) => eb.fn.countAll<number>().as('n')).where('force_id', '=', forceId).executeTakeFirstOrThrow());
    const httpMedian = quantile(httpRun.rates, 0.5);
    const bareMedian = quantile(bareRun.rates, 0.5);
    await sql`drop table bench_position_rows`.execute(db);
    return [
      `bench dispatch — position ingest, ${app.database.engine}, ${UNITS} units × ${ROUNDS} rounds (+1 warm-up), batches of ${BATCH}, ${CONCURRENCY} senders, history on`,
      line('ingest via POST /api/units/positions:', httpRun.rates, httpRun.cpu),
      line('ingest via the service (no HTTP):', serviceRun.rates, serviceRun.cpu),
      line('baseline bare INSERT of same rows:', bareRun.rates, `${bareRun.cpu} (same run, same batches)`),
      `ingest (HTTP) / bare INSERT ratio:    ${fmt(httpMedian / bareMedian, 3)}`,
      `rounds with a position not stored:    ${httpRun.short + serviceRun.short} (every position is newer: must be 0); history rows: ${Number(history.n)} (expect ${UNITS * 2 * (ROUNDS + 1)})`,
    ];
  } finally {
    await app.close();
    await database.remove();
  }
}
