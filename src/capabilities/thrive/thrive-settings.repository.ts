import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { parseThriveSettings, type ThriveSettings } from './thrive-settings.schema.ts';

// The force's settings row, read for THRIVE; what the settings are and their defaults is
// `thrive-settings.schema.ts`.

/** Reads the force's settings inside the caller's transaction. */
export async function loadThriveSettings(tx: Tx, forceId: ForceId): Promise<ThriveSettings> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  return parseThriveSettings(row?.settings);
}
