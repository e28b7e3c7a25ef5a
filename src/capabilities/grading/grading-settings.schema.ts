import type { JsonValue } from '../../platform/db/tables.ts';
import { GRADES, type Grade } from './grading.schema.ts';

/** Default attendance targets in minutes; null means no attendance (resolution without deployment). */
export const DEFAULT_GRADE_TARGETS: Record<Grade, number | null> = {
  immediate: 15,
  priority: 60,
  scheduled: 48 * 60,
  resolution_without_deployment: null,
};

export type GradeTargets = Record<Grade, number | null>;

const isTargetMinutes = (value: JsonValue | undefined): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 60 * 24 * 365;

/**
 * The force's attendance target per grade from `forces.settings.gradeTargets`, each falling back to
 * its default when absent or not a sensible number of minutes (a bad setting must not stop grading).
 */
export function parseGradeTargets(settings: { [key: string]: JsonValue } | null | undefined): GradeTargets {
  const targets = settings?.gradeTargets;
  const gradeTargets = { ...DEFAULT_GRADE_TARGETS };
  if (targets && typeof targets === 'object' && !Array.isArray(targets)) {
    for (const grade of GRADES) {
      const value = targets[grade];
      if (value === null) gradeTargets[grade] = null;
      else if (isTargetMinutes(value)) gradeTargets[grade] = value;
    }
  }
  return gradeTargets;
}
