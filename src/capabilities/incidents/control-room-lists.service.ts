import { sql } from 'kysely';
import { withForce, type Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { invalid } from '../../platform/errors.ts';
import { DEFAULT_BREACH_REASONS, DEFAULT_CLOSING_CODES, DEFAULT_INCIDENT_TYPES, INCIDENT_CATEGORY_LABELS, type IncidentTypeEntry, type ListEntry } from './control-room-lists.schema.ts';
import type { IncidentTypeView, ListEntryView } from './control-room-lists.schema.ts';
import { DEFAULT_RESPONSE_TARGETS, type ResponseTarget } from './response-clock.schema.ts';
import { controlRoomListChanged } from './response-clocks.events.ts';
import { loadResponseTargets } from './response-clocks.service.ts';

/**
 * Adds what the force's control room lacks: response targets per grade and setting, breach
 * reasons, incident types and closing codes, each list only when the force has none of it (a list
 * the force has edited is its own). Runs in the caller's transaction, as the force.
 */
export async function ensureControlRoomDefaults(tx: Tx, forceId: ForceId, clock: Clock): Promise<void> {
  const now = clock.now();
  const has = async (table: 'response_targets' | 'breach_reasons' | 'incident_types' | 'closing_codes') =>
    Boolean(await tx.selectFrom(table).select('force_id').where('force_id', '=', forceId).limit(1).executeTakeFirst());
  if (!(await has('response_targets'))) {
    await tx
      .insertInto('response_targets')
      .values(DEFAULT_RESPONSE_TARGETS.map((t) => ({ force_id: forceId, grade: t.grade, setting: t.setting, deploy_minutes: t.deployMinutes, arrive_minutes: t.arriveMinutes, updated_at: now })))
      .execute();
  }
  if (!(await has('breach_reasons'))) {
    await tx.insertInto('breach_reasons').values(DEFAULT_BREACH_REASONS.map((r, position) => ({ id: newId(), force_id: forceId, code: r.code, label: r.label, position, created_at: now }))).execute();
  }
  if (!(await has('incident_types'))) {
    await tx.insertInto('incident_types').values(DEFAULT_INCIDENT_TYPES.map((t) => ({ id: newId(), force_id: forceId, code: t.code, label: t.label, category: t.category, created_at: now }))).execute();
  }
  if (!(await has('closing_codes'))) {
    await tx.insertInto('closing_codes').values(DEFAULT_CLOSING_CODES.map((c) => ({ id: newId(), force_id: forceId, code: c.code, label: c.label, created_at: now }))).execute();
  }
}

/**
 * Makes a force's saves of one list take turns until the transaction ends: each saves its entries
 * row by row in the order it was sent, so two saves in different orders would each wait for a row
 * the other holds, and the later would undo half of the earlier.
 */
async function lockList(tx: Tx, forceId: ForceId, list: 'response_targets' | 'breach_reasons' | 'incident_types' | 'closing_codes'): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`control-room-list:${list}:${forceId}`}, 0))`.execute(tx);
}

/** The force's response targets, every grade in both settings. */
export async function listResponseTargets(deps: ServiceDeps, forceId: ForceId): Promise<ResponseTarget[]> {
  return withForce(deps.db, forceId, (tx) => loadResponseTargets(tx, forceId));
}

/**
 * Sets response targets (those named; the others stay). Clocks already running keep the targets
 * they started with; the next clock started, or a regrade, uses the new ones.
 */
export async function replaceResponseTargets(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, targets: readonly ResponseTarget[]): Promise<ResponseTarget[]> {
  return withForce(deps.db, forceId, async (tx) => {
    await lockList(tx, forceId, 'response_targets');
    const now = deps.clock.now();
    for (const t of targets) {
      await tx
        .insertInto('response_targets')
        .values({ force_id: forceId, grade: t.grade, setting: t.setting, deploy_minutes: t.deployMinutes, arrive_minutes: t.arriveMinutes, updated_at: now })
        .onConflict((oc) => oc.columns(['force_id', 'grade', 'setting']).doUpdateSet({ deploy_minutes: t.deployMinutes, arrive_minutes: t.arriveMinutes, updated_at: now }))
        .execute();
    }
    record(tx, forceId, deps.clock, controlRoomListChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: forceId, data: { list: 'response_targets', entries: targets.map((t) => ({ ...t })) } }));
    return loadResponseTargets(tx, forceId);
  });
}

type ListTable = 'breach_reasons' | 'closing_codes';

async function readList(tx: Tx, forceId: ForceId, table: ListTable): Promise<ListEntryView[]> {
  // Breach reasons keep the force's order (the likeliest first); closing codes read alphabetically.
  const rows =
    table === 'breach_reasons'
      ? await tx.selectFrom('breach_reasons').select(['code', 'label', 'is_active']).where('force_id', '=', forceId).orderBy('position').orderBy('code').execute()
      : await tx.selectFrom('closing_codes').select(['code', 'label', 'is_active']).where('force_id', '=', forceId).orderBy('label').execute();
  return rows.map((row) => ({ code: row.code, label: row.label, isActive: row.is_active }));
}

/** The force's breach reasons (retired ones too, marked), in the force's order. */
export async function listBreachReasons(deps: ServiceDeps, forceId: ForceId): Promise<ListEntryView[]> {
  return withForce(deps.db, forceId, (tx) => readList(tx, forceId, 'breach_reasons'));
}

/** The force's closing codes (retired ones too, marked). */
export async function listClosingCodes(deps: ServiceDeps, forceId: ForceId): Promise<ListEntryView[]> {
  return withForce(deps.db, forceId, (tx) => readList(tx, forceId, 'closing_codes'));
}

/**
 * Replaces a list: entries given are added or relabelled and active, in the order given; entries
 * left out are retired, never deleted, so what was recorded against them still reads.
 */
export async function replaceList(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, table: ListTable, entries: readonly ListEntry[]): Promise<ListEntryView[]> {
  if (table === 'closing_codes' && !entries.some((e) => e.code === 'merged')) throw invalid('entries', 'keep the closing code `merged`: merging incidents gives it');
  return withForce(deps.db, forceId, async (tx) => {
    await lockList(tx, forceId, table);
    const now = deps.clock.now();
    for (const [position, entry] of entries.entries()) {
      if (table === 'breach_reasons') {
        await tx
          .insertInto('breach_reasons')
          .values({ id: newId(), force_id: forceId, code: entry.code, label: entry.label, position, created_at: now })
          .onConflict((oc) => oc.columns(['force_id', 'code']).doUpdateSet({ label: entry.label, position, is_active: true }))
          .execute();
      } else {
        await tx
          .insertInto('closing_codes')
          .values({ id: newId(), force_id: forceId, code: entry.code, label: entry.label, created_at: now })
          .onConflict((oc) => oc.columns(['force_id', 'code']).doUpdateSet({ label: entry.label, is_active: true }))
          .execute();
      }
    }
    await tx.updateTable(table).set({ is_active: false }).where('force_id', '=', forceId).where('code', 'not in', entries.map((e) => e.code)).execute();
    record(tx, forceId, deps.clock, controlRoomListChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: forceId, data: { list: table, entries: entries.map((e) => ({ ...e })) } }));
    return readList(tx, forceId, table);
  });
}

async function readIncidentTypes(tx: Tx, forceId: ForceId): Promise<IncidentTypeView[]> {
  const rows = await tx.selectFrom('incident_types').select(['code', 'label', 'category', 'is_active']).where('force_id', '=', forceId).orderBy('category').orderBy('label').execute();
  return rows.map((row) => ({ code: row.code, label: row.label, category: row.category, categoryLabel: INCIDENT_CATEGORY_LABELS[row.category], isActive: row.is_active }));
}

/** The force's incident types (opening codes) under the national categories, retired ones marked. */
export async function listIncidentTypes(deps: ServiceDeps, forceId: ForceId): Promise<IncidentTypeView[]> {
  return withForce(deps.db, forceId, (tx) => readIncidentTypes(tx, forceId));
}

/** Replaces the incident types as `replaceList` does; `unclassified` stays, as grading a contact opens incidents with it. */
export async function replaceIncidentTypes(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, entries: readonly IncidentTypeEntry[]): Promise<IncidentTypeView[]> {
  if (!entries.some((e) => e.code === 'unclassified')) throw invalid('entries', 'keep the incident type `unclassified`: grading a contact opens incidents with it');
  return withForce(deps.db, forceId, async (tx) => {
    await lockList(tx, forceId, 'incident_types');
    const now = deps.clock.now();
    for (const entry of entries) {
      await tx
        .insertInto('incident_types')
        .values({ id: newId(), force_id: forceId, code: entry.code, label: entry.label, category: entry.category, created_at: now })
        .onConflict((oc) => oc.columns(['force_id', 'code']).doUpdateSet({ label: entry.label, category: entry.category, is_active: true }))
        .execute();
    }
    await tx.updateTable('incident_types').set({ is_active: false }).where('force_id', '=', forceId).where('code', 'not in', entries.map((e) => e.code)).execute();
    record(tx, forceId, deps.clock, controlRoomListChanged.of({ actor: { type: 'staff', id: staffId }, subjectId: forceId, data: { list: 'incident_types', entries: entries.map((e) => ({ ...e })) } }));
    return readIncidentTypes(tx, forceId);
  });
}

/** Refuses a code that is not an active entry of the force's list (incident types or closing codes). */
export async function requireActiveCode(tx: Tx, forceId: ForceId, table: 'incident_types' | 'closing_codes', code: string, field: string): Promise<void> {
  const row = await tx.selectFrom(table).select('code').where('force_id', '=', forceId).where('code', '=', code).where('is_active', '=', true).executeTakeFirst();
  if (!row) throw invalid(field, table === 'incident_types' ? "must be one of the force's incident types" : "must be one of the force's closing codes");
}
