import KDBush from 'kdbush';
import { around, distance } from 'geokdbush';

/**
 * Which units to send: the suitable ones, nearest in time first. Pure (no I/O, no clock of its
 * own): the caller reads the units and their latest positions, builds a `UnitLocator` (rebuilt
 * when positions change; building 10,000 units takes a few milliseconds), and asks it for each
 * incident. Arrival times here are estimates from straight-line distance, a road factor and a
 * speed per unit type; a road-routing service, when configured, re-ranks the short list this returns.
 */

/** Statuses from which a unit can be sent now. `returning` units are clear of their last job. */
const DISPATCHABLE = new Set<string>(['available', 'returning']);

export type UnitSnapshot = {
  id: string;
  callSign: string;
  /** e.g. `response`, `roads_policing`, `armed_response`, `dog`, `neighbourhood`. */
  type: string;
  capabilities: readonly string[];
  /** The unit's status machine state, e.g. `available`, `dispatched`, `off_duty`. */
  status: string;
  position: { lat: number; lon: number; recordedAt: Date } | null;
};

export type LocatorSettings = {
  /** A position older than this is stale: the unit is not ranked on it. */
  staleAfterMs: number;
  /** Average road speed per unit type, km/h; `defaultSpeedKmh` for types not listed. */
  speedKmhByType: Readonly<Record<string, number>>;
  defaultSpeedKmh: number;
  /** Road distance over straight-line distance (1.3–1.4 is typical of UK roads). */
  roadFactor: number;
};

export type RecommendationRequest = {
  lat: number;
  lon: number;
  /** Every one of these must be among a unit's capabilities. */
  requiredCapabilities: readonly string[];
  /** How many to return. */
  limit: number;
  /** Units further than this (straight line) are not considered. */
  maxRadiusKm: number;
};

/** Why a unit is on the list; codes, so the console words them in the operator's language. */
export type CandidateReason =
  | { code: 'has_capabilities'; capabilities: readonly string[] }
  | { code: 'estimated_arrival'; seconds: number; distanceKm: number; method: 'distance' | 'road' }
  | { code: 'returning_from_job' }
  | { code: 'position_age'; seconds: number };

export type Candidate = {
  unitId: string;
  callSign: string;
  type: string;
  distanceKm: number;
  etaSeconds: number;
  reasons: CandidateReason[];
};

/** Why fewer units than asked for (or none) could be recommended, with how many units each concerns. */
export type Shortfall =
  | { code: 'no_units' }
  | { code: 'none_dispatchable'; units: number }
  | { code: 'positions_stale'; units: number }
  | { code: 'no_position'; units: number }
  | { code: 'lacking_capability'; units: number; capabilities: readonly string[] }
  | { code: 'outside_radius'; units: number; radiusKm: number };

export type Recommendation = { candidates: Candidate[]; shortfalls: Shortfall[]; method: 'distance' };

type Indexed = { unit: UnitSnapshot; lat: number; lon: number; speedKmh: number; ageSeconds: number };

/** A spatial index of the units that could be sent now, with what is needed to explain the rest. */
export class UnitLocator {
  private readonly indexed: Indexed[] = [];
  private readonly index: KDBush | null;
  private readonly fastestKmh: number;
  private readonly notDispatchable: number;
  private readonly stale: number;
  private readonly noPosition: number;
  private readonly total: number;

  constructor(
    units: readonly UnitSnapshot[],
    now: Date,
    private readonly settings: LocatorSettings,
  ) {
    if (!(settings.roadFactor >= 1)) throw new Error('road factor must be at least 1');
    let notDispatchable = 0;
    let stale = 0;
    let noPosition = 0;
    let fastest = settings.defaultSpeedKmh;
    for (const unit of units) {
      if (!DISPATCHABLE.has(unit.status)) {
        notDispatchable += 1;
        continue;
      }
      if (!unit.position || !isValidCoordinate(unit.position.lat, unit.position.lon)) {
        noPosition += 1;
        continue;
      }
      const ageMs = now.getTime() - unit.position.recordedAt.getTime();
      if (ageMs > settings.staleAfterMs) {
        stale += 1;
        continue;
      }
      const speedKmh = settings.speedKmhByType[unit.type] ?? settings.defaultSpeedKmh;
      if (!(speedKmh > 0)) throw new Error(`speed for unit type ${unit.type} must be positive`);
      fastest = Math.max(fastest, speedKmh);
      this.indexed.push({ unit, lat: unit.position.lat, lon: unit.position.lon, speedKmh, ageSeconds: Math.max(0, Math.round(ageMs / 1000)) });
    }
    this.fastestKmh = fastest;
    this.notDispatchable = notDispatchable;
    this.stale = stale;
    this.noPosition = noPosition;
    this.total = units.length;
    if (this.indexed.length === 0) {
      this.index = null;
      return;
    }
    const index = new KDBush(this.indexed.length);
    for (const entry of this.indexed) index.add(entry.lon, entry.lat);
    this.index = index.finish();
  }

