import type { Tx } from '../../platform/db/database.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';
import { GRADES, type Grade } from './thrive.schema.ts';

/** 3 h 30 m: the default interval after which a THRIVE assessment must be looked at again. */
export const DEFAULT_REASSESS_AFTER_MINUTES = 210;

/** Default attendance targets in minutes; null means no attendance (resolution without deployment). */
export const DEFAULT_GRADE_TARGETS: Record<Grade, number | null> = {
  immediate: 15,
  priority: 60,
  scheduled: 48 * 60,
  resolution_without_deployment: null,
};

export type ThriveSettings = { reassessAfterMinutes: number; gradeTargets: Record<Grade, number | null> };

const isPositiveMinutes = (value: JsonValue | undefined): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 60 * 24 * 365;

/**
 * The force's THRIVE and grading settings from `forces.settings`, each falling back to its default
 * when absent or not a sensible number of minutes (a bad setting must not stop assessments).
 */
export function parseThriveSettings(settings: { [key: string]: JsonValue } | null | undefined): ThriveSettings {
  const reassess = settings?.thriveReassessAfterMinutes;
  const targets = settings?.gradeTargets;
  const gradeTargets = { ...DEFAULT_GRADE_TARGETS };
  if (targets && typeof targets === 'object' && !Array.isArray(targets)) {
    for (const grade of GRADES) {
      const value = targets[grade];
      if (value === null) gradeTargets[grade] = null;
      else if (isPositiveMinutes(value)) gradeTargets[grade] = value;
    }
  }
  return { reassessAfterMinutes: isPositiveMinutes(reassess) ? reassess : DEFAULT_REASSESS_AFTER_MINUTES, gradeTargets };
}

/** Reads the force's settings inside the caller's transaction. */
export async function loadThriveSettings(tx: Tx, forceId: ForceId): Promise<ThriveSettings> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  return parseThriveSettings(row?.settings);
}
