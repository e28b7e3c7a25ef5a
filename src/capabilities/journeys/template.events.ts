import { z } from 'zod';
import { defineEvent, recordChanged } from '../../platform/events/catalogue.ts';
import { outboxDeliveryJob } from '../outbox/outbox.events.ts';

// Message templates' entry in the event catalogue.

/** How live messages name one language of one message on one channel. */
export const templateRecordId = (text: { key: string; channel: string; locale: string }) => `${text.key}/${text.channel}/${text.locale}`;

/** A force admin changed a message template (which one; the text is in the table, not the log). */
export const templateChanged = defineEvent({
  type: 'template.changed',
  subject: 'message_template',
  data: {
    key: z.string(),
    channel: z.string(),
    locale: z.string(),
    isNew: z.boolean(),
    /** The version saved; the text it replaced is kept as the version before. */
    version: z.number().int().optional(),
  },
  // A form open on this language of this message hears who saved it (the id says which: key, channel, locale).
  live: (e) => [recordChanged('template', e.actor, templateRecordId(e.data))],
});

/** A force admin sent a template to their own email address to see it as a victim would. */
export const templateTestSent = defineEvent({
  type: 'template.test_sent',
  subject: 'message_template',
  data: { key: z.string(), channel: z.string(), locale: z.string(), outboxId: z.string() },
  jobs: (e) => [outboxDeliveryJob(e.data.outboxId)],
});

/** Template entries, for the catalogue. */
export const TEMPLATE_EVENTS = [templateChanged, templateTestSent] as const;
