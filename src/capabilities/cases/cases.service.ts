import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type CaseId, type ForceId, type StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { inReferenceOrder, nextReferences } from '../../platform/references.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { caseCreated } from './case.events.ts';
import { findContactToOpenCaseFrom } from '../contacts/contact-records.service.ts';
import { addNamedVictims, addReportersAsVictims, readCasePeople, type CasePersonView } from './case-people.service.ts';

export { seedCaseCatalogues } from './case-catalogues.repository.ts';
import { caseRow, moveCase, type CaseStatus, type SuspectStage } from './case.machine.ts';
import { findCaseTimelineEvents, findPeopleEverVictimsOf } from './case-timeline.repository.ts';

// Cases: recorded from a contact, directly, or by the force's records system; moved through the
// case's machine by investigators. Every move is one event; the row keeps the state for reads.

/**
 * Creates the case for a contact (one per contact), with its reporter as its victim unless the
 * officer says they are not; the victim's "report received" message follows from its event.
 */
export async function createCaseFromContact(
  deps: ServiceDeps,
  forceId: ForceId,
  contactId: string,
  staffId: StaffId,
  options: { isReporterVictim?: boolean | undefined } = {},
): Promise<{ id: CaseId; reference: string }> {
  return withForce(deps.db, forceId, async (tx) => {
    const contact = await findContactToOpenCaseFrom(tx, forceId, contactId);
    if (!contact) throw notFound('contact');
    const existing = await tx
      .selectFrom('cases')
      .select(['reference'])
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .executeTakeFirst();
    if (existing) throw conflict(`case ${existing.reference} already exists for this contact`);
    return insertCase(tx, deps, forceId, { type: 'staff', id: staffId }, {
      contactId,
      contactReference: contact.reference,
      personId: contact.person_id,
      isReporterVictim: options.isReporterVictim ?? true,
    });
  });
}

export type NewCase = { crimeType?: string | null; summary?: string; victims?: { name: string; enhancedRights?: boolean }[] };

/** Records a case directly (an investigator, or a crime reported outside Bluelamp). */
export async function createCase(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, input: NewCase): Promise<{ id: CaseId; reference: string }> {
  return withForce(deps.db, forceId, async (tx) => {
    if (input.crimeType) await requireCrimeType(tx, forceId, input.crimeType);
    const actor = { type: 'staff', id: staffId } as const;
    const created = await insertCase(tx, deps, forceId, actor, { crimeType: input.crimeType ?? null, summary: input.summary ?? '' });
    record(tx, forceId, deps.clock, ...(await addNamedVictims(tx, deps.clock, forceId, actor, created.id, input.victims ?? [])));
    return created;
  });
}

/** What a new case is made from (see `insertCase`). */
export type CaseToInsert = {
  contactId?: string;
  contactReference?: string;
  personId?: string | null;
  crimeType?: string | null;
  summary?: string;
  records?: { system: string; reference: string; updatedAt: Date; status?: string | null };
  /** A draft made for an online report, before a person has processed it. */
  isOnlineReportDraft?: boolean;
  /** Whether `personId` (the reporter) is recorded as the case's victim: yes unless said otherwise. */
  isReporterVictim?: boolean;
};

/** Inserts a recorded case and its creation event, in the caller's transaction. */
export async function insertCase(tx: Tx, deps: Pick<ServiceDeps, 'clock'>, forceId: ForceId, actor: Actor, values: CaseToInsert): Promise<{ id: CaseId; reference: string }> {
  const [created] = await insertCases(tx, deps, forceId, actor, [values]);
  if (!created) throw new Error('the case was not inserted');
  record(tx, forceId, deps.clock, created.event, ...created.peopleEvents);
  return { id: created.id, reference: created.reference };
}

/**
 * Inserts several recorded cases with a few statements (their references, the rows, their
 * reporters as victims), in the caller's transaction, and returns each with its creation event
 * and its people's events for the caller to record (so a batch can keep each case's events
 * beside the events of the same piece of work).
 */
