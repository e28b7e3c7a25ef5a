import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import { record } from '../../platform/events/recorder.ts';
import { inReferenceOrder } from '../../platform/references.ts';
import { listPortalReportsSince } from '../contacts/contact-records.service.ts';
import { onlineReportClassified, onlineReportClockBreached, onlineReportProcessed, type OnlineReportClock } from './online-report.events.ts';
import type { SuggestionReason } from '../../platform/db/case-tables.ts';

// The online-report processing queue: every portal report has a draft case (drafted by
// online-reports.jobs.ts); a person processes it (confirms or amends the draft) within the first
// clock and classifies it (sets its crime type) within the second. The dashboard shows that every
// report is accounted for.

export type ClockView = { dueAt: string; doneAt: string | null; isPastDue: boolean; breachedAt: string | null };
export type OnlineReportView = {
  contactId: string;
  contactReference: string;
  caseId: string;
  caseReference: string;
  summary: string;
  receivedAt: string;
  draftedAt: string;
  stage: 'drafted' | 'processed' | 'classified';
  suggestedCrimeType: string | null;
  reasons: SuggestionReason[];
  crimeType: string | null;
  processed: ClockView;
  classified: ClockView;
};

function clockOf(dueAt: Date, doneAt: Date | null, breachedAt: Date | null, now: Date): ClockView {
  // Past due: done late, or not done and the time has passed.
  const isPastDue = doneAt ? doneAt > dueAt : now > dueAt;
  // A breach is marked when found (its check, or the step done late while the check was behind),
  // but the target was missed at its due time: that is when it says it was breached.
  return { dueAt: dueAt.toISOString(), doneAt: doneAt?.toISOString() ?? null, isPastDue, breachedAt: breachedAt ? dueAt.toISOString() : null };
}

/**
 * A step done past its clock's due time that no check has breached (the worker was behind or
 * down) breaches the clock as it stops, as its check would have; done in time, nothing. Judged
 * from the report's row already locked, so a step in time costs nothing more.
 */
function breachFoundAtStop(
  contactId: string,
  report: { clock: OnlineReportClock; dueAt: Date; breachedAt: Date | null; caseId: string },
  now: Date,
) {
  // Late as the step's own event counts it (`isLate`), and as the queue's `isPastDue` does.
  if (report.breachedAt !== null || now <= report.dueAt) return null;
  return onlineReportClockBreached.of({ actor: { type: 'system', id: null }, subjectId: contactId, data: { clock: report.clock, dueAt: report.dueAt.toISOString(), caseId: report.caseId } });
}

function reportsQuery(tx: Tx, forceId: ForceId) {
  return tx
    .selectFrom('online_report_processing as p')
    .innerJoin('cases as k', 'k.id', 'p.case_id')
    .innerJoin('contacts as c', 'c.id', 'p.contact_id')
    .select([
      'p.contact_id',
      'c.reference as contact_reference',
      'p.case_id',
      'k.reference as case_reference',
      'k.summary',
      'p.received_at',
      'p.drafted_at',
      'p.suggested_crime_type',
      'p.suggestion_reasons',
      'p.crime_type',
      'p.processed_due_at',
      'p.processed_at',
      'p.processed_breached_at',
      'p.classified_due_at',
      'p.classified_at',
      'p.classified_breached_at',
    ])
    .where('p.force_id', '=', forceId);
}

type ReportRow = Awaited<ReturnType<ReturnType<typeof reportsQuery>['executeTakeFirstOrThrow']>>;

function viewOf(row: ReportRow, now: Date): OnlineReportView {
  return {
    contactId: row.contact_id,
    contactReference: row.contact_reference,
    caseId: row.case_id,
    caseReference: row.case_reference,
    summary: row.summary.slice(0, 500),
    receivedAt: row.received_at.toISOString(),
    draftedAt: row.drafted_at.toISOString(),
    stage: row.classified_at ? 'classified' : row.processed_at ? 'processed' : 'drafted',
    suggestedCrimeType: row.suggested_crime_type,
    reasons: row.suggestion_reasons,
    crimeType: row.crime_type,
    processed: clockOf(row.processed_due_at, row.processed_at, row.processed_breached_at, now),
    classified: clockOf(row.classified_due_at, row.classified_at, row.classified_breached_at, now),
  };
}

