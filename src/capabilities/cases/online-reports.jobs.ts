import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { findContact } from '../contacts/contacts.repository.ts';
import { listContactMessages } from '../contacts/messages.repository.ts';
import { insertCase } from './cases.service.ts';
import { suggestCrimeType } from './online-report-classifier.ts';
import { onlineReportClockBreached, onlineReportDrafted } from './online-report.events.ts';

// The jobs of online-report processing: drafting a case for each new portal report (following
// from its contact.received), and checking its two clocks when they fall due.

/** The product's targets, when the force has set none (the Met's: processed in an hour, classified in a day). */
export const DEFAULT_PROCESSED_WITHIN_MINUTES = 60;
export const DEFAULT_CLASSIFIED_WITHIN_HOURS = 24;

/** The force's targets for its online reports, from its settings. */
export async function onlineReportTargets(tx: Tx, forceId: ForceId): Promise<{ processedMinutes: number; classifiedHours: number }> {
  const row = await tx.selectFrom('forces').select('settings').where('id', '=', forceId).executeTakeFirstOrThrow();
  const processed = row.settings.onlineReportProcessedWithinMinutes;
  const classified = row.settings.onlineReportClassifiedWithinHours;
  return {
    processedMinutes: typeof processed === 'number' && processed > 0 ? processed : DEFAULT_PROCESSED_WITHIN_MINUTES,
    classifiedHours: typeof classified === 'number' && classified > 0 ? classified : DEFAULT_CLASSIFIED_WITHIN_HOURS,
  };
}

const triageCategories = (triage: unknown): string[] => {
  if (!triage || typeof triage !== 'object' || !('categories' in triage) || !Array.isArray(triage.categories)) return [];
  return triage.categories.filter((category): category is string => typeof category === 'string');
};

/**
 * Drafts the case of a new online report: its text and triage categories give a suggested crime
 * type with its reasons, and the row starts the two clocks from when the report was received.
 * A case someone already made from the contact is adopted rather than doubled. Runs safely twice:
 * the contact is locked and a report with a row is left alone.
 */
export function createOnlineReportDraftHandler(options: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const contactId = job.payload.contactId;
    if (typeof contactId !== 'string') throw new Error('online report job without a contact');
    const forceId: ForceId = job.forceId;
    await inForce(async (tx) => {
      const contact = await findContact(tx, forceId, contactId, ['id', 'reference', 'channel', 'person_id', 'triage', 'received_at'], { lock: true });
      if (!contact || contact.channel !== 'portal') return;
      const done = await tx.selectFrom('online_report_processing').select('contact_id').where('force_id', '=', forceId).where('contact_id', '=', contactId).executeTakeFirst();
      if (done) return;
      const messages = await listContactMessages(tx, forceId, contactId);
      const text = messages.find((m) => m.direction === 'inbound')?.body ?? '';
      const crimeTypes = await tx.selectFrom('crime_types').select('code').where('force_id', '=', forceId).where('active', '=', true).execute();
      const suggestion = suggestCrimeType(text, triageCategories(contact.triage), new Set(crimeTypes.map((t) => t.code)));
      const adopted = await tx.selectFrom('cases').select(['id', 'reference']).where('force_id', '=', forceId).where('contact_id', '=', contactId).executeTakeFirst();
      const draft =
        adopted ??
        (await insertCase(tx, options, forceId, { type: 'system', id: null }, {
          contactId,
          contactReference: contact.reference,
          personId: contact.person_id,
          summary: text.slice(0, 4000),
          isOnlineReportDraft: true,
        }));
      const targets = await onlineReportTargets(tx, forceId);
      const receivedAt = contact.received_at;
      const processedDueAt = new Date(receivedAt.getTime() + targets.processedMinutes * 60_000);
      const classifiedDueAt = new Date(receivedAt.getTime() + targets.classifiedHours * 3_600_000);
      const now = options.clock.now();
      await tx
        .insertInto('online_report_processing')
        .values({
          contact_id: contactId,
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
        })
        .execute();
      record(
        tx,
        forceId,
        options.clock,
        onlineReportDrafted.of({
          actor: { type: 'system', id: null },
          subjectId: contactId,
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
    });
  };
}

/** When a clock falls due: if its step is not done, the breach is marked and is an event. */
export function createOnlineReportClockHandler(options: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const contactId = job.payload.contactId;
    const which = job.payload.clock;
    if (typeof contactId !== 'string' || (which !== 'processed' && which !== 'classified')) throw new Error('online report clock job without a contact or clock');
    const forceId: ForceId = job.forceId;
    await inForce(async (tx) => {
      const row = await tx
        .selectFrom('online_report_processing')
        .select(['case_id', 'processed_at', 'classified_at', 'processed_due_at', 'classified_due_at', 'processed_breached_at', 'classified_breached_at'])
        .where('force_id', '=', forceId)
        .where('contact_id', '=', contactId)
        .forUpdate()
        .executeTakeFirst();
      if (!row) return;
      const isDone = which === 'processed' ? row.processed_at !== null || row.processed_breached_at !== null : row.classified_at !== null || row.classified_breached_at !== null;
      if (isDone) return;
      const dueAt = which === 'processed' ? row.processed_due_at : row.classified_due_at;
      const now = options.clock.now();
      // A job run early (a clock moved back, a target lengthened since) leaves the clock running.
      if (now < dueAt) throw new Error(`online report clock ${which} checked before it is due`);
      await tx
        .updateTable('online_report_processing')
        .set(which === 'processed' ? { processed_breached_at: now } : { classified_breached_at: now })
        .where('force_id', '=', forceId)
        .where('contact_id', '=', contactId)
        .execute();
      record(
        tx,
        forceId,
        options.clock,
        onlineReportClockBreached.of({ actor: { type: 'system', id: null }, subjectId: contactId, data: { clock: which, dueAt: dueAt.toISOString(), caseId: row.case_id } }),
      );
    });
  };
}
