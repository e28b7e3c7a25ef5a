import { cpus, totalmem } from 'node:os';
import { distance } from 'geokdbush';
import { UnitLocator, type LocatorSettings, type UnitSnapshot } from '../src/capabilities/dispatch/recommendation.ts';
import { fmt, quantile } from './stats.ts';
import { positionIngestBenchmark } from './position-ingest.bench.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 2_000);
const NOW = new Date('2026-03-01T12:00:00Z');
const SETTINGS: LocatorSettings = {
  staleAfterMs: 5 * 60_000,
  speedKmhByType: { response: 48, roads_policing: 72, armed_response: 64, dog: 48, neighbourhood: 24 },
  defaultSpeedKmh: 40,
  roadFactor: 1.3,
};
const TYPES = ['response', 'response', 'response', 'neighbourhood', 'roads_policing', 'armed_response', 'dog'];
const CAPABILITIES: Record<string, string[]> = {
  response: ['first_aid', 'taser'],
  neighbourhood: ['first_aid'],
  roads_policing: ['first_aid', 'stinger'],
  armed_response: ['firearms', 'taser', 'first_aid'],
  dog: ['dog', 'first_aid'],
};

/** A seeded generator, so each run measures the same fleet and the same incidents. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/**
 * Unit recommendation among `BENCH_UNITS` (10,000) units spread over a region the size of a large
 * county (about 110 × 110 km: a national or regional fleet, far more than one force has), 80%
 * dispatchable, a tenth of positions stale, for `BENCH_QUERIES` incidents of which a fifth need
 * firearms. Baseline in the same run: the linear scan a simple product does (every unit's distance
 * and arrival estimate, filtered and sorted). Both must give the same answers; the benchmark checks.
 * Then position ingest on the configured engine (`position-ingest.bench.ts`).
 */
export async function dispatchBenchmark(): Promise<void> {
  const random = seeded(7);
  const fleet: UnitSnapshot[] = Array.from({ length: UNITS }, (_, i) => {
    const type = TYPES[i % TYPES.length] ?? 'response';
    return {
      id: `u${i}`,
      callSign: `U${i}`,
      type,
      capabilities: CAPABILITIES[type] ?? [],
      status: random() < 0.8 ? 'available' : 'dispatched',
      position: { lat: 52 + random(), lon: 0 + random() * 1.6, recordedAt: new Date(NOW.getTime() - (random() < 0.1 ? 10 : random() * 4) * 60_000) },
    };
  });
  const incidents = Array.from({ length: QUERIES }, (_, i) => ({
    lat: 52 + random(),
    lon: random() * 1.6,
    requiredCapabilities: i % 5 === 0 ? ['firearms'] : [],
    limit: 5,
    maxRadiusKm: 40,
  }));

  const buildMs: number[] = [];
  let locator: UnitLocator | null = null;
  for (let i = 0; i < 9; i += 1) {
    const t0 = performance.now();
    locator = new UnitLocator(fleet, NOW, SETTINGS);
    buildMs.push(performance.now() - t0);
  }
  if (!locator) throw new Error('no locator');
  const engine = locator;

  function linearScan(incident: (typeof incidents)[number]): string[] {
    return fleet
      .filter((u) => (u.status === 'available' || u.status === 'returning') && u.position && NOW.getTime() - u.position.recordedAt.getTime() <= SETTINGS.staleAfterMs)
      .filter((u) => incident.requiredCapabilities.every((c) => u.capabilities.includes(c)))
      .map((u) => {
        const km = distance(incident.lon, incident.lat, u.position?.lon ?? 0, u.position?.lat ?? 0);
        const eta = Math.round(((km * SETTINGS.roadFactor) / (SETTINGS.speedKmhByType[u.type] ?? SETTINGS.defaultSpeedKmh)) * 3600);
        return { callSign: u.callSign, km, eta };
      })
      .filter((u) => u.km <= incident.maxRadiusKm)
      .sort((a, b) => a.eta - b.eta || a.km - b.km || a.callSign.localeCompare(b.callSign))
      .slice(0, incident.limit)
      .map((u) => u.callSign);
  }

  // Warm both up, and check they agree on every incident.
  let disagreements = 0;
  for (const incident of incidents) {
    const fast = engine.recommend(incident).candidates.map((c) => c.callSign);
    if (fast.join() !== linearScan(incident).join()) disagreements += 1;
  }
  const time = (work: (incident: (typeof incidents)[number]) => unknown): number[] =>
    incidents.map((incident) => {
      const t0 = performance.now();
      work(incident);
      return performance.now() - t0;
    });
  const indexMs = time((incident) => engine.recommend(incident));
  const scanMs = time(linearScan);
  const p50 = quantile(indexMs, 0.5);
  const scanP50 = quantile(scanMs, 0.5);
  const lines = [
    `bench dispatch — recommendation, ${UNITS} units, ${QUERIES} incidents, one core (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    `index build (median of 9):        ${fmt(quantile(buildMs, 0.5), 2)} ms`,
    `recommend p50 / p99 / max:        ${fmt(p50, 3)} / ${fmt(quantile(indexMs, 0.99), 3)} / ${fmt(Math.max(...indexMs), 3)} ms`,
    `linear scan p50 / p99 / max:      ${fmt(scanP50, 3)} / ${fmt(quantile(scanMs, 0.99), 3)} / ${fmt(Math.max(...scanMs), 3)} ms (baseline, same run)`,
    `speed-up at p50:                  ${fmt(scanP50 / p50, 1)}×`,
    `answers differing from the scan:  ${disagreements} of ${incidents.length}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`${(await positionIngestBenchmark()).join('\n')}\n`);
}
