import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, invalid, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { locatePlace } from '../areas/areas.service.ts';
import { INCIDENT_ENDINGS, incidentRow, incidentState, isIncidentEnding, moveIncident, requireLiveIncident, type IncidentState } from './incident.machine.ts';
import { incidentContactLinked, incidentContactUnlinked, incidentMoveEvent, incidentNoteAdded } from './incidents.events.ts';
import { findContactsToLink } from '../contacts/contact-records.service.ts';
import { incidentReference, type CreateIncidentBody, type IncidentClock, type IncidentSummary, type IncidentView } from './incidents.schema.ts';
import { GRADE_LABELS } from '../grading/grading.schema.ts';
import type { Clock } from '../../platform/clock.ts';
import { incidentClocks, missesAwaitingReason, runningClocks, syncResponseClock } from './response-clocks.service.ts';
import { requireActiveCode } from './control-room-lists.service.ts';
import { listFleetCapabilities } from '../units/units.service.ts';
import { reportedUnitMovesFrom } from '../units/unit.machine.ts';
import { listUnitsSentTo } from '../units/unit-assignments.service.ts';
import { listEventsForSubjects } from '../../platform/events/event-log.ts';
import { incidentHistory } from './incident-history.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';


function incidentQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('incidents as i')
    .leftJoin('areas as d', 'd.id', 'i.district_id')
    .leftJoin('areas as b', 'b.id', 'i.beat_id')
    .selectAll('i')
    .select(['d.name as district_name', 'b.name as beat_name'])
    .where('i.force_id', '=', forceId);
}
type IncidentQueryRow = Awaited<ReturnType<ReturnType<typeof incidentQuery>['executeTakeFirstOrThrow']>>;

