import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import { toArrayLiteral } from '../../platform/db/array-literal.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import {
  DEFAULT_POSITION_HISTORY_DAYS,
  DEFAULT_POSITION_STALE_AFTER_MINUTES,
  type PositionBatch,
  type PositionIngestResult,
  type PositionTrailQuery,
  type PositionTrailView,
} from './units.schema.ts';

// Positions from vehicle tracking: ingest (latest and history in one statement), a unit's trail,
// and the force's settings for staleness and how long history is kept.

export type PositionSettings = { staleAfterMs: number; historyDays: number };

const wholeWithin = (value: JsonValue | undefined, max: number): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;

/**
 * The force's position settings from `forces.settings`, falling back to the defaults when absent
 * or not sensible (a bad stored value must neither stop ingest nor mark every unit stale).
 */
export function parsePositionSettings(settings: { [key: string]: JsonValue } | null | undefined): PositionSettings {
  const stale = settings?.positionStaleAfterMinutes;
  const days = settings?.positionHistoryDays;
  return {
    staleAfterMs: (wholeWithin(stale, 24 * 60) ? stale : DEFAULT_POSITION_STALE_AFTER_MINUTES) * 60_000,
    historyDays: wholeWithin(days, 366) ? days : DEFAULT_POSITION_HISTORY_DAYS,
  };
}

/** Reads the force's position settings inside the caller's transaction. */
export async function loadPositionSettings(tx: Tx, forceId: ForceId): Promise<PositionSettings> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  return parsePositionSettings(row?.settings);
}

/** Whether a position recorded at `recordedAt` is stale at `now`. */
export const isPositionStale = (recordedAt: Date, now: Date, settings: PositionSettings): boolean => now.getTime() - recordedAt.getTime() > settings.staleAfterMs;

/** Degrees are kept in history as integers of 10^-7 degree (migration 0033). */
const E7 = 1e7;

/**
 * Stores a batch of positions from vehicle tracking: for each unit the newest one only, and only
 * when it is newer than the one held (late and out-of-order positions are ignored, in the same
 * statement, so two batches racing cannot put an older position back). Each position stored is
 * appended to the unit's history by that same statement. A position for a unit the force does not
 * have refuses the whole batch, naming it, so a misconfigured feed is seen. A position for a
 * retired unit is refused on its own, with the reason, and kept nowhere: the vehicle is no longer
 * the force's to track (decision 0086); the rest of the batch is stored. Retiring a unit deletes
 * its latest position (decision 0094), so a position is also only stored when newer than every one
 * in the unit's history: reinstated, the unit's old positions sent again are ignored as late.
 */
