import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import { parseGradeTargets, type GradeTargets } from './grading-settings.schema.ts';

// The force's settings row, read for its grade targets; what the targets are and their defaults is
// `grading-settings.schema.ts`.

/** Reads the force's grade targets inside the caller's transaction. */
export async function loadGradeTargets(tx: Tx, forceId: ForceId): Promise<GradeTargets> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirst();
  return parseGradeTargets(row?.settings);
}
