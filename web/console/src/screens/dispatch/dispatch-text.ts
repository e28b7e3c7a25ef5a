// Words for the control room's codes: grades, statuses, a recommendation's reasons and shortfalls.
import type { IncidentGrade, IncidentStatus, RecommendationReason, Shortfall, UnitMove, UnitStatus } from '../../api/dispatch.ts';
import { formatClock, humanize } from '../../format.ts';

export const GRADE_LABELS: Record<IncidentGrade, string> = {
  immediate: 'Immediate',
  priority: 'Priority',
  scheduled: 'Scheduled',
  resolution_without_deployment: 'Resolution without deployment',
};

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  open: 'Open',
  dispatched: 'Dispatched',
  en_route: 'Unit en route',
  on_scene: 'Unit on scene',
  resolved: 'Resolved',
  closed: 'Closed',
  cancelled: 'Cancelled',
  resolved_without_deployment: 'Resolved without deployment',
};

export const UNIT_STATUS_LABELS: Record<UnitStatus, string> = {
  available: 'Available',
  dispatched: 'Dispatched',
  en_route: 'En route',
  on_scene: 'On scene',
  returning: 'Returning',
  unavailable: 'Unavailable',
  off_duty: 'Off duty',
  retired: 'Retired',
};

/** A unit status's words, for a status the API gives as plain text (an incident's units). */
export function unitStatusLabel(status: string): string {
  const labels: Record<string, string> = UNIT_STATUS_LABELS;
  return labels[status] ?? humanize(status);
}

/** The order units are listed in within an area: the ones that can be sent first. */
export const UNIT_STATUS_ORDER: readonly UnitStatus[] = ['available', 'returning', 'dispatched', 'en_route', 'on_scene', 'unavailable', 'off_duty'];

/** "about 4 min" from seconds; under a minute says so. */
export function formatEta(seconds: number): string {
  if (seconds < 60) return 'under 1 min';
  return `about ${Math.round(seconds / 60)} min`;
}

const capabilityList = (capabilities: readonly string[]) => capabilities.map((c) => humanize(c).toLowerCase()).join(', ');

/** Why a unit is recommended, one phrase per reason. */
export function describeReason(reason: RecommendationReason): string {
  switch (reason.code) {
    case 'has_capabilities':
      return reason.capabilities.length > 0 ? `has ${capabilityList(reason.capabilities)}` : 'no special capability needed';
    case 'estimated_arrival':
      return reason.method === 'road'
        ? `${formatEta(reason.seconds)} away by road (${reason.distanceKm.toFixed(1)} km in a straight line)`
        : `${formatEta(reason.seconds)} away (${reason.distanceKm.toFixed(1)} km, estimated from distance)`;
    case 'returning_from_job':
      return 'returning from another job';
    case 'position_age':
      return `position ${formatClock(reason.seconds)} old`;
  }
}

const units = (n: number) => `${n} ${n === 1 ? 'unit' : 'units'}`;

/** Why fewer units than asked for could be recommended. */
export function describeShortfall(shortfall: Shortfall): string {
  switch (shortfall.code) {
    case 'no_units':
      return 'The force has no units.';
    case 'none_dispatchable':
      return `${units(shortfall.units)} are committed, unavailable or off duty.`;
    case 'positions_stale':
      return `${units(shortfall.units)} left out: their last position is too old.`;
    case 'no_position':
      return `${units(shortfall.units)} left out: no position from tracking.`;
    case 'lacking_capability':
      return `${units(shortfall.units)} left out: lacking ${capabilityList(shortfall.capabilities)}.`;
    case 'outside_radius':
      return `${units(shortfall.units)} left out: further than ${shortfall.radiusKm} km.`;
    case 'incident_has_no_position':
      return 'The incident has no map position, so no arrival time can be estimated. Add its coordinates.';
    case 'no_road_route':
      return `${units(shortfall.units)} left out: the routing service found no road route to the incident.`;
  }
}

/** The moves a unit makes beside its incident; its availability is booked on the unit board (decision 0083). */
const INCIDENT_UNIT_MOVE_LABELS: Partial<Record<UnitMove, string>> = { en_route: 'En route', on_scene: 'On scene', clear: 'Clear' };

/**
 * The buttons by a unit sent to an incident: the moves the server says its machine allows next
 * (`moves`), in its order, those made beside the incident only. The console keeps no copy of the machine.
 */
export function incidentUnitMoves(moves: readonly UnitMove[]): { move: UnitMove; label: string }[] {
  return moves.flatMap((move) => {
    const label = INCIDENT_UNIT_MOVE_LABELS[move];
    return label ? [{ move, label }] : [];
  });
}

/** How a recommendation's arrival times were worked out, in the dispatcher's words. */
export function describeRouting(method: 'distance' | 'road', routing: { status: 'not_configured' | 'used' | 'unavailable'; engine: string | null; detail: string | null }): string {
  const engine = routing.engine === 'osrm' ? 'OSRM' : routing.engine === 'valhalla' ? 'Valhalla' : 'the routing service';
  if (method === 'road') return `Arrival times by road, from the force's routing service (${engine}).`;
  if (routing.status === 'unavailable') return `Arrival times estimated from distance: the routing service (${engine}) could not be used: ${routing.detail ?? 'no reason given'}.`;
  return 'Arrival times estimated from straight-line distance, a road factor and a speed for each type of unit (no routing service is set up).';
}

/** A response target's kind, as a sentence starts with it ("Deploy target missed"). */
export const TARGET_KIND_WORDS = { deploy: 'Deploy', arrive: 'Arrival' } as const;

/**
 * What the board says of targets met late whose reason is still to be recorded ("Deploy target
 * missed: why is not recorded yet"): its countdown has moved on, so nothing else there shows them.
 */
export function missedTargetsText(kinds: readonly (keyof typeof TARGET_KIND_WORDS)[]): string | null {
  if (kinds.length === 0) return null;
  const names = [...new Set(kinds)].map((kind, i) => (i === 0 ? TARGET_KIND_WORDS[kind] : TARGET_KIND_WORDS[kind].toLowerCase()));
  return `${names.length === 1 ? `${names[0]} target` : `${names.join(' and ')} targets`} missed: why is not recorded yet`;
}
