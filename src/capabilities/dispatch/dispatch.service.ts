import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { furthestProgress, moveIncident, type IncidentMove } from '../incidents/incident.machine.ts';
import { incidentMoveEvent } from '../incidents/incidents.events.ts';
import { loadIncident, lockIncident, writeIncidentState } from '../incidents/incidents.service.ts';
import { syncResponseClock, type ClockCause } from '../incidents/response-clocks.service.ts';
import { requireActiveCode } from '../incidents/control-room-lists.service.ts';
import type { IncidentView } from '../incidents/incidents.schema.ts';
import { loadUnit, readUnitsWithPositions } from '../units/units.service.ts';
import { assignUnit, bookUnit, findCommittedIncident, listUnitsCommittedTo, releaseUnit, reportUnitProgress, wasAnyUnitSentTo } from '../units/unit-commitments.service.ts';
import { loadPositionSettings } from '../units/unit-positions.service.ts';
import type { UnitView } from '../units/units.schema.ts';
import { UnitLocator, type Candidate, type LocatorSettings, type Shortfall } from './recommendation.ts';
import { RoadRoutingFailed, fetchRoadTimes, rankByRoad, readRoadRoutingSetting, shortListSize } from './road-routing.ts';
import { isOutboundRefusal } from '../../platform/http/outbound-guard.ts';
import type { RecommendationView, UnitStatusBody } from './dispatch.schema.ts';

/** Until forces set their own: typical UK road speeds per unit type, and the usual road factor. */
const LOCATOR_SETTINGS: Omit<LocatorSettings, 'staleAfterMs'> = {
  speedKmhByType: { response: 60, armed_response: 70, roads_policing: 75, dog: 55, neighbourhood: 40 },
  defaultSpeedKmh: 50,
  roadFactor: 1.35,
};
const MAX_RADIUS_KM = 80;

/** A recommendation needs, beyond the database and clock, the guarded client that reaches the force's routing service. */
export type RecommendDeps = ServiceDeps & { fetch: typeof fetch };

/**
 * Suitable units for an incident, nearest in time first, from their latest positions. With a
 * road-routing service configured, the locator's short list (by straight-line estimate) is
 * re-ranked by road time, asked for after the transaction ends so a slow service holds no
 * connection; if the service fails, the straight-line ranking stands and the answer says why.
 */
export async function recommendUnits(deps: RecommendDeps, forceId: ForceId, incidentId: string, limit: number): Promise<RecommendationView> {
  const read = await withForce(deps.db, forceId, async (tx) => {
    const incident = await tx.selectFrom('incidents').select(['lat', 'lon', 'required_capabilities']).where('force_id', '=', forceId).where('id', '=', incidentId).executeTakeFirst();
    if (!incident) throw notFound('incident');
    const force = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirstOrThrow();
    const rows = incident.lat === null || incident.lon === null ? [] : await readUnitsWithPositions(tx, forceId);
    // The force's stale age: a unit the console shows as stale is never recommended on that position.
    const { staleAfterMs } = await loadPositionSettings(tx, forceId);
    return { incident, rows, staleAfterMs, routing: readRoadRoutingSetting(force.settings.roadRouting) };
  });
  const { incident, routing } = read;
  const notConfigured = { status: 'not_configured' as const, engine: null, detail: null };
  if (incident.lat === null || incident.lon === null) {
    return { incidentId, method: 'distance', routing: routing ? { status: 'unavailable', engine: routing.engine, detail: 'the incident has no position' } : notConfigured, candidates: [], shortfalls: [{ code: 'incident_has_no_position' }] };
  }
  const units = read.rows.map((row) => ({
    id: row.id,
    callSign: row.call_sign,
    type: row.type,
    capabilities: row.capabilities,
    status: row.status,
    position: row.lat !== null && row.lon !== null && row.recorded_at !== null ? { lat: row.lat, lon: row.lon, recordedAt: row.recorded_at } : null,
  }));
  const locator = new UnitLocator(units, deps.clock.now(), { ...LOCATOR_SETTINGS, staleAfterMs: read.staleAfterMs });
  const destination = { lat: incident.lat, lon: incident.lon };
  const ask = (count: number) => locator.recommend({ ...destination, requiredCapabilities: incident.required_capabilities, limit: count, maxRadiusKm: MAX_RADIUS_KM });
  if (!routing) return recommendationView(incidentId, ask(limit), 'distance', notConfigured);
  const shortList = ask(shortListSize(limit));
  const byDistance = { ...shortList, candidates: shortList.candidates.slice(0, limit), shortfalls: shortList.candidates.length < limit ? shortList.shortfalls : [] };
  if (shortList.candidates.length === 0) return recommendationView(incidentId, byDistance, 'distance', { status: 'used', engine: routing.engine, detail: null });
  try {
    const origins = shortList.candidates.map((c) => {
      const unit = units.find((u) => u.id === c.unitId);
      return { lat: unit?.position?.lat ?? destination.lat, lon: unit?.position?.lon ?? destination.lon };
    });
    const times = await fetchRoadTimes(deps.fetch, routing, origins, destination);
    const ranked = rankByRoad(shortList.candidates, times, limit);
    const shortfalls: (Shortfall | { code: 'no_road_route'; units: number })[] = ranked.candidates.length < limit ? [...shortList.shortfalls] : [];
    if (ranked.candidates.length < limit && ranked.unroutable > 0) shortfalls.push({ code: 'no_road_route', units: ranked.unroutable });
    return recommendationView(incidentId, { candidates: ranked.candidates, shortfalls }, 'road', { status: 'used', engine: routing.engine, detail: null });
  } catch (error) {
    if (!(error instanceof RoadRoutingFailed) && !isOutboundRefusal(error)) throw error;
    deps.logger.warn({ forceId, engine: routing.engine, reason: error.message }, 'road routing unavailable; straight-line estimates used');
    return recommendationView(incidentId, byDistance, 'distance', { status: 'unavailable', engine: routing.engine, detail: error.message });
  }
}

