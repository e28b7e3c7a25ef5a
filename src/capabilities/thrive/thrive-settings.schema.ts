import type { JsonValue } from '../../platform/db/tables.ts';

/** 3 h 30 m: the default interval after which a THRIVE assessment must be looked at again. */
export const DEFAULT_REASSESS_AFTER_MINUTES = 210;

export type ThriveSettings = { reassessAfterMinutes: number };

const isPositiveMinutes = (value: JsonValue | undefined): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 60 * 24 * 365;

/**
 * The force's THRIVE settings from `forces.settings`, falling back to the default when absent or
 * not a sensible number of minutes (a bad setting must not stop assessments).
 */
export function parseThriveSettings(settings: { [key: string]: JsonValue } | null | undefined): ThriveSettings {
  const reassess = settings?.thriveReassessAfterMinutes;
  return { reassessAfterMinutes: isPositiveMinutes(reassess) ? reassess : DEFAULT_REASSESS_AFTER_MINUTES };
}
