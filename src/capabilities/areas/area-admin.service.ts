import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { AppError, conflict, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { record } from '../../platform/events/recorder.ts';
import { moveArea } from './area.machine.ts';
import { planAreas, type PlannedArea } from './area-import-plan.schema.ts';
import { BoundaryFileRefused, describeIssue, readBoundaryFile, type BoundaryFeature } from './boundary-file.schema.ts';
import type { CheckWork } from './ring-crossings.schema.ts';
import type { AreaImportBody, AreaImportPreview, AreaImportResult, ChangeAreaBody } from './area-admin.schema.ts';
import { areaChanged, areaRemoved, areasImported } from './areas.events.ts';
import type { AreaView } from './areas.schema.ts';

// A force admin's areas (decision 0098): import from a boundary file (previewed first, applied in
// the caller's one transaction with one event), rename, re-set and remove.

/** What the console calls the file a refusal names a feature of. */
const FILE_LABEL = 'Boundary file';

type LiveArea = { id: string; name: string; kind: 'district' | 'beat'; setting: 'urban' | 'rural' };

/** A boundary file read and checked, with the admin's choices for its features (`readAreaFile`). */
export type AreaFileRead = { features: BoundaryFeature[]; warnings: string[] };

/**
 * Reads and checks the file of an import or its preview; refuses a file that cannot be used, naming
 * each feature, and choices for no area of the file. Done before the transaction: the check of a
 * large file takes many turns of the event loop (decision 0105) and holds no connection meanwhile.
 */
export async function readAreaFile(body: AreaImportBody, work?: CheckWork): Promise<AreaFileRead> {
  let read;
  try {
    read = await readBoundaryFile(body.format, body.text, work);
  } catch (error) {
    if (!(error instanceof BoundaryFileRefused)) throw error;
    // Named as the console's input is: "Boundary file: feature 2 (Bow tie): …", not by the key of the text.
    const fields = error.issues.map((issue) => ({ path: issue.feature === null ? 'body.text' : `body.text.features.${issue.feature}`, label: FILE_LABEL, message: describeIssue(issue) }));
    throw new AppError('validation_failed', error.message, { fields, publicMessage: 'The file cannot be imported.' });
  }
  refuseStrayChoices(body.features ?? [], new Set(read.features.map((feature) => feature.index)));
  return read;
}

/** The file read (`readAreaFile`) and planned against the force's live areas. */
export async function previewAreaImport(tx: Tx, forceId: ForceId, body: AreaImportBody, read: AreaFileRead): Promise<AreaImportPreview & { planned: PlannedArea[]; live: LiveArea[] }> {
  const planned = planAreas(read.features, body);
  const live = await liveAreas(tx, forceId);
  const byKey = new Map(live.map((area) => [keyOf(area.kind, area.name), area]));
  const features = planned.map((area) => ({
    index: area.feature.index,
    name: area.name,
    kind: area.kind,
    setting: area.setting,
    skip: area.skip,
    action: area.skip || area.problem || !area.name || !area.kind ? null : byKey.has(keyOf(area.kind, area.name)) ? ('reshape' as const) : ('draw' as const),
    problem: area.problem,
    positions: area.feature.vertices,
    properties: area.feature.properties,
    geometry: area.feature.geometry,
  }));
  const ready = features.some((f) => f.action !== null) && features.every((f) => f.skip || f.action !== null);
  return { features, warnings: read.warnings, ready, planned, live };
}

/**
 * Imports the file as previewed: draws each new area and gives each live area of the same kind and
 * name its new shape and setting (incidents keep the district they were recorded in), as one
 * event. Refused whole, with each feature's reason, when any feature is not ready; refused when the
 * preview warned and the admin did not confirm.
 */
export async function importAreas(tx: Tx, forceId: ForceId, clock: Clock, body: AreaImportBody, read: AreaFileRead, actorStaffId: string): Promise<AreaImportResult> {
  const preview = await previewAreaImport(tx, forceId, body, read);
  const notReady = preview.features.filter((f) => !f.skip && f.action === null);
  if (notReady.length > 0) {
    const fields = notReady.map((f) => ({ path: `body.text.features.${f.index}`, label: FILE_LABEL, message: describeIssue({ feature: f.index, name: f.name, message: f.problem ?? 'not ready' }) }));
    throw new AppError('validation_failed', fields.map((f) => f.message).join('; '), { fields, publicMessage: 'Some areas are not ready to import.' });
  }
  if (preview.warnings.length > 0 && body.confirmWarnings !== true) {
    throw new AppError('validation_failed', `confirm the warnings first: ${preview.warnings.join(' ')}`, {
      fields: [{ path: 'body.confirmWarnings', message: `Confirm the warnings first: ${preview.warnings.join(' ')}` }],
      publicMessage: 'Nothing was imported: the preview warned, and the warnings were not confirmed.',
    });
  }
  const byKey = new Map(preview.live.map((area) => [keyOf(area.kind, area.name), area]));
  const now = clock.now();
  const drawn: { id: string; name: string; kind: 'district' | 'beat'; setting: 'urban' | 'rural' }[] = [];
  const reshaped: { id: string; name: string; kind: 'district' | 'beat'; setting: 'urban' | 'rural'; settingBefore: 'urban' | 'rural' }[] = [];
  let positions = 0;
  for (const area of preview.planned) {
    if (area.skip || !area.name || !area.kind || !area.setting) continue;
    positions += area.feature.vertices;
    const geometry = JSON.stringify(area.feature.geometry);
    const existing = byKey.get(keyOf(area.kind, area.name));
    if (existing) {
      moveArea('live', { type: 'reshape' }, existing.name);
      await tx.updateTable('areas').set({ geometry, setting: area.setting }).where('force_id', '=', forceId).where('id', '=', existing.id).execute();
      reshaped.push({ id: existing.id, name: existing.name, kind: existing.kind, setting: area.setting, settingBefore: existing.setting });
    } else {
      moveArea('new', { type: 'draw' }, area.name);
      const id = randomUUID();
      await insertArea(tx, { id, force_id: forceId, name: area.name, kind: area.kind, setting: area.setting, geometry, created_at: now });
      drawn.push({ id, name: area.name, kind: area.kind, setting: area.setting });
    }
  }
  record(tx, forceId, clock, areasImported.of({ actor: { type: 'staff', id: actorStaffId }, subjectId: forceId, data: { format: body.format, drawn, reshaped, positions } }));
  return { drawn: drawn.map(({ id, name, kind }) => ({ id, name, kind })), reshaped: reshaped.map(({ id, name, kind }) => ({ id, name, kind })) };
}

/** Renames a live area or gives it another setting, as one event naming each change; a change that changes nothing records nothing. */
export async function changeArea(tx: Tx, forceId: ForceId, clock: Clock, areaId: string, body: ChangeAreaBody, actorStaffId: string): Promise<AreaView> {
  const area = await lockArea(tx, forceId, areaId);
  moveArea(area.removed_at ? 'removed' : 'live', { type: 'change' }, area.name);
  const name = body.name !== undefined && body.name !== area.name ? { from: area.name, to: body.name } : undefined;
  const setting = body.setting !== undefined && body.setting !== area.setting ? { from: area.setting, to: body.setting } : undefined;
  if (name || setting) {
    if (name) {
      // Letter case aside, as the database's index holds it (migration 0059): "north" clashes with "North".
      const clash = await tx
        .selectFrom('areas')
        .select('name')
        .where('force_id', '=', forceId)
        .where('kind', '=', area.kind)
        .where(sql<string>`lower(name)`, '=', sql<string>`lower(${name.to})`)
        .where('removed_at', 'is', null)
        .where('id', '!=', area.id)
        .executeTakeFirst();
      if (clash) throw nameTaken(area.kind, clash.name);
    }
    await tx
      .updateTable('areas')
      .set({ ...(name ? { name: name.to } : {}), ...(setting ? { setting: setting.to } : {}) })
      .where('force_id', '=', forceId)
      .where('id', '=', area.id)
      .execute()
      .catch((error: unknown) => {
        // Another admin gave an area this name meanwhile, in a transaction that committed first.
        if (isUniqueViolation(error)) throw nameTaken(area.kind, name?.to ?? area.name);
        throw error;
      });
    record(tx, forceId, clock, areaChanged.of({ actor: { type: 'staff', id: actorStaffId }, subjectId: area.id, data: { kind: area.kind, ...(name ? { name } : {}), ...(setting ? { setting } : {}) } }));
  }
  return { id: area.id, name: name?.to ?? area.name, kind: area.kind, setting: setting?.to ?? area.setting, geometry: area.geometry };
}

/**
 * Removes a live area from every look-up and list, as one event. It is kept, not deleted: the
 * incidents recorded in it keep its name and their response reports, and units based there keep it.
 */
export async function removeArea(tx: Tx, forceId: ForceId, clock: Clock, areaId: string, actorStaffId: string): Promise<void> {
  const area = await lockArea(tx, forceId, areaId);
  moveArea(area.removed_at ? 'removed' : 'live', { type: 'remove' }, area.name);
  const column = area.kind === 'district' ? 'district_id' : 'beat_id';
  const counted = await tx.selectFrom('incidents').select((eb) => eb.fn.countAll<string>().as('n')).where('force_id', '=', forceId).where(column, '=', area.id).executeTakeFirstOrThrow();
  await tx.updateTable('areas').set({ removed_at: clock.now() }).where('force_id', '=', forceId).where('id', '=', area.id).execute();
  record(tx, forceId, clock, areaRemoved.of({ actor: { type: 'staff', id: actorStaffId }, subjectId: area.id, data: { name: area.name, kind: area.kind, incidentsNamingIt: Number(counted.n) } }));
}

/** Each feature's choice must name one area of the file, once: a choice for another would be silently lost (decision 0100). */
function refuseStrayChoices(choices: readonly { index: number }[], areaIndexes: ReadonlySet<number>): void {
  const seen = new Set<number>();
  const fields = choices.flatMap((choice, at) => {
    const problem = !areaIndexes.has(choice.index) ? `the file has no area numbered ${choice.index + 1}` : seen.has(choice.index) ? `area ${choice.index + 1} is chosen for twice` : null;
    seen.add(choice.index);
    return problem ? [{ path: `body.features.${at}.index`, message: problem }] : [];
  });
  if (fields.length > 0) throw new AppError('validation_failed', fields.map((f) => f.message).join('; '), { fields });
}

async function liveAreas(tx: Tx, forceId: ForceId): Promise<LiveArea[]> {
  return tx.selectFrom('areas').select(['id', 'name', 'kind', 'setting']).where('force_id', '=', forceId).where('removed_at', 'is', null).execute();
}

async function lockArea(tx: Tx, forceId: ForceId, areaId: string) {
  const area = await tx
    .selectFrom('areas')
    .select(['id', 'name', 'kind', 'setting', 'geometry', 'removed_at'])
    .where('force_id', '=', forceId)
    .where('id', '=', areaId)
    .forUpdate()
    .executeTakeFirst();
  if (!area) throw notFound('area');
  return area;
}

async function insertArea(tx: Tx, row: { id: string; force_id: string; name: string; kind: 'district' | 'beat'; setting: 'urban' | 'rural'; geometry: string; created_at: Date }): Promise<void> {
  try {
    await tx.insertInto('areas').values(row).execute();
  } catch (error) {
    // Another admin's import drew the same area meanwhile.
    if (isUniqueViolation(error)) throw conflict(`the ${row.kind} ${row.name} was drawn by someone else meanwhile; preview the file again`);
    throw error;
  }
}

/** A 409 on the field `name`: another live area of the kind has the name, letter case aside. */
function nameTaken(kind: string, name: string): AppError {
  const message = `another ${kind} is already called ${name}`;
  return new AppError('conflict', message, { publicMessage: message, fields: [{ path: 'body.name', message: `Another ${kind} is already called ${name}` }] });
}

/** Names compare as people read them: "Norwich City" and "norwich city" are one area. */
function keyOf(kind: string, name: string): string {
  return `${kind}\u0000${name.toLowerCase()}`;
}
