// Where the board and the incident screen find an incident's clock, and the order of the board.
import type { IncidentGrade, IncidentSummary } from '../../api/dispatch.ts';
import { readCountdown, type IncidentClock } from './countdown.ts';

/** The incident's running deploy or arrive clock, or null when none runs. */
export function clockOf(incident: IncidentSummary): IncidentClock | null {
  return incident.clock;
}

const GRADE_ORDER: Record<IncidentGrade, number> = { immediate: 0, priority: 1, scheduled: 2, resolution_without_deployment: 3 };

/**
 * The board's order: incidents with a running clock first, least time left first (the most overdue
 * at the top); then those without one by grade, the oldest first. Stable for equal keys.
 */
export function byTimeLeft<T extends IncidentSummary>(incidents: readonly T[], now: number): T[] {
  const key = (incident: T) => {
    const clock = clockOf(incident);
    return {
      remaining: clock ? readCountdown(clock, now).remainingMs : Number.POSITIVE_INFINITY,
      grade: incident.grade ? GRADE_ORDER[incident.grade.code] : 4,
      created: Date.parse(incident.createdAt),
    };
  };
  return incidents
    .map((incident) => ({ incident, key: key(incident) }))
    .sort((a, b) => a.key.remaining - b.key.remaining || a.key.grade - b.key.grade || a.key.created - b.key.created)
    .map((entry) => entry.incident);
}
