import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import { addUnit } from '../units/units.service.ts';

/**
 * The demo force's control room, so a newcomer sees a live picture: three districts drawn round
 * Norwich, Broadland and South Norfolk, their stations, and forty units near their stations with
 * a position each. Seeded once (skipped when the force has any area), through the units' machine.
 */

type DemoDistrict = { key: string; name: string; setting: 'urban' | 'rural'; box: [west: number, south: number, east: number, north: number]; stations: { name: string; lat: number; lon: number }[] };

const DISTRICTS: DemoDistrict[] = [
  { key: 'NC', name: 'Norwich City', setting: 'urban', box: [1.22, 52.6, 1.36, 52.67], stations: [{ name: 'Bethel Street', lat: 52.6285, lon: 1.2895 }] },
  {
    key: 'BR',
    name: 'Broadland',
    setting: 'rural',
    box: [1.0, 52.67, 1.6, 52.9],
    stations: [
      { name: 'Aylsham', lat: 52.795, lon: 1.255 },
      { name: 'Wroxham', lat: 52.705, lon: 1.405 },
    ],
  },
  {
    key: 'SN',
    name: 'South Norfolk',
    setting: 'rural',
    box: [0.9, 52.35, 1.6, 52.6],
    stations: [
      { name: 'Wymondham', lat: 52.57, lon: 1.115 },
      { name: 'Long Stratton', lat: 52.49, lon: 1.23 },
    ],
  },
];

/** Unit types with their capabilities, and how many of each per district. */
const FLEET: { type: string; capabilities: string[]; perDistrict: number[] }[] = [
  { type: 'response', capabilities: ['taser', 'first_aid_2'], perDistrict: [9, 7, 6] },
  { type: 'neighbourhood', capabilities: ['first_aid_1'], perDistrict: [3, 3, 2] },
  { type: 'roads_policing', capabilities: ['taser', 'first_aid_2', 'pursuit'], perDistrict: [1, 2, 1] },
  { type: 'armed_response', capabilities: ['firearms', 'taser', 'first_aid_3'], perDistrict: [1, 1, 1] },
  { type: 'dog', capabilities: ['dog', 'first_aid_1'], perDistrict: [1, 1, 1] },
];

/** GeoJSON, longitude first, the ring closed. */
function rectangle([west, south, east, north]: DemoDistrict['box']): { type: 'Polygon'; coordinates: number[][][] } {
  return { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] };
}

/** A fixed spread round the station (about 2 km), the same on every seed. */
function near(lat: number, lon: number, n: number): { lat: number; lon: number } {
  const angle = n * 2.399963; // the golden angle, so units do not line up
  const radius = 0.004 + (n % 5) * 0.004;
  return { lat: Math.round((lat + radius * Math.sin(angle)) * 1e6) / 1e6, lon: Math.round((lon + radius * 1.6 * Math.cos(angle)) * 1e6) / 1e6 };
}

export async function seedDemoControlRoom(deps: ServiceDeps, forceId: ForceId): Promise<void> {
  await withForce(deps.db, forceId, async (tx) => {
    const drawn = await tx.selectFrom('areas').select('id').where('force_id', '=', forceId).limit(1).executeTakeFirst();
    if (drawn) return;
    const now = deps.clock.now();
    const actor = { type: 'system' as const, id: null };
    for (const [d, district] of DISTRICTS.entries()) {
      const areaId = newId();
      await tx.insertInto('areas').values({ id: areaId, force_id: forceId, name: district.name, kind: 'district', setting: district.setting, geometry: JSON.stringify(rectangle(district.box)), created_at: now }).execute();
      let n = 0;
      for (const kind of FLEET) {
        for (let i = 0; i < (kind.perDistrict[d] ?? 0); i += 1) {
          n += 1;
          const station = district.stations[n % district.stations.length] ?? district.stations[0];
          if (!station) continue;
          const callSign = `${district.key}${String(n).padStart(2, '0')}`;
          const unitId = await addUnit(tx, forceId, deps.clock, actor, { callSign, type: kind.type, capabilities: kind.capabilities, homeStation: station.name, homeAreaId: areaId });
          await tx.insertInto('unit_positions_latest').values({ unit_id: unitId, force_id: forceId, ...near(station.lat, station.lon, n), recorded_at: now, received_at: now }).execute();
        }
      }
    }
  });
}
