import { sql } from 'kysely';
import { withForce } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ContactId, type ForceId } from '../../platform/ids.ts';
import { appendEvent } from '../../platform/events/event-log.ts';
import { publishLive } from '../../platform/realtime/live.ts';
import { nextReference } from '../../platform/references.ts';
import { findOrCreatePersonByEmail } from '../people/people.service.ts';
import { triageText } from '../triage/triage.service.ts';

export type PublicReport = {
  /** A token the form was rendered with: posting the same form twice stores one report. */
  submissionId: string;
  whatHappened: string;
  where: string;
  when: string;
  name: string | null;
  email: string;
};

export type IntakeResult = { contactId: ContactId; reference: string; isDuplicate: boolean };

const SUMMARY_LENGTH = 140;

/** One line of the report for queue views. */
export function summarise(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_LENGTH ? flat : `${flat.slice(0, SUMMARY_LENGTH - 1)}…`;
}

/**
 * Stores a report from the public portal: the person (found by email, or new), the contact, its
 * first message and its triage, with their events, in one transaction. A repeated submission id
 * returns the first report's reference and stores nothing new.
 */
export async function submitPublicReport(deps: ServiceDeps, forceId: ForceId, report: PublicReport): Promise<IntakeResult> {
  const { clock } = deps;
  return withForce(deps.db, forceId, async (tx) => {
    // Serialise duplicates of one submission, so a double post cannot store two reports.
    await sql`select pg_advisory_xact_lock(hashtextextended(${`${forceId}:portal:${report.submissionId}`}, 0))`.execute(tx);
    const existing = await tx
      .selectFrom('messages as m')
      .innerJoin('contacts as c', 'c.id', 'm.contact_id')
      .select(['c.id', 'c.reference'])
      .where('m.force_id', '=', forceId)
      .where('m.channel', '=', 'portal')
      .where('m.provider_message_id', '=', report.submissionId)
      .executeTakeFirst();
    if (existing) return { contactId: existing.id as ContactId, reference: existing.reference, isDuplicate: true };

    const actor = { type: 'public', id: null } as const;
    const { personId, isNew: isNewPerson } = await findOrCreatePersonByEmail(tx, forceId, clock, { email: report.email, name: report.name });
    const body = report.whatHappened;
    const triage = await triageText(tx, forceId, body);
    const contactId = newId<ContactId>();
    const messageId = newId();
    const reference = await nextReference(tx, forceId, clock, 'contact');
    const now = clock.now();
    await tx
      .insertInto('contacts')
      .values({
        id: contactId,
        force_id: forceId,
        reference,
        channel: 'portal',
        status: 'open',
        person_id: personId,
        summary: summarise(body),
        location: report.where,
        occurred_text: report.when,
        priority: triage.priority,
        score: triage.score,
        triage: JSON.stringify({ ...triage, matches: triage.matches.map((m) => ({ ...m, messageId })) }),
        rule_set_version: triage.ruleSetVersion,
        received_at: now,
      })
      .execute();
    await tx
      .insertInto('messages')
      .values({
        id: messageId,
        force_id: forceId,
        contact_id: contactId,
        direction: 'inbound',
        channel: 'portal',
        body,
        provider_message_id: report.submissionId,
        author_staff_id: null,
        created_at: now,
        delivery_status: null,
      })
      .execute();
    // Events last: the first append locks the force's chain head until commit.
    if (isNewPerson) {
      await appendEvent(tx, forceId, clock, {
        type: 'person.created',
        actor,
        subject: { type: 'person', id: personId },
        data: { identityKind: 'email' },
      });
    }
    await appendEvent(tx, forceId, clock, {
      type: 'contact.received',
      actor,
      subject: { type: 'contact', id: contactId },
      data: { reference, channel: 'portal', personId, messageId },
    });
    await appendEvent(tx, forceId, clock, {
      type: 'contact.triaged',
      actor: { type: 'system', id: null },
      subject: { type: 'contact', id: contactId },
      data: {
        score: triage.score,
        priority: triage.priority,
        ruleSetVersion: triage.ruleSetVersion,
        ruleIds: [...new Set(triage.matches.map((m) => m.ruleId))],
      },
    });
    await publishLive(tx, forceId, { type: 'queue.changed', contactId, reference });
    return { contactId, reference, isDuplicate: false };
  });
}