function recommendationView(
  incidentId: string,
  result: { candidates: Candidate[]; shortfalls: (Shortfall | { code: 'no_road_route'; units: number })[] },
  method: 'distance' | 'road',
  routing: RecommendationView['routing'],
): RecommendationView {
  return {
    incidentId,
    method,
    routing,
    candidates: result.candidates.map((c) => ({ ...c, reasons: c.reasons.map((r) => (r.code === 'has_capabilities' ? { ...r, capabilities: [...r.capabilities] } : r)) })),
    shortfalls: result.shortfalls.map((s) => (s.code === 'lacking_capability' ? { ...s, capabilities: [...s.capabilities] } : s)),
  };
}

/**
 * Commits units to an incident in one transaction: each unit's move (the units room's, decision
 * 0189) and the incident's together, or nothing does. Units are taken in a fixed order, so two
 * dispatchers committing the same unit queue on its row: the first wins, the second finds it
 * committed and is refused with a sentence.
 */
export async function dispatchUnits(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, unitIds: readonly string[]): Promise<IncidentView> {
  const actor: Actor = { type: 'staff', id: staffId };
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const incident = await lockIncident(tx, forceId, incidentId);
    const transition = moveIncident(incident.state, { type: 'dispatch' });
    const committed: { unitId: string; callSign: string }[] = [];
    for (const unitId of [...new Set(unitIds)].sort()) {
      const unit = await assignUnit(tx, forceId, deps.clock, { unitId, incidentId, staffId });
      committed.push({ unitId, callSign: unit.callSign });
    }
    await writeIncidentState(tx, forceId, incidentId, transition.to, now);
    record(tx, forceId, deps.clock, incidentMoveEvent(transition, { actor, incidentId, data: { units: committed } }));
    // The first dispatch stops the deploy countdown and starts the arrival one; later ones change nothing.
    await syncResponseClock(tx, forceId, deps.clock, incidentId, 'dispatched');
    return loadIncident(tx, forceId, incidentId);
  });
}

/**
 * Moves a live incident after one of its units cleared before the job was done: it follows the
 * furthest unit still committed, or is open again, needing a unit, when none is (decision 0060).
 * Its countdown is brought in line (a stand-down undoes no target already reached). An incident
 * already resolved or ended is left as it is.
 */
async function followClearedUnit(
  tx: Tx,
  deps: ServiceDeps,
  forceId: ForceId,
  actor: Actor,
  incident: Awaited<ReturnType<typeof lockIncident>>,
  cleared: { unitId: string; callSign: string },
): Promise<void> {
  const status = incident.state.status;
  if (status !== 'dispatched' && status !== 'en_route' && status !== 'on_scene') return;
  const remaining = await listUnitsCommittedTo(tx, forceId, incident.id);
  const transition = moveIncident(incident.state, { type: 'unit_cleared', furthest: furthestProgress(remaining.map((u) => u.status)) });
  await writeIncidentState(tx, forceId, incident.id, transition.to, deps.clock.now());
  record(tx, forceId, deps.clock, incidentMoveEvent(transition, { actor, incidentId: incident.id, data: { ...cleared, remaining: remaining.length } }));
  await syncResponseClock(tx, forceId, deps.clock, incident.id, 'stood_down');
}

/**
 * A unit's crew (or the dispatcher for them) reports en route, on scene or clear, or changes its
 * availability. En route and on scene move the unit's incident with it; clear ends the assignment
 * and moves the incident back when it leaves it short (decision 0060).
 */