export async function insertCases(
  tx: Tx,
  deps: Pick<ServiceDeps, 'clock'>,
  forceId: ForceId,
  actor: Actor,
  cases: readonly CaseToInsert[],
): Promise<{ id: CaseId; reference: string; event: NewEvent; peopleEvents: NewEvent[] }[]> {
  if (cases.length === 0) return [];
  const { to } = moveCase({ status: 'new' }, { type: 'record' });
  const references = await nextReferences(tx, forceId, deps.clock, 'case', cases.length);
  const now = deps.clock.now();
  const made = cases.map((values, i) => {
    const reference = references[i];
    if (!reference) throw new Error('a case lost its reference');
    return { id: newId<CaseId>(), reference, values };
  });
  await tx
    .insertInto('cases')
    .values(
      made.map(({ id, reference, values }) => ({
        id,
        force_id: forceId,
        reference,
        contact_id: values.contactId ?? null,
        person_id: values.personId ?? null,
        ...caseRow(to),
        crime_type: values.crimeType ?? null,
        summary: values.summary ?? '',
        closed_reason: null,
        officer_in_case: null,
        team: null,
        records_system: values.records?.system ?? null,
        records_reference: values.records?.reference ?? null,
        records_updated_at: values.records?.updatedAt ?? null,
        records_status: values.records?.status ?? null,
        created_at: now,
        updated_at: now,
        created_by: actor.type === 'staff' ? actor.id : null,
      })),
    )
    .execute();
  const reporters = made.flatMap(({ id, values }) => (values.personId && values.isReporterVictim !== false ? [{ caseId: id, personId: values.personId }] : []));
  const peopleEvents = await addReportersAsVictims(tx, deps.clock, forceId, actor, reporters);
  return made.map(({ id, reference, values }) => ({
    id,
    reference,
    peopleEvents: peopleEvents.filter((e) => e.subject.id === id),
    event: caseCreated.of({
      actor,
      subjectId: id,
      data: {
        reference,
        contactId: values.contactId ?? null,
        contactReference: values.contactReference ?? null,
        crimeType: values.crimeType ?? null,
        source: values.isOnlineReportDraft ? 'online_report' : values.records ? 'records_system' : 'staff',
      },
    }),
  }));
}

/** Refuses a crime type the force does not have, or has retired. */
export async function requireCrimeType(tx: Tx, forceId: ForceId, code: string): Promise<void> {
  const found = await tx.selectFrom('crime_types').select('code').where('force_id', '=', forceId).where('code', '=', code).where('active', '=', true).executeTakeFirst();
  if (!found) throw invalid('crimeType', `is not one of the force's crime types (${code})`);
}

export type CaseSummary = {
  id: string;
  reference: string;
  status: CaseStatus;
  crimeType: string | null;
  summary: string;
  officerInCase: string | null;
  team: string | null;
  suspect: SuspectStage;
  charged: boolean;
  outcomeCode: string | null;
  contactId: string | null;
  recordsReference: string | null;
  createdAt: string;
  updatedAt: string;
};
export type CaseView = CaseSummary & {
  closedReason: string | null;
  people: CasePersonView[];
  timeline: { at: string; type: string; actor: string; note: string | null; details: Record<string, string> }[];
  /** How many older events the timeline leaves out (0 when it has them all). */
  olderEventsLeftOut: number;
};

const SUMMARY_COLUMNS = [
  'id',
  'reference',
  'status',
  'crime_type',
  'summary',
  'officer_in_case',
  'team',
  'suspect_stage',
  'charged',
  'outcome_code',
  'contact_id',
  'records_reference',
  'created_at',
  'updated_at',
] as const;

type SummaryRow = {
  id: string;
  reference: string;
  status: CaseStatus;
  crime_type: string | null;
  summary: string;
  officer_in_case: string | null;
  team: string | null;
  suspect_stage: SuspectStage;
  charged: boolean;
  outcome_code: string | null;
  contact_id: string | null;
  records_reference: string | null;
  created_at: Date;
  updated_at: Date;
};