/** The queue: reports not yet classified (or all of the last `days`), oldest first, with their clocks. */
export async function listOnlineReports(deps: ServiceDeps, forceId: ForceId, which: 'open' | 'all'): Promise<OnlineReportView[]> {
  return withForce(deps.db, forceId, async (tx) => {
    let query = reportsQuery(tx, forceId);
    if (which === 'open') query = query.where('p.classified_at', 'is', null);
    else query = query.where('p.received_at', '>=', new Date(deps.clock.now().getTime() - 7 * 24 * 3_600_000));
    // Reports received at one time come in the order their contacts were numbered (decision 0169).
    const rows = await query.orderBy('p.received_at').orderBy(inReferenceOrder('c.reference')).limit(500).execute();
    const now = deps.clock.now();
    return rows.map((row) => viewOf(row, now));
  });
}

async function lockReport(tx: Tx, forceId: ForceId, contactId: string) {
  const row = await tx
    .selectFrom('online_report_processing')
    .select(['case_id', 'processed_at', 'processed_due_at', 'processed_breached_at', 'classified_at', 'classified_due_at', 'classified_breached_at', 'suggested_crime_type'])
    .where('force_id', '=', forceId)
    .where('contact_id', '=', contactId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('online report');
  return row;
}

async function readReport(tx: Tx, forceId: ForceId, contactId: string, now: Date): Promise<OnlineReportView> {
  const row = await reportsQuery(tx, forceId).where('p.contact_id', '=', contactId).executeTakeFirst();
  if (!row) throw notFound('online report');
  return viewOf(row, now);
}

/** A person processes a report: confirms its draft case, amending the summary if it needs it. */
export async function processOnlineReport(
  deps: ServiceDeps,
  forceId: ForceId,
  staffId: StaffId,
  contactId: string,
  input: { summary?: string | undefined; note?: string | null | undefined },
): Promise<OnlineReportView> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await lockReport(tx, forceId, contactId);
    if (row.processed_at) throw conflict(`this report was processed at ${row.processed_at.toISOString()}`);
    const now = deps.clock.now();
    const isAmended = input.summary !== undefined && input.summary.trim().length > 0;
    if (isAmended) await tx.updateTable('cases').set({ summary: input.summary ?? '', updated_at: now }).where('force_id', '=', forceId).where('id', '=', row.case_id).execute();
    const breach = breachFoundAtStop(contactId, { clock: 'processed', dueAt: row.processed_due_at, breachedAt: row.processed_breached_at, caseId: row.case_id }, now);
    await tx
      .updateTable('online_report_processing')
      .set({ processed_at: now, processed_by: staffId, ...(breach ? { processed_breached_at: now } : {}) })
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      ...(breach ? [breach] : []),
      onlineReportProcessed.of({
        actor: { type: 'staff', id: staffId },
        subjectId: contactId,
        data: { caseId: row.case_id, note: input.note ?? null, summaryAmended: isAmended, isLate: now > row.processed_due_at },
      }),
    );
    return readReport(tx, forceId, contactId, now);
  });
}