export async function moveUnitStatus(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, unitId: string, body: UnitStatusBody): Promise<UnitView> {
  const actor: Actor = { type: 'staff', id: staffId };
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    // The incident first, then the unit: the same order as dispatch, so the two never deadlock.
    const seen = await findCommittedIncident(tx, forceId, unitId);
    // Progress and clearing both move the unit's incident with it.
    const isMoving = body.status === 'en_route' || body.status === 'on_scene' || body.status === 'clear';
    const incident = seen && isMoving ? await lockIncident(tx, forceId, seen) : null;
    // The incident the unit was committed to when the units room moved it. Cleared and sent
    // elsewhere between the look and the move, it is another, locked now out of the usual order (a
    // deadlock that makes is refused as busy and tried again by the client, never applied by halves).
    const incidentMoved = async (committedTo: string) => (incident?.id === committedTo ? incident : committedTo ? lockIncident(tx, forceId, committedTo) : null);
    switch (body.status) {
      case 'en_route':
      case 'on_scene': {
        const unit = await reportUnitProgress(tx, forceId, deps.clock, { unitId, progress: body.status, actor });
        const followed = await incidentMoved(unit.incidentId);
        if (followed) {
          const incidentMove = moveIncident(followed.state, { type: body.status === 'en_route' ? 'unit_en_route' : 'unit_on_scene' });
          await writeIncidentState(tx, forceId, followed.id, incidentMove.to, now);
          record(tx, forceId, deps.clock, incidentMoveEvent(incidentMove, { actor, incidentId: followed.id, data: { unitId, callSign: unit.callSign } }));
          if (body.status === 'on_scene') await syncResponseClock(tx, forceId, deps.clock, followed.id, 'arrived');
        }
        break;
      }
      case 'clear': {
        const unit = await releaseUnit(tx, forceId, deps.clock, { unitId, actor });
        const followed = await incidentMoved(unit.incidentId);
        if (followed) await followClearedUnit(tx, deps, forceId, actor, followed, { unitId, callSign: unit.callSign });
        break;
      }
      case 'unavailable': {
        if (!body.reason) throw invalid('reason', 'say why the unit is unavailable');
        await bookUnit(tx, forceId, deps.clock, { unitId, booking: { status: 'unavailable', reason: body.reason }, actor });
        break;
      }
      case 'available':
      case 'off_duty':
        await bookUnit(tx, forceId, deps.clock, { unitId, booking: { status: body.status }, actor });
        break;
    }
    return loadUnit(tx, forceId, unitId, now);
  });
}

/** Each ending's cause of stopping the incident's countdown (its event records the stop). */
const ENDING_CLOCK_CAUSE = { resolve: 'resolved', close: 'closed', cancel: 'cancelled', resolve_without_deployment: 'resolved_without_deployment' } as const satisfies Record<string, ClockCause>;

/**
 * Resolves, closes, cancels or resolves without deployment. Resolving or cancelling clears every
 * unit still committed to the incident, each with its own move and event.
 */
export async function moveIncidentStatus(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  incidentId: string,
  body: { move: 'resolve' | 'close' | 'cancel' | 'resolve_without_deployment'; closingCode?: string | undefined },
): Promise<IncidentView> {
  const actor: Actor = { type: 'staff', id: staffId };
  if (body.move !== 'resolve' && !body.closingCode) throw invalid('closingCode', 'give the closing code');
  if (body.closingCode === 'merged') throw invalid('closingCode', 'merge the incident into the one it duplicates instead');
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const incident = await lockIncident(tx, forceId, incidentId);
    if (body.closingCode) await requireActiveCode(tx, forceId, 'closing_codes', body.closingCode, 'closingCode');
    // An incident open again after its units stood down was still deployed to: resolved, not resolved without deployment.
    const unitsSentBefore = await wasAnyUnitSentTo(tx, forceId, incidentId);
    const move: IncidentMove = body.move === 'resolve' ? { type: 'resolve', unitsSentBefore } : body.move === 'resolve_without_deployment' ? { type: body.move, closingCode: body.closingCode ?? '', unitsSentBefore } : { type: body.move, closingCode: body.closingCode ?? '' };
    const transition = moveIncident(incident.state, move);
    const clearedUnitIds: string[] = [];
    if (body.move === 'resolve' || body.move === 'cancel') {
      // Each freed by the units room's own move, in id order (the order dispatch locks units in).
      for (const { id } of await listUnitsCommittedTo(tx, forceId, incidentId)) {
        await releaseUnit(tx, forceId, deps.clock, { unitId: id, actor });
        clearedUnitIds.push(id);
      }
    }
    await writeIncidentState(tx, forceId, incidentId, transition.to, now);
    const closingCode = body.closingCode ?? '';
    // Closed, cancelled and resolved without deployment carry the same data; the transition's own
    // event type picks the definition, the cast only names that shared shape for the compiler.
    const event =
      transition.event === 'incident.resolved'
        ? incidentMoveEvent({ ...transition, event: 'incident.resolved' }, { actor, incidentId, data: { clearedUnitIds } })
        : incidentMoveEvent({ ...transition, event: transition.event as 'incident.closed' }, { actor, incidentId, data: { closingCode, clearedUnitIds } });
    record(tx, forceId, deps.clock, event);
    await syncResponseClock(tx, forceId, deps.clock, incidentId, ENDING_CLOCK_CAUSE[body.move]);
    return loadIncident(tx, forceId, incidentId);
  });
}