function summaryOf(row: SummaryRow): CaseSummary {
  return {
    id: row.id,
    reference: row.reference,
    status: row.status,
    crimeType: row.crime_type,
    summary: row.summary,
    officerInCase: row.officer_in_case,
    team: row.team,
    suspect: row.suspect_stage,
    charged: row.charged,
    outcomeCode: row.outcome_code,
    contactId: row.contact_id,
    recordsReference: row.records_reference,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The event a victim's case sign-in ending appends (victim-portal's, decision 0180): named here, as the timeline reads the log's types. */
const CASE_SIGN_IN_ENDED = 'portal_sign_in.case_ended';
/** A victim's sign-in to the case page, and its ending: each names the person by their id alone. */
const CASE_SIGN_IN_EVENTS: ReadonlySet<string> = new Set(['portal.case_access_granted', CASE_SIGN_IN_ENDED]);

/**
 * Whose sign-in it was, in the timeline entry's details (decision 0209), from this case's own people:
 * `victim` `on_case` with `victimName` as its people panel names them (its first victim row for the
 * person); `removed`, a victim of it no longer; `reporter`, its reporter, never its victim; or
 * `unknown`, anyone else, claiming no role. Only a current victim is named, and no id reaches the console.
 */
function signInVictimDetails(personId: unknown, people: readonly CasePersonView[], everVictims: ReadonlySet<string>, reporterId: string | null): Record<string, string> {
  const victim = people.find((p) => p.role === 'victim' && p.personId !== null && p.personId === personId);
  if (victim) return { victim: 'on_case', victimName: victim.name };
  if (typeof personId !== 'string') return { victim: 'unknown' };
  if (everVictims.has(personId)) return { victim: 'removed' };
  return { victim: personId === reporterId ? 'reporter' : 'unknown' };
}

/** A case with its people and its timeline: its newest events (up to `TIMELINE_LIMIT`), oldest first, and how many older ones were left out. */
export async function readCase(tx: Tx, forceId: ForceId, caseId: string): Promise<CaseView> {
  const row = await tx.selectFrom('cases').select([...SUMMARY_COLUMNS, 'closed_reason', 'person_id']).where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
  if (!row) throw notFound('case');
  const people = await readCasePeople(tx, forceId, caseId);
  const { events, olderEventsLeftOut } = await findCaseTimelineEvents(tx, forceId, caseId);
  const signedIn = events.flatMap((e) => {
    const personId = (e.data as { personId?: unknown }).personId;
    return CASE_SIGN_IN_EVENTS.has(e.type) && typeof personId === 'string' ? [personId] : [];
  });
  const everVictims = await findPeopleEverVictimsOf(tx, forceId, caseId, [...new Set(signedIn)]);
  return {
    ...summaryOf(row),
    closedReason: row.closed_reason,
    olderEventsLeftOut,
    people,
    timeline: events.map((e) => {
      const data = e.data as { note?: unknown; details?: unknown; how?: unknown; personId?: unknown };
      const details = data.details && typeof data.details === 'object' ? (data.details as Record<string, string>) : {};
      // A victim's sign-in, and how it ended (signed out, signed in again, asked for a code), with
      // whose it was, so staff can tell one victim from another; ids stay off the timeline (decision 0209).
      if (CASE_SIGN_IN_EVENTS.has(e.type)) {
        const who = signInVictimDetails(data.personId, people, everVictims, row.person_id);
        const how: Record<string, string> = e.type === CASE_SIGN_IN_ENDED && typeof data.how === 'string' ? { how: data.how } : {};
        return { at: e.occurred_at.toISOString(), type: e.type, actor: e.actor_type, note: null, details: { ...how, ...who } };
      }
      return { at: e.occurred_at.toISOString(), type: e.type, actor: e.actor_type, note: typeof data.note === 'string' ? data.note : null, details };
    }),
  };
}

export async function getCase(deps: ServiceDeps, forceId: ForceId, caseId: string): Promise<CaseView> {
  return withForce(deps.db, forceId, (tx) => readCase(tx, forceId, caseId));
}

/** Cases, most recently changed first: the investigator's own (open), or all open, or all. */
export async function listCases(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, which: 'mine' | 'open' | 'all'): Promise<CaseSummary[]> {
  return withForce(deps.db, forceId, async (tx) => {
    let query = tx.selectFrom('cases').select(SUMMARY_COLUMNS).where('force_id', '=', forceId);
    if (which !== 'all') query = query.where('status', '!=', 'closed');
    if (which === 'mine') query = query.where('officer_in_case', '=', staffId);
    // Cases changed at one time (one transaction, one microsecond) newest numbered first (decision 0169).
    return (await query.orderBy('updated_at', 'desc').orderBy(inReferenceOrder('reference', 'desc')).limit(200).execute()).map(summaryOf);
  });
}

/** The force's crime and outcome types, for forms. */
export async function caseCatalogues(deps: ServiceDeps, forceId: ForceId) {
  return withForce(deps.db, forceId, async (tx) => ({
    crimeTypes: (await tx.selectFrom('crime_types').select(['code', 'group_label', 'label', 'label_cy']).where('force_id', '=', forceId).where('active', '=', true).orderBy('position').execute()).map(
      (t) => ({ code: t.code, group: t.group_label, label: t.label, labelCy: t.label_cy }),
    ),
    outcomeTypes: (await tx.selectFrom('case_outcome_types').select(['code', 'label', 'label_cy']).where('force_id', '=', forceId).where('active', '=', true).orderBy('position').execute()).map(
      (t) => ({ code: t.code, label: t.label, labelCy: t.label_cy }),
    ),
  }));
}