  /**
   * Ranks suitable units by estimated arrival (then distance, then call sign, so ties are stable).
   * Exact without looking at every unit: the nearest `limit` suitable units bound the answer's
   * slowest arrival, and no unit further than the fastest type covers in that time can beat it.
   */
  recommend(request: RecommendationRequest): Recommendation {
    if (!isValidCoordinate(request.lat, request.lon)) throw new Error('incident position is not a valid latitude and longitude');
    const limit = Math.max(0, Math.floor(request.limit));
    const required = [...new Set(request.requiredCapabilities)];
    const isSuitable = (i: number): boolean => {
      const entry = this.indexed[i];
      return entry !== undefined && required.every((capability) => entry.unit.capabilities.includes(capability));
    };
    let candidates: Candidate[] = [];
    if (this.index && limit > 0) {
      const nearest = around(this.index, request.lon, request.lat, limit, request.maxRadiusKm, isSuitable);
      if (nearest.length > 0) {
        // Arrival times are rounded to the second, hence the half second of slack.
        const bound = Math.max(...nearest.map((i) => this.toCandidate(i, request, required).etaSeconds)) + 0.5;
        const reachKm = (bound / 3600) * (this.fastestKmh / this.settings.roadFactor);
        const within = around(this.index, request.lon, request.lat, Infinity, Math.min(request.maxRadiusKm, reachKm + 1e-9), isSuitable);
        candidates = [...new Set([...nearest, ...within])].map((i) => this.toCandidate(i, request, required));
        candidates.sort(byArrival);
        candidates = candidates.slice(0, limit);
      }
    }
    return { candidates, shortfalls: candidates.length < limit ? this.explainShortfall(request, required) : [], method: 'distance' };
  }

  private toCandidate(i: number, request: RecommendationRequest, required: readonly string[]): Candidate {
    const entry = this.indexed[i];
    if (!entry) throw new Error(`no unit at index ${i}`);
    const distanceKm = distance(request.lon, request.lat, entry.lon, entry.lat);
    const etaSeconds = Math.round(((distanceKm * this.settings.roadFactor) / entry.speedKmh) * 3600);
    const reasons: CandidateReason[] = [];
    if (required.length > 0) reasons.push({ code: 'has_capabilities', capabilities: required });
    reasons.push({ code: 'estimated_arrival', seconds: etaSeconds, distanceKm: round(distanceKm, 2), method: 'distance' });
    if (entry.unit.status === 'returning') reasons.push({ code: 'returning_from_job' });
    reasons.push({ code: 'position_age', seconds: entry.ageSeconds });
    return { unitId: entry.unit.id, callSign: entry.unit.callSign, type: entry.unit.type, distanceKm: round(distanceKm, 3), etaSeconds, reasons };
  }

  /** Counts why the others were left out; only the reasons that apply, most decisive first. */
  private explainShortfall(request: RecommendationRequest, required: readonly string[]): Shortfall[] {
    if (this.total === 0) return [{ code: 'no_units' }];
    const shortfalls: Shortfall[] = [];
    if (this.notDispatchable > 0) shortfalls.push({ code: 'none_dispatchable', units: this.notDispatchable });
    if (this.stale > 0) shortfalls.push({ code: 'positions_stale', units: this.stale });
    if (this.noPosition > 0) shortfalls.push({ code: 'no_position', units: this.noPosition });
    let lacking = 0;
    let outside = 0;
    for (const entry of this.indexed) {
      if (!required.every((capability) => entry.unit.capabilities.includes(capability))) lacking += 1;
      else if (distance(request.lon, request.lat, entry.lon, entry.lat) > request.maxRadiusKm) outside += 1;
    }
    if (lacking > 0) shortfalls.push({ code: 'lacking_capability', units: lacking, capabilities: required });
    if (outside > 0) shortfalls.push({ code: 'outside_radius', units: outside, radiusKm: request.maxRadiusKm });
    return shortfalls;
  }
}

function byArrival(a: Candidate, b: Candidate): number {
  return a.etaSeconds - b.etaSeconds || a.distanceKm - b.distanceKm || a.callSign.localeCompare(b.callSign);
}

function isValidCoordinate(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180;
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}
