import type { Tx } from '../../platform/db/database.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { ForceId } from '../../platform/ids.ts';

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

/** Reads the force's settings inside the caller's transaction. */
export async function loadThriveSettings(tx: Tx, forceId: ForceId): Promise<ThriveSettings> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  return parseThriveSettings(row?.settings);
}
