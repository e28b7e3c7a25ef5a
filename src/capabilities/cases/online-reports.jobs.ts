import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { CaseId, ForceId } from '../../platform/ids.ts';
import { payloadText, type BatchJobHandler } from '../../platform/jobs/jobs.ts';
import type { NewEvent } from '../../platform/events/catalogue.ts';
import { record } from '../../platform/events/recorder.ts';
import { findReportsToDraft, listReportTexts } from '../contacts/contact-records.service.ts';
import { insertCases } from './cases.service.ts';
import type { OnlineReportLookups } from './online-report-lookups.repository.ts';
import { suggestCrimeType } from './online-report-classifier.schema.ts';
import { onlineReportClockBreached, onlineReportDrafted } from './online-report.events.ts';

// The jobs of online-report processing: drafting cases for new portal reports (each follows
// from its contact.received), and checking each report's two clocks when they fall due.

export { DEFAULT_CLASSIFIED_WITHIN_HOURS, DEFAULT_PROCESSED_WITHIN_MINUTES, onlineReportTargets } from './online-report-lookups.repository.ts';

/**
 * The most reports one drafting transaction takes. It bounds the classifier's work and how long
 * the transaction holds the connection (on PGlite, the only one, which portal posts wait for);
 * the runner lets the event loop take waiting requests between batches.
 */
export const MAX_DRAFTS_PER_BATCH = 50;

const triageCategories = (triage: unknown): string[] => {
  if (!triage || typeof triage !== 'object' || !('categories' in triage) || !Array.isArray(triage.categories)) return [];
  return triage.categories.filter((category): category is string => typeof category === 'string');
};

/**
 * Drafts the cases of new online reports, one draft job per report, many jobs in one transaction
 * (decision 0040): each report's text and triage categories give a suggested crime type with its
 * reasons, and its row starts the two clocks from when the report was received. A case someone
 * already made from the contact is adopted rather than doubled. Runs safely twice: the contacts
 * are locked and a report with a row is left alone. A batch that fails is retried job by job by
 * the runner, so one bad report fails alone.
 */
export function createOnlineReportDraftHandler(options: { clock: Clock; lookups: OnlineReportLookups }): BatchJobHandler {
  return {
    maxBatch: MAX_DRAFTS_PER_BATCH,
    run: async ({ forceId, jobs, tx }) => {
      const contactIds = jobs.map((job) => {
        const contactId = job.payload.contactId;
        if (typeof contactId !== 'string') throw new Error('online report job without a contact');
        return contactId;
      });
      await draftOnlineReports(tx, options, forceId, [...new Set(contactIds)]);
    },
  };
}

/** Drafts these reports' cases with a fixed number of statements however many (see the handler). */
export async function draftOnlineReports(tx: Tx, options: { clock: Clock; lookups: OnlineReportLookups }, forceId: ForceId, contactIds: readonly string[]): Promise<void> {
  if (contactIds.length === 0) return;
  // Locked in one order, so two workers drafting overlapping batches take turns instead of deadlocking.
  const locked = await findReportsToDraft(tx, forceId, contactIds);
  const portal = locked.filter((contact) => contact.channel === 'portal');
  if (portal.length === 0) return;
  const ids = portal.map((contact) => contact.id);
  const done = await tx.selectFrom('online_report_processing').select('contact_id').where('force_id', '=', forceId).where('contact_id', 'in', ids).execute();
  const isDone = new Set(done.map((row) => row.contact_id));
  // Kept in the order the jobs came (oldest first), as the one-report form recorded them.
  const order = new Map(contactIds.map((id, i) => [id, i]));
  const todo = portal.filter((contact) => !isDone.has(contact.id)).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  if (todo.length === 0) return;
  const todoIds = todo.map((contact) => contact.id);
  const texts = new Map((await listReportTexts(tx, forceId, todoIds)).map((row) => [row.contact_id, row.body]));
  const adopted = new Map(
    (await tx.selectFrom('cases').select(['id', 'reference', 'contact_id']).where('force_id', '=', forceId).where('contact_id', 'in', todoIds).execute()).map((row) => [
      row.contact_id,
      { id: row.id as CaseId, reference: row.reference },
    ]),
  );
  const { crimeTypes, targets } = await options.lookups.get(tx, forceId);
  const actor = { type: 'system' as const, id: null };
  const toCreate = todo.filter((contact) => !adopted.has(contact.id));
  const created = await insertCases(
    tx,
    options,
    forceId,
    actor,
    toCreate.map((contact) => ({
      contactId: contact.id,
      contactReference: contact.reference,
      personId: contact.person_id,
      summary: (texts.get(contact.id) ?? '').slice(0, 4000),
      isOnlineReportDraft: true,
    })),
  );
  const createdFor = new Map(toCreate.map((contact, i) => [contact.id, created[i]]));
  const now = options.clock.now();
  const rows = [];
  const events: NewEvent[] = [];
  for (const contact of todo) {
    const text = texts.get(contact.id) ?? '';
    const suggestion = suggestCrimeType(text, triageCategories(contact.triage), crimeTypes);
    const made = createdFor.get(contact.id);
    const draft = made ?? adopted.get(contact.id);
    if (!draft) throw new Error('an online report lost its draft case');
    const receivedAt = contact.received_at;
    const processedDueAt = new Date(receivedAt.getTime() + targets.processedMinutes * 60_000);
    const classifiedDueAt = new Date(receivedAt.getTime() + targets.classifiedHours * 3_600_000);
    rows.push({
      contact_id: contact.id,
      force_id: forceId,
      case_id: draft.id,
      received_at: receivedAt,
      drafted_at: now,
      suggested_crime_type: suggestion.crimeType,
      suggestion_reasons: JSON.stringify(suggestion.reasons),
      processed_due_at: processedDueAt,
      classified_due_at: classifiedDueAt,
      processed_at: null,
      processed_by: null,
      classified_at: null,
      classified_by: null,
      crime_type: null,
      processed_breached_at: null,
      classified_breached_at: null,
    });
    // Each report's events side by side, as when it was drafted alone: its case (if new), then the draft.
    if (made) events.push(made.event, ...made.peopleEvents);
    events.push(
      onlineReportDrafted.of({
        actor,
        subjectId: contact.id,
        data: {
          caseId: draft.id,
          caseReference: draft.reference,
          contactReference: contact.reference,
          suggestedCrimeType: suggestion.crimeType,
          reasons: suggestion.reasons,
          processedDueAt: processedDueAt.toISOString(),
          classifiedDueAt: classifiedDueAt.toISOString(),
        },
      }),
    );
  }
  await tx.insertInto('online_report_processing').values(rows).execute();
  record(tx, forceId, options.clock, ...events);
}

