import type { Grade } from '../grading/grading.schema.ts';
import type { IncidentStatus } from './incident.machine.ts';

// Response clock maths, pure: the force's targets per grade and area setting, which countdown an
// incident runs in each state, and when it warns and falls due. Both targets are measured from
// the incident's creation (the deploy target to the first dispatch, the arrive target to the
// first unit on scene), on elapsed time, 24 hours a day.

export const RESPONSE_CLOCK_KINDS = ['deploy', 'arrive'] as const;
export type ResponseClockKind = (typeof RESPONSE_CLOCK_KINDS)[number];
export const AREA_SETTINGS = ['urban', 'rural'] as const;
export type AreaSetting = (typeof AREA_SETTINGS)[number];

/** Minutes allowed to deploy and to arrive for one grade in one setting; null means no target. */
export type ResponseTarget = { grade: Grade; setting: AreaSetting; deployMinutes: number | null; arriveMinutes: number | null };

/** The seeded targets: Immediate deploy 3, arrive 15 urban / 20 rural; Priority deploy 20, arrive 60; Scheduled within 48 hours. */
export const DEFAULT_RESPONSE_TARGETS: readonly ResponseTarget[] = [
  { grade: 'immediate', setting: 'urban', deployMinutes: 3, arriveMinutes: 15 },
  { grade: 'immediate', setting: 'rural', deployMinutes: 3, arriveMinutes: 20 },
  { grade: 'priority', setting: 'urban', deployMinutes: 20, arriveMinutes: 60 },
  { grade: 'priority', setting: 'rural', deployMinutes: 20, arriveMinutes: 60 },
  { grade: 'scheduled', setting: 'urban', deployMinutes: null, arriveMinutes: 48 * 60 },
  { grade: 'scheduled', setting: 'rural', deployMinutes: null, arriveMinutes: 48 * 60 },
  { grade: 'resolution_without_deployment', setting: 'urban', deployMinutes: null, arriveMinutes: null },
  { grade: 'resolution_without_deployment', setting: 'rural', deployMinutes: null, arriveMinutes: null },
];

const MINUTE = 60_000;

/** The minutes a force allows for one kind of clock, or null when that grade has no such target. */
export function responseTargetMinutes(targets: readonly ResponseTarget[], grade: Grade, setting: AreaSetting, kind: ResponseClockKind): number | null {
  const target = targets.find((t) => t.grade === grade && t.setting === setting) ?? DEFAULT_RESPONSE_TARGETS.find((t) => t.grade === grade && t.setting === setting);
  if (!target) return null;
  return kind === 'deploy' ? target.deployMinutes : target.arriveMinutes;
}

/**
 * What an incident has already reached: a first dispatch, a first unit on scene. A unit standing
 * down undoes neither (the targets run to the first of each), so an incident open again after its
 * only unit stood down keeps its arrival countdown, and one whose units all left the scene runs none.
 */
export type ResponseMilestones = { dispatched: boolean; arrived: boolean };
const NONE_REACHED: ResponseMilestones = { dispatched: false, arrived: false };

/**
 * The countdown an incident runs in a state: deploy while no unit has been sent (or arrive from
 * the start, for a grade with an arrival target only), arrive once a unit has been sent, none
 * once a unit has been on scene, the job is done or the incident has ended.
 */
export function responseClockKindFor(
  status: IncidentStatus,
  grade: Grade | null,
  setting: AreaSetting,
  targets: readonly ResponseTarget[],
  reached: ResponseMilestones = NONE_REACHED,
): { kind: ResponseClockKind; minutes: number } | null {
  if (grade === null) return null;
  if (status !== 'open' && status !== 'dispatched' && status !== 'en_route' && status !== 'on_scene') return null;
  const pick = (kind: ResponseClockKind) => {
    const minutes = responseTargetMinutes(targets, grade, setting, kind);
    return minutes === null ? null : { kind, minutes };
  };
  if (reached.arrived || status === 'on_scene') return null;
  if (reached.dispatched || status !== 'open') return pick('arrive');
  return pick('deploy') ?? pick('arrive');
}

/**
 * When a clock measured from `measuredFrom` warns and falls due. The warning comes a fifth of the
 * target before the due time, and at least a minute before it (a 3-minute deploy target warns at
 * 2 minutes, a 15-minute arrival at 12), never before the measure starts.
 */
export function planResponseClock(input: { measuredFrom: Date; minutes: number }): { warnAt: Date; dueAt: Date } {
  const lengthMs = Math.max(0, input.minutes) * MINUTE;
  const dueAt = new Date(input.measuredFrom.getTime() + lengthMs);
  const warnBeforeMs = Math.min(lengthMs, Math.max(MINUTE, Math.round(lengthMs / 5)));
  return { warnAt: new Date(dueAt.getTime() - warnBeforeMs), dueAt };
}

/** The setting whose targets apply: the district's, or urban (the tighter) when the place is in no district. */
export function settingOf(districtSetting: AreaSetting | null): AreaSetting {
  return districtSetting ?? 'urban';
}