export async function ingestPositions(deps: ServiceDeps, forceId: ForceId, batch: PositionBatch): Promise<PositionIngestResult> {
  const now = deps.clock.now();
  const newest = new Map<string, { lat: number; lon: number; recordedAt: Date }>();
  batch.positions.forEach((position, index) => {
    const recordedAt = new Date(position.recordedAt);
    if (recordedAt.getTime() > now.getTime() + 60_000) {
      throw new AppError('validation_failed', `positions.${index}.recordedAt: is in the future`, { fields: [{ path: `positions.${index}.recordedAt`, message: 'is in the future; check the tracker clock' }] });
    }
    // The database answers unit ids in lower case; so must the batch, or one unit could be two keys.
    const unitId = position.unitId.toLowerCase();
    const held = newest.get(unitId);
    if (!held || held.recordedAt < recordedAt) newest.set(unitId, { lat: position.lat, lon: position.lon, recordedAt });
  });
  // One order for every batch, so two batches locking the same units' rows cannot deadlock.
  const ids = [...newest.keys()].sort();
  const lats: number[] = [];
  const lons: number[] = [];
  const times: string[] = [];
  for (const id of ids) {
    const position = newest.get(id);
    if (!position) continue;
    lats.push(position.lat);
    lons.push(position.lon);
    times.push(position.recordedAt.toISOString());
  }
  const [idList, latList, lonList, timeList] = [toArrayLiteral(ids), toArrayLiteral(lats), toArrayLiteral(lons), toArrayLiteral(times)];
  return withForce(deps.db, forceId, async (tx) => {
    // One statement per batch: the units the force has (row security hides any other force's),
    // the latest positions they replace, and history for exactly those. Arrays, not a row of
    // parameters per position, keep the statement the same size whatever the batch; each array is
    // sent as one literal (see toArrayLiteral).
    const result = await sql<{ stored: number; unknown: string[]; retired: { id: string; callSign: string }[] }>`
      with incoming (unit_id, lat, lon, recorded_at) as (
        select * from unnest(${idList}::text::uuid[], ${latList}::text::float8[], ${lonList}::text::float8[], ${timeList}::text::timestamptz[])
      ),
      known as (
        -- Probes the units' key for the batch's ids: a join would read (and check row security on)
        -- every unit of the force for each batch.
        select i.* from incoming i where i.unit_id in (select u.id from units u where u.force_id = ${forceId} and u.id = any(${idList}::text::uuid[]))
      ),
      retired as (
        select u.id as unit_id, u.call_sign from units u where u.force_id = ${forceId} and u.id = any(${idList}::text::uuid[]) and u.status = 'retired'
      ),
      latest as (
        insert into unit_positions_latest as held (unit_id, force_id, lat, lon, recorded_at, received_at)
        select unit_id, ${forceId}::uuid, lat, lon, recorded_at, ${now}::timestamptz from known
        where unit_id not in (select unit_id from retired)
          -- Newer than any the unit reported before, too: a unit reinstated has no latest row
          -- (decision 0094), and its last position from before, sent again, is not where it is now.
          and not exists (select 1 from unit_position_history h where h.unit_id = known.unit_id and h.recorded_at >= known.recorded_at)
        order by unit_id
        on conflict (unit_id) do update
          set lat = excluded.lat, lon = excluded.lon, recorded_at = excluded.recorded_at, received_at = excluded.received_at
          where held.recorded_at < excluded.recorded_at
        returning held.unit_id, held.lat, held.lon, held.recorded_at
      ),
      history as (
        insert into unit_position_history (unit_id, recorded_at, force_id, lat_e7, lon_e7)
        select unit_id, recorded_at, ${forceId}::uuid, round(lat * ${E7})::integer, round(lon * ${E7})::integer from latest
        returning 1
      )
      select (select count(*)::integer from history) as stored,
        array(select i.unit_id::text from incoming i where not exists (select 1 from known k where k.unit_id = i.unit_id)) as unknown,
        (select coalesce(json_agg(json_build_object('id', r.unit_id::text, 'callSign', r.call_sign)), '[]'::json) from retired r) as retired`.execute(tx);
    const row = result.rows[0];
    const unknownIds = new Set(row?.unknown ?? []);
    if (unknownIds.size > 0) {
      const unknown = batch.positions.flatMap((position, index) => (unknownIds.has(position.unitId.toLowerCase()) ? [{ path: `positions.${index}.unitId`, message: 'is not a unit of this force' }] : []));
      // Thrown inside the transaction: what the statement stored for the known units is undone.
      throw new AppError('validation_failed', `${unknown.length} positions name no unit of this force`, { fields: unknown.slice(0, 20) });
    }
    const retired = new Map((row?.retired ?? []).map((unit) => [unit.id, unit.callSign]));
    const refused = batch.positions.flatMap((position, index) => {
      const callSign = retired.get(position.unitId.toLowerCase());
      return callSign === undefined
        ? []
        : [{ path: `positions.${index}.unitId`, unitId: position.unitId, reason: `${callSign} is retired: its positions are not kept. Take its tracker off the feed, or reinstate the unit.` }];
    });
    const stored = row?.stored ?? 0;
    return { stored, ignored: batch.positions.length - stored - refused.length, refused };
  });
}

const HOUR_MS = 60 * 60_000;

/**
 * A unit's past positions in a window (after `since`, up to and including `until`), oldest
 * first, at most `limit`; `hasMore` says the window holds more. Another force's unit is not found.
 */
export async function listPositionTrail(deps: ServiceDeps, forceId: ForceId, unitId: string, query: PositionTrailQuery): Promise<PositionTrailView> {
  const until = query.until ? new Date(query.until) : deps.clock.now();
  const since = query.since ? new Date(query.since) : new Date(until.getTime() - HOUR_MS);
  return withForce(deps.db, forceId, async (tx) => {
    const unit = await tx.selectFrom('units').select('id').where('force_id', '=', forceId).where('id', '=', unitId).executeTakeFirst();
    if (!unit) throw notFound('unit');
    const rows = await tx
      .selectFrom('unit_position_history')
      .select(['lat_e7', 'lon_e7', 'recorded_at'])
      .where('force_id', '=', forceId)
      .where('unit_id', '=', unitId)
      .where('recorded_at', '>', since)
      .where('recorded_at', '<=', until)
      .orderBy('recorded_at')
      .limit(query.limit + 1)
      .execute();
    return {
      unitId,
      since: since.toISOString(),
      until: until.toISOString(),
      positions: rows.slice(0, query.limit).map((row) => ({ lat: row.lat_e7 / E7, lon: row.lon_e7 / E7, recordedAt: row.recorded_at.toISOString() })),
      hasMore: rows.length > query.limit,
    };
  });
}