/**
 * The two clocks of online reports, checked when they fall due, many to a transaction (decision
 * 0040): a clock neither met nor already breached is marked breached and
 * `online_report.clock_breached` appended. A job run before its clock is due (a clock moved back,
 * a target lengthened since) fails, leaving the clock running: its batch is then run job by job,
 * so only that job waits for its retry.
 */
export function createOnlineReportClockHandler(options: { clock: Clock; maxBatch: number }): BatchJobHandler {
  return {
    maxBatch: options.maxBatch,
    run: async ({ forceId, jobs, tx }) => {
      const checks = jobs.map((job): { contactId: string; which: 'processed' | 'classified' } => {
        const which = payloadText(job, 'clock');
        if (which !== 'processed' && which !== 'classified') throw new Error(`online report clock job ${job.id} names no clock`);
        return { contactId: payloadText(job, 'contactId'), which };
      });
      const rows = await tx
        .selectFrom('online_report_processing')
        .select(['contact_id', 'case_id', 'processed_at', 'classified_at', 'processed_due_at', 'classified_due_at', 'processed_breached_at', 'classified_breached_at'])
        .where('force_id', '=', forceId)
        .where('contact_id', 'in', [...new Set(checks.map((check) => check.contactId))])
        // In one order, so two batches sharing reports cannot each wait for the other.
        .orderBy('contact_id')
        .forUpdate()
        .execute();
      const reports = new Map(rows.map((row) => [row.contact_id, { ...row }]));
      const now = options.clock.now();
      const breached: { contactId: string; which: 'processed' | 'classified'; dueAt: Date; caseId: string }[] = [];
      for (const { contactId, which } of checks) {
        const row = reports.get(contactId);
        if (!row) continue;
        const isProcessed = which === 'processed';
        const isDone = isProcessed ? row.processed_at !== null || row.processed_breached_at !== null : row.classified_at !== null || row.classified_breached_at !== null;
        if (isDone) continue;
        const dueAt = isProcessed ? row.processed_due_at : row.classified_due_at;
        if (now < dueAt) throw new Error(`online report clock ${which} checked before it is due`);
        if (isProcessed) row.processed_breached_at = now;
        else row.classified_breached_at = now;
        breached.push({ contactId, which, dueAt, caseId: row.case_id });
      }
      if (breached.length === 0) return;
      for (const which of ['processed', 'classified'] as const) {
        const contactIds = breached.filter((breach) => breach.which === which).map((breach) => breach.contactId);
        if (contactIds.length === 0) continue;
        await tx
          .updateTable('online_report_processing')
          .set(which === 'processed' ? { processed_breached_at: now } : { classified_breached_at: now })
          .where('force_id', '=', forceId)
          .where('contact_id', 'in', contactIds)
          .execute();
      }
      record(
        tx,
        forceId,
        options.clock,
        ...breached.map(({ contactId, which, dueAt, caseId }) =>
          onlineReportClockBreached.of({ actor: { type: 'system', id: null }, subjectId: contactId, data: { clock: which, dueAt: dueAt.toISOString(), caseId } }),
        ),
      );
    },
  };
}
