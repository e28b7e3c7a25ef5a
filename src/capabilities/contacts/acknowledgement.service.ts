import type { Clock } from '../../platform/clock.ts';
import type { ForceId } from '../../platform/ids.ts';
import { newId } from '../../platform/ids.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import type { Tx } from '../../platform/db/database.ts';
import { queueTemplatedEmailIn, renderForceTemplate } from '../journeys/journeys.service.ts';
import { isAdapterChannel } from '../channels/outbound.service.ts';
import { contactAcknowledged } from './contact.events.ts';
import { languageOfContact } from './contact-facts.ts';
import { findContactToAcknowledge } from './contact-views.repository.ts';
import { insertMessages } from './messages.repository.ts';

const SYSTEM = { type: 'system', id: null } as const;

/** Which of these contacts were acknowledged already (the job runs at least once), one statement. */
export async function acknowledgedAmong(tx: Tx, forceId: ForceId, contactIds: readonly string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const rows = await tx
    .selectFrom('events')
    .select('subject_id')
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'contact')
    .where('subject_id', 'in', [...contactIds])
    .where('type', '=', 'contact.acknowledged')
    .execute();
  return new Set(rows.map((row) => row.subject_id));
}

async function isAcknowledged(tx: Tx, forceId: ForceId, contactId: string): Promise<boolean> {
  return (await acknowledgedAmong(tx, forceId, [contactId])).has(contactId);
}

/**
 * Sends a new contact's person their reference, in their language, as the portal promises: a
 * portal report by the outbox's email to the address they gave; an email or a text back on its
 * channel, as a message of the thread (marked as automatic, so it is never taken for a reply and
 * never stops a response clock). Safe to repeat: a contact is acknowledged once.
 */
export function createAcknowledgementHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const contactId = payloadText(job, 'contactId');
    await inForce(async (tx) => {
      const contact = await findContactToAcknowledge(tx, job.forceId, contactId);
      if (!contact || (await isAcknowledged(tx, job.forceId, contactId))) return;
      const sender = contact.meta.sender;
      if (!sender || typeof sender !== 'object' || Array.isArray(sender)) return;
      const { kind, value } = sender;
      if (typeof value !== 'string') return;
      const language = languageOfContact(contact.meta);
      const values = { name: contact.display_name ?? '', reference: contact.reference, forceName: contact.force_name };

      if (contact.channel === 'portal') {
        if (kind !== 'email') return;
        const { outboxId, locale } = await queueTemplatedEmailIn(tx, job.forceId, deps.clock, {
          templateKey: 'contact.acknowledgement',
          values,
          recipient: value,
          purpose: 'acknowledgement',
          idempotencyKey: `ack:${contactId}`,
          contactId,
          language,
        });
        record(
          tx,
          job.forceId,
          deps.clock,
          contactAcknowledged.of({ actor: SYSTEM, subjectId: contactId, data: { via: 'email', language: locale, ...(outboxId ? { outboxId } : {}) } }),
        );
        return;
      }

      if (!isAdapterChannel(contact.channel)) return;
      const rendered = await renderForceTemplate(tx, job.forceId, 'contact.acknowledgement', values, {
        channel: contact.channel === 'email' ? 'email' : 'sms',
        language,
      });
      const messageId = newId();
      await insertMessages(tx, [
        {
          id: messageId,
          force_id: job.forceId,
          contact_id: contactId,
          direction: 'outbound',
          channel: contact.channel,
          body: rendered.body,
          provider_message_id: null,
          author_staff_id: null,
          created_at: deps.clock.now(),
          delivery_status: 'queued',
          meta: JSON.stringify({ writtenBy: 'system', purpose: 'acknowledgement' }),
        },
      ]);
      record(
        tx,
        job.forceId,
        deps.clock,
        contactAcknowledged.of({ actor: SYSTEM, subjectId: contactId, data: { via: contact.channel, language: rendered.locale, messageId } }),
      );
    });
  };
}
