import type { Clock } from '../../platform/clock.ts';
import { payloadText, type BatchJobHandler, type Job } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { findTemplateRows, renderInLanguage } from '../journeys/journeys.service.ts';
import { queueMessages } from '../outbox/outbox.service.ts';
import { contactAcknowledged } from './contact.events.ts';
import { languageOfContact } from './contact-facts.ts';
import { findContactsToAcknowledge } from './contact-views.repository.ts';
import { acknowledgedAmong, createAcknowledgementHandler } from './acknowledgement.service.ts';

const SYSTEM = { type: 'system', id: null } as const;
const TEMPLATE_KEY = 'contact.acknowledgement';

/**
 * Acknowledges many new contacts in one transaction (decision 0040): what every portal report
 * needs (its contact, whether it was acknowledged before, the force's acknowledgement template in
 * each language, its email in the outbox) is read and written with one statement each for the
 * batch, and each contact gets its own `contact.acknowledged` event (whose delivery job follows).
 * Contacts of other channels are acknowledged one by one, in the same transaction, as
 * `createAcknowledgementHandler` does. The same as that handler, contact by contact: a contact is
 * acknowledged once, in its person's language, at the address they gave.
 */
export function createAcknowledgementBatchHandler(deps: { clock: Clock; maxBatch: number }): BatchJobHandler {
  const one = createAcknowledgementHandler(deps);
  return {
    maxBatch: deps.maxBatch,
    run: async ({ forceId, jobs, tx }) => {
      const jobOf = new Map<string, Job>(jobs.map((job) => [payloadText(job, 'contactId'), job]));
      const contacts = await findContactsToAcknowledge(tx, forceId, [...jobOf.keys()]);
      const done = await acknowledgedAmong(tx, forceId, [...jobOf.keys()]);
      const portal: { contact: (typeof contacts)[number]; recipient: string }[] = [];
      for (const contact of contacts) {
        if (done.has(contact.id)) continue;
        if (contact.channel !== 'portal') {
          const job = jobOf.get(contact.id);
          if (job) await one({ job, inForce: (work) => work(tx) });
          continue;
        }
        const sender = contact.meta.sender;
        if (!sender || typeof sender !== 'object' || Array.isArray(sender)) continue;
        // A portal report is acknowledged by email, to the address given; one without is not.
        if (sender.kind !== 'email' || typeof sender.value !== 'string') continue;
        portal.push({ contact, recipient: sender.value });
      }
      if (portal.length === 0) return;

      const templates = await findTemplateRows(tx, forceId, TEMPLATE_KEY, 'email');
      const mails = portal.map(({ contact, recipient }) => {
        const values = { name: contact.display_name ?? '', reference: contact.reference, forceName: contact.force_name };
        const rendered = renderInLanguage(templates, languageOfContact(contact.meta), values);
        if (!rendered) throw new Error(`no email template ${TEMPLATE_KEY}`);
        return { contact, recipient, rendered };
      });
      const outboxIds = await queueMessages(
        tx,
        forceId,
        deps.clock,
        mails.map(({ contact, recipient, rendered }) => ({
          channels: [{ channel: 'email', recipient, subject: rendered.subject, body: rendered.body }],
          purpose: 'acknowledgement',
          idempotencyKey: `ack:${contact.id}`,
          contactId: contact.id,
        })),
      );
      mails.forEach(({ contact, rendered }, i) => {
        const outboxId = outboxIds[i];
        record(
          tx,
          forceId,
          deps.clock,
          contactAcknowledged.of({ actor: SYSTEM, subjectId: contact.id, data: { via: 'email', language: rendered.locale, ...(outboxId ? { outboxId } : {}) } }),
        );
      });
    },
  };
}
