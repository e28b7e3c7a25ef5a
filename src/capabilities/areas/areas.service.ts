import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { AreaLookup, type PlaceAreas } from './area-lookup.schema.ts';
import type { AreaView } from './areas.schema.ts';

/**
 * The district and beat a place falls in, among the force's areas; nulls when the force has drawn
 * none or the place is outside them all. A removed area is in no look-up (decision 0098). Areas are few (tens) and read per call: an incident is
 * created a few times a minute at most, and a changed area takes effect at once.
 */
export async function locatePlace(tx: Tx, forceId: ForceId, lat: number, lon: number): Promise<PlaceAreas> {
  const rows = await tx.selectFrom('areas').select(['id', 'name', 'kind', 'setting', 'geometry']).where('force_id', '=', forceId).where('removed_at', 'is', null).execute();
  if (rows.length === 0) return { district: null, beat: null };
  return new AreaLookup(rows).locate(lat, lon);
}

/** The force's live districts and beats with their shapes, districts first, each by name (removed ones are left out, decision 0098). */
export async function listAreas(deps: ServiceDeps, forceId: ForceId): Promise<AreaView[]> {
  const rows = await withForce(deps.db, forceId, (tx) =>
    tx.selectFrom('areas').select(['id', 'name', 'kind', 'setting', 'geometry']).where('force_id', '=', forceId).where('removed_at', 'is', null).orderBy('kind', 'asc').orderBy('name', 'asc').execute(),
  );
  return rows.map((row) => ({ id: row.id, name: row.name, kind: row.kind, setting: row.setting, geometry: row.geometry }));
}