/** A person classifies a processed report: its case gets the crime type (again, if it changes). */
export async function classifyOnlineReport(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, contactId: string, crimeType: string): Promise<OnlineReportView> {
  return withForce(deps.db, forceId, async (tx) => {
    const row = await lockReport(tx, forceId, contactId);
    if (!row.processed_at) throw conflict('this report has not been processed yet; process it first');
    const known = await tx.selectFrom('crime_types').select('code').where('force_id', '=', forceId).where('code', '=', crimeType).where('active', '=', true).executeTakeFirst();
    if (!known) throw invalid('crimeType', `is not one of the force's crime types (${crimeType})`);
    const now = deps.clock.now();
    await tx.updateTable('cases').set({ crime_type: crimeType, updated_at: now }).where('force_id', '=', forceId).where('id', '=', row.case_id).execute();
    // Only the first classification stops the clock; a later one changes the crime type alone.
    const breach = row.classified_at
      ? null
      : breachFoundAtStop(contactId, { clock: 'classified', dueAt: row.classified_due_at, breachedAt: row.classified_breached_at, caseId: row.case_id }, now);
    await tx
      .updateTable('online_report_processing')
      .set({ classified_at: row.classified_at ?? now, classified_by: staffId, crime_type: crimeType, ...(breach ? { classified_breached_at: now } : {}) })
      .where('force_id', '=', forceId)
      .where('contact_id', '=', contactId)
      .execute();
    record(
      tx,
      forceId,
      deps.clock,
      ...(breach ? [breach] : []),
      onlineReportClassified.of({
        actor: { type: 'staff', id: staffId },
        subjectId: contactId,
        data: { caseId: row.case_id, crimeType, suggestedCrimeType: row.suggested_crime_type, isLate: (row.classified_at ?? now) > row.classified_due_at },
      }),
    );
    return readReport(tx, forceId, contactId, now);
  });
}

/** How long a new report may wait for its draft before the dashboard calls it unaccounted. */
export const DRAFT_GRACE_MINUTES = 5;

export type OnlineReportDashboard = {
  since: string;
  received: number;
  drafted: number;
  processed: number;
  classified: number;
  awaitingDraft: number;
  pastProcessedClock: { overdue: number; late: number };
  pastClassifiedClock: { overdue: number; late: number };
  isEveryReportAccountedFor: boolean;
  unaccounted: { contactId: string; reference: string; receivedAt: string }[];
};

/**
 * Every portal report received since `since`, accounted for: how many were drafted, processed and
 * classified, how many are past each clock (still open, or done late), and any report with no
 * draft after the grace period, by reference.
 */
export async function onlineReportDashboard(deps: ServiceDeps, forceId: ForceId, since: Date): Promise<OnlineReportDashboard> {
  return withForce(deps.db, forceId, async (tx) => {
    const now = deps.clock.now();
    const contacts = await listPortalReportsSince(tx, forceId, since, 50_000);
    const rows = await tx
      .selectFrom('online_report_processing')
      .select(['contact_id', 'processed_at', 'processed_due_at', 'classified_at', 'classified_due_at'])
      .where('force_id', '=', forceId)
      .where('received_at', '>=', since)
      .execute();
    const drafted = new Set(rows.map((row) => row.contact_id));
    const grace = new Date(now.getTime() - DRAFT_GRACE_MINUTES * 60_000);
    const missing = contacts.filter((contact) => !drafted.has(contact.id));
    const unaccounted = missing.filter((contact) => contact.received_at < grace);
    const past = (done: Date | null, due: Date) => ({ overdue: !done && now > due ? 1 : 0, late: done && done > due ? 1 : 0 });
    const sum = (items: { overdue: number; late: number }[]) => items.reduce((a, b) => ({ overdue: a.overdue + b.overdue, late: a.late + b.late }), { overdue: 0, late: 0 });
    return {
      since: since.toISOString(),
      received: contacts.length,
      drafted: rows.length,
      processed: rows.filter((row) => row.processed_at).length,
      classified: rows.filter((row) => row.classified_at).length,
      awaitingDraft: missing.length - unaccounted.length,
      pastProcessedClock: sum(rows.map((row) => past(row.processed_at, row.processed_due_at))),
      pastClassifiedClock: sum(rows.map((row) => past(row.classified_at, row.classified_due_at))),
      isEveryReportAccountedFor: unaccounted.length === 0,
      unaccounted: unaccounted.map((contact) => ({ contactId: contact.id, reference: contact.reference, receivedAt: contact.received_at.toISOString() })),
    };
  });
}
