import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { invalid } from '../../platform/errors.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { recordsMappingChanged } from './records-integration.events.ts';
import { DEFAULT_STATUS_MAPPINGS, isMappedMove, type CrimeTypeMapping, type StatusMapping } from './records-mapping.schema.ts';
import type { RecordsMappingInput, RecordsMappingView } from './records-integration.schema.ts';

// The force's mapping from its records system's codes: read (the default until an admin saves
// one) and saved whole, checked against the force's own outcome and crime type lists.

/** The force's mapping, in the caller's transaction. */
export async function readRecordsMapping(tx: Tx, forceId: ForceId): Promise<{ isDefault: boolean; statuses: StatusMapping[]; crimeTypes: CrimeTypeMapping[] }> {
  const rows = await tx
    .selectFrom('records_code_mappings')
    .select(['kind', 'system', 'code', 'moves', 'outcome_code', 'crime_type', 'reason', 'reason_cy', 'label'])
    .where('force_id', '=', forceId)
    .orderBy('kind')
    .orderBy('system')
    .orderBy('code')
    .execute();
  if (rows.length === 0) return { isDefault: true, statuses: [...DEFAULT_STATUS_MAPPINGS], crimeTypes: [] };
  const statuses: StatusMapping[] = [];
  const crimeTypes: CrimeTypeMapping[] = [];
  for (const row of rows) {
    if (row.kind === 'crime_type' && row.crime_type) crimeTypes.push({ system: row.system, code: row.code, crimeType: row.crime_type });
    if (row.kind === 'status') {
      const moves = row.moves.filter(isMappedMove);
      statuses.push({ system: row.system, code: row.code, label: row.label, moves, outcomeCode: row.outcome_code, reason: row.reason, reasonCy: row.reason_cy });
    }
  }
  return { isDefault: false, statuses, crimeTypes };
}

/** The force's mapping, for its admins. */
export async function getRecordsMapping(deps: ServiceDeps, forceId: ForceId): Promise<RecordsMappingView> {
  return withForce(deps.db, forceId, (tx) => readRecordsMapping(tx, forceId));
}

async function activeCodes(tx: Tx, forceId: ForceId, table: 'crime_types' | 'case_outcome_types'): Promise<Set<string>> {
  const rows = await tx.selectFrom(table).select('code').where('force_id', '=', forceId).where('active', '=', true).execute();
  return new Set(rows.map((row) => row.code));
}

/**
 * Replaces the force's mapping. Refused, naming the entry, when a code appears twice for one
 * system, a closing entry has no outcome or reason, or an outcome or crime type is not the force's.
 */
export async function saveRecordsMapping(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, input: RecordsMappingInput): Promise<RecordsMappingView> {
  return withForce(deps.db, forceId, async (tx) => {
    // A force's mapping saves take turns: each removes the entries it can see, so two at once
    // would meet on the table's key.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`records-mapping:${forceId}`}, 0))`.execute(tx);
    const outcomes = await activeCodes(tx, forceId, 'case_outcome_types');
    const crimeTypes = await activeCodes(tx, forceId, 'crime_types');
    const seen = new Set<string>();
    input.statuses.forEach((entry, i) => {
      const key = `status:${entry.system}:${entry.code.toUpperCase()}`;
      if (seen.has(key)) throw invalid(`statuses.${i}.code`, `${entry.code} is mapped twice for ${entry.system}`);
      seen.add(key);
      if (entry.moves.includes('close')) {
        if (!entry.outcomeCode) throw invalid(`statuses.${i}.outcomeCode`, 'is required for a status that closes the case');
        if (!entry.reason) throw invalid(`statuses.${i}.reason`, 'is required for a status that closes the case: the victim is told why');
        if (entry.moves.indexOf('close') !== entry.moves.length - 1) throw invalid(`statuses.${i}.moves`, 'close must be the last move');
      }
      if (entry.outcomeCode && !outcomes.has(entry.outcomeCode)) throw invalid(`statuses.${i}.outcomeCode`, `is not one of the force's outcome types (${entry.outcomeCode})`);
    });
    input.crimeTypes.forEach((entry, i) => {
      const key = `crime:${entry.system}:${entry.code.toUpperCase()}`;
      if (seen.has(key)) throw invalid(`crimeTypes.${i}.code`, `${entry.code} is mapped twice for ${entry.system}`);
      seen.add(key);
      if (!crimeTypes.has(entry.crimeType)) throw invalid(`crimeTypes.${i}.crimeType`, `is not one of the force's crime types (${entry.crimeType})`);
    });
    await tx.deleteFrom('records_code_mappings').where('force_id', '=', forceId).execute();
    const rows = [
      ...input.statuses.map((entry) => ({
        force_id: forceId,
        kind: 'status' as const,
        system: entry.system,
        code: entry.code.toUpperCase(),
        moves: JSON.stringify(entry.moves),
        outcome_code: entry.outcomeCode,
        crime_type: null,
        reason: entry.reason,
        reason_cy: entry.reasonCy,
        label: entry.label,
      })),
      ...input.crimeTypes.map((entry) => ({
        force_id: forceId,
        kind: 'crime_type' as const,
        system: entry.system,
        code: entry.code.toUpperCase(),
        moves: '[]',
        outcome_code: null,
        crime_type: entry.crimeType,
        reason: null,
        reason_cy: null,
        label: '',
      })),
    ];
    if (rows.length > 0) await tx.insertInto('records_code_mappings').values(rows).execute();
    record(
      tx,
      forceId,
      deps.clock,
      recordsMappingChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: forceId, data: { statusEntries: input.statuses.length, crimeTypeEntries: input.crimeTypes.length } }),
    );
    return readRecordsMapping(tx, forceId);
  });
}