function toSummary(row: IncidentQueryRow, clock: IncidentClock | null, missedTargets: IncidentSummary['missedTargets']): IncidentSummary {
  return {
    id: row.id,
    number: row.number,
    reference: incidentReference(row.number),
    type: row.type,
    summary: row.summary,
    grade: row.grade ? { code: row.grade, label: GRADE_LABELS[row.grade] } : null,
    clock,
    missedTargets,
    status: row.status,
    closingCode: row.closing_code,
    location: {
      text: row.location_text,
      lat: row.lat,
      lon: row.lon,
      district: row.district_id ? { id: row.district_id, name: row.district_name ?? '' } : null,
      beat: row.beat_id ? { id: row.beat_id, name: row.beat_name ?? '' } : null,
    },
    requiredCapabilities: row.required_capabilities,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** An incident's state, locked for the move about to be made; not found if not this force's. */
export async function lockIncident(tx: Tx, forceId: ForceId, incidentId: string) {
  const row = await tx
    .selectFrom('incidents')
    .select(['id', 'number', 'type', 'summary', 'status', 'closing_code', 'lat', 'lon', 'required_capabilities'])
    .where('force_id', '=', forceId)
    .where('id', '=', incidentId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('incident');
  return { ...row, state: incidentState(row) };
}

/** Writes what the machine says the incident now is. */
export async function writeIncidentState(tx: Tx, forceId: ForceId, incidentId: string, state: IncidentState, now: Date): Promise<void> {
  const row = incidentRow(state);
  await tx
    .updateTable('incidents')
    .set({ ...row, updated_at: now, ...(isIncidentEnding(row.status) ? { ended_at: now } : {}) })
    .where('force_id', '=', forceId)
    .where('id', '=', incidentId)
    .execute();
}

/**
 * Refuses capabilities no unit of the force has: a misspelt one ("firearm") would leave no unit
 * ever recommended, and nobody told. The answer names the unknown ones and lists the known ones.
 */
export async function requireKnownCapabilities(tx: Tx, forceId: ForceId, capabilities: readonly string[]): Promise<void> {
  if (capabilities.length === 0) return;
  const known = await listFleetCapabilities(tx, forceId);
  const unknown = [...new Set(capabilities)].filter((capability) => !known.includes(capability));
  if (unknown.length === 0) return;
  const offered = known.length > 0 ? `the force's units have: ${known.join(', ')}` : 'no unit of this force has any capability yet';
  throw invalid('requiredCapabilities', `no unit of this force has ${unknown.join(', ')}; ${offered}`);
}

/** Checks the contacts are this force's and not already on a live incident; returns them. */
async function linkableContacts(tx: Tx, forceId: ForceId, contactIds: readonly string[]) {
  if (contactIds.length === 0) return [];
  const contacts = await findContactsToLink(tx, forceId, contactIds);
  if (contacts.length !== new Set(contactIds).size) throw notFound('contact');
  const linked = await tx
    .selectFrom('incident_contacts as l')
    .innerJoin('incidents as i', 'i.id', 'l.incident_id')
    .innerJoin('contacts as c', 'c.id', 'l.contact_id')
    .select(['c.reference', 'i.number'])
    .where('l.force_id', '=', forceId)
    .where('l.contact_id', 'in', contactIds)
    .where('l.unlinked_at', 'is', null)
    .executeTakeFirst();
  if (linked) throw conflict(`contact ${linked.reference} is already linked to ${incidentReference(linked.number)}; unlink it there first`);
  return contacts;
}

/** Adds links; a contact linked elsewhere by someone else a moment ago is a conflict (one live link per contact). */
async function insertLinks(tx: Tx, links: { id: string; force_id: string; incident_id: string; contact_id: string; linked_by: string; linked_at: Date }[]): Promise<void> {
  try {
    await tx.insertInto('incident_contacts').values(links).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('a contact was linked to another incident a moment ago; look at it before linking it here');
    throw error;
  }
}

async function nextIncidentNumber(tx: Tx, forceId: ForceId): Promise<number> {
  const row = await tx
    .insertInto('incident_numbers')
    .values({ force_id: forceId, last_number: 1 })
    .onConflict((oc) => oc.column('force_id').doUpdateSet((eb) => ({ last_number: eb('incident_numbers.last_number', '+', 1) })))
    .returning('last_number')
    .executeTakeFirstOrThrow();
  return row.last_number;
}

/**
 * Records an incident, from one or more contacts in one action or directly. Its place is put in
 * the force's district and beat when the force has drawn its areas; the first contact's summary and
 * location stand in for what the request leaves out.
 */
export async function createIncident(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, body: CreateIncidentBody): Promise<IncidentView> {
  const incidentId = await withForce(deps.db, forceId, (tx) => insertIncident(tx, forceId, deps.clock, staffId, body));
  return getIncident(deps, forceId, incidentId);
}

/** Records an incident in the caller's transaction (see `createIncident`) and starts its countdown; returns its id. */
export async function insertIncident(tx: Tx, forceId: ForceId, clock: Clock, staffId: StaffId, body: CreateIncidentBody): Promise<string> {
  const contactIds = [...new Set(body.contactIds)];
  const incidentId = newId();
  const now = clock.now();
  await requireActiveCode(tx, forceId, 'incident_types', body.type, 'type');
  await requireKnownCapabilities(tx, forceId, body.requiredCapabilities);
  const requiredCapabilities = [...new Set(body.requiredCapabilities)];
  const contacts = await linkableContacts(tx, forceId, contactIds);
  const first = contacts.find((contact) => contact.id === contactIds[0]);
  const summary = body.summary ?? first?.summary ?? '';
  if (summary === '' && contactIds.length === 0) throw invalid('summary', 'say what happened, or name the contacts it comes from');
  const place = body.lat !== undefined && body.lon !== undefined ? await locatePlace(tx, forceId, body.lat, body.lon) : { district: null, beat: null };
  const number = await nextIncidentNumber(tx, forceId);
  const transition = moveIncident({ status: 'new' }, { type: 'create' });
  await tx
    .insertInto('incidents')
    .values({
      id: incidentId,
      force_id: forceId,
      number,
      type: body.type,
      summary: summary.slice(0, 2000),
      location_text: body.locationText ?? first?.location ?? null,
      lat: body.lat ?? null,
      lon: body.lon ?? null,
      district_id: place.district?.id ?? null,
      beat_id: place.beat?.id ?? null,
      grade: body.grade ?? null,
      required_capabilities: requiredCapabilities,
      ...incidentRow(transition.to),
      created_by: staffId,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (contactIds.length > 0) {
    await insertLinks(tx, contactIds.map((contactId) => ({ id: newId(), force_id: forceId, incident_id: incidentId, contact_id: contactId, linked_by: staffId, linked_at: now })));
  }
  record(
    tx,
    forceId,
    clock,
    incidentMoveEvent(transition, {
      actor: { type: 'staff', id: staffId },
      incidentId,
      data: { number, incidentType: body.type, grade: body.grade ?? null, contactIds, districtId: place.district?.id ?? null, beatId: place.beat?.id ?? null },
    }),
  );
  await syncResponseClock(tx, forceId, clock, incidentId, 'created');
  return incidentId;
}

/** Links another contact about the same event: linked, not duplicated. */
export async function linkContact(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, contactId: string): Promise<IncidentView> {
  await withForce(deps.db, forceId, async (tx) => {
    const incident = await lockIncident(tx, forceId, incidentId);
    requireLiveIncident(incident.state, 'linking a contact');
    await linkableContacts(tx, forceId, [contactId]);
    await insertLinks(tx, [{ id: newId(), force_id: forceId, incident_id: incidentId, contact_id: contactId, linked_by: staffId, linked_at: deps.clock.now() }]);
    record(tx, forceId, deps.clock, incidentContactLinked.of({ actor: { type: 'staff', id: staffId }, subjectId: incidentId, data: { contactId } }));
  });
  return getIncident(deps, forceId, incidentId);
}

/** Unlinks a contact linked by mistake; the link stays on record as undone. Refused once the incident has ended, as notes are. */
export async function unlinkContact(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, contactId: string, reason: string): Promise<IncidentView> {
  await withForce(deps.db, forceId, async (tx) => {
    const incident = await lockIncident(tx, forceId, incidentId);
    requireLiveIncident(incident.state, 'unlinking a contact');
    const now = deps.clock.now();
    const undone = await tx
      .updateTable('incident_contacts')
      .set({ unlinked_at: now, unlinked_by: staffId })
      .where('force_id', '=', forceId)
      .where('incident_id', '=', incidentId)
      .where('contact_id', '=', contactId)
      .where('unlinked_at', 'is', null)
      .executeTakeFirst();
    if (undone.numUpdatedRows === 0n) throw notFound('linked contact');
    record(tx, forceId, deps.clock, incidentContactUnlinked.of({ actor: { type: 'staff', id: staffId }, subjectId: incidentId, data: { contactId, reason } }));
  });
  return getIncident(deps, forceId, incidentId);
}

/** Adds a note to the incident's running log. */
export async function addIncidentNote(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, incidentId: string, body: string): Promise<IncidentView> {
  await withForce(deps.db, forceId, async (tx) => {
    const incident = await lockIncident(tx, forceId, incidentId);
    requireLiveIncident(incident.state, 'adding a note');
    const noteId = newId();
    await tx.insertInto('incident_notes').values({ id: noteId, force_id: forceId, incident_id: incidentId, body, author_id: staffId, created_at: deps.clock.now() }).execute();
    record(tx, forceId, deps.clock, incidentNoteAdded.of({ actor: { type: 'staff', id: staffId }, subjectId: incidentId, data: { noteId } }));
  });
  return getIncident(deps, forceId, incidentId);
}

/** How many incidents the list of all of them returns: the latest, newest first. */
export const ALL_INCIDENTS_LIMIT = 200;

/**
 * The force's incidents, newest first: every live one (the dispatcher's board; none is left out,
 * however many newer ones a surge brings, since the oldest are the most overdue), or the latest
 * of all of them, ended ones included.
 */
export async function listIncidents(deps: ServiceDeps, forceId: ForceId, which: 'live' | 'all'): Promise<IncidentSummary[]> {
  return withForce(deps.db, forceId, async (tx) => {
    let query = incidentQuery(tx, forceId).orderBy('i.created_at', 'desc').orderBy('i.number', 'desc');
    query = which === 'live' ? query.where('i.status', 'not in', INCIDENT_ENDINGS) : query.limit(ALL_INCIDENTS_LIMIT);
    const rows = await query.execute();
    const ids = rows.map((row) => row.id);
    const [clocks, misses] = await Promise.all([runningClocks(tx, forceId, ids), missesAwaitingReason(tx, forceId, ids)]);
    return rows.map((row) => toSummary(row, clocks.get(row.id) ?? null, misses.get(row.id) ?? []));
  });
}

/** One incident with its contacts, notes and units. */
export async function getIncident(deps: ServiceDeps, forceId: ForceId, incidentId: string): Promise<IncidentView> {
  return withForce(deps.db, forceId, (tx) => loadIncident(tx, forceId, incidentId));
}

export async function loadIncident(tx: Tx, forceId: ForceId, incidentId: string): Promise<IncidentView> {
  const row = await incidentQuery(tx, forceId).where('i.id', '=', incidentId).executeTakeFirst();
  if (!row) throw notFound('incident');
  const [contacts, notes, units, clocks, running, misses, history] = await Promise.all([
    tx
      .selectFrom('incident_contacts as l')
      .innerJoin('contacts as c', 'c.id', 'l.contact_id')
      .select(['l.contact_id', 'c.reference', 'l.linked_at', 'l.unlinked_at'])
      .where('l.force_id', '=', forceId)
      .where('l.incident_id', '=', incidentId)
      .orderBy('l.linked_at')
      .orderBy('c.reference')
      .execute(),
    tx.selectFrom('incident_notes').select(['id', 'body', 'author_id', 'created_at']).where('force_id', '=', forceId).where('incident_id', '=', incidentId).orderBy('created_at').orderBy('seq', storedFirst).orderBy('id').execute(),
    listUnitsSentTo(tx, forceId, incidentId),
    incidentClocks(tx, forceId, incidentId),
    runningClocks(tx, forceId, [incidentId]),
    missesAwaitingReason(tx, forceId, [incidentId]),
    loadHistory(tx, forceId, { id: incidentId, mergedIntoId: row.merged_into_id }),
  ]);
  return {
    ...toSummary(row, running.get(incidentId) ?? null, misses.get(incidentId) ?? []),
    contacts: contacts.map((c) => ({ contactId: c.contact_id, reference: c.reference, linkedAt: c.linked_at.toISOString(), unlinkedAt: c.unlinked_at?.toISOString() ?? null })),
    notes: notes.map((n) => ({ id: n.id, body: n.body, authorId: n.author_id, createdAt: n.created_at.toISOString() })),
    // A unit's status is its own now; for an assignment it has cleared from, it is `cleared`, with
    // no moves: the moves of a unit still committed here are its machine's (decision 0083).
    units: units.map((u) => ({
      unitId: u.unitId,
      callSign: u.callSign,
      status: u.clearedAt ? 'cleared' : u.state.status,
      moves: u.clearedAt ? [] : reportedUnitMovesFrom(u.state),
      assignedAt: u.assignedAt.toISOString(),
      clearedAt: u.clearedAt?.toISOString() ?? null,
    })),
    clocks,
    mergedIntoId: row.merged_into_id,
    history,
  };
}

async function loadHistory(tx: Tx, forceId: ForceId, incident: { id: string; mergedIntoId: string | null }) {
  const events = await listEventsForSubjects(tx, forceId, [{ type: 'incident', id: incident.id }]);
  const staffIds = [...new Set(events.flatMap((e) => (e.actorType === 'staff' && e.actorId ? [e.actorId] : [])))];
  const [staff, types, codes, related] = await Promise.all([
    staffIds.length > 0 ? tx.selectFrom('staff').select(['id', 'name']).where('force_id', '=', forceId).where('id', 'in', staffIds).execute() : [],
    tx.selectFrom('incident_types').select(['code', 'label']).where('force_id', '=', forceId).execute(),
    tx.selectFrom('closing_codes').select(['code', 'label']).where('force_id', '=', forceId).execute(),
    // The duplicates merged into it, and the one it was merged into: their references name them.
    tx
      .selectFrom('incidents')
      .select(['id', 'number'])
      .where('force_id', '=', forceId)
      .where((eb) => eb.or([eb('merged_into_id', '=', incident.id), ...(incident.mergedIntoId ? [eb('id', '=', incident.mergedIntoId)] : [])]))
      .execute(),
  ]);
  return incidentHistory(events, {
    staff: new Map(staff.map((s) => [s.id, s.name])),
    incidentTypes: new Map(types.map((t) => [t.code, t.label])),
    closingCodes: new Map(codes.map((c) => [c.code, c.label])),
    incidents: new Map(related.map((r) => [r.id, incidentReference(r.number)])),
    mergedIntoId: incident.mergedIntoId,
  });
}
