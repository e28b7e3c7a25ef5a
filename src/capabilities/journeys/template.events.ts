import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// Message templates' entry in the event catalogue.

/** A force admin changed a message template (which one; the text is in the table, not the log). */
export const templateChanged = defineEvent({
  type: 'template.changed',
  subject: 'message_template',
  data: { key: z.string(), channel: z.string(), locale: z.string(), isNew: z.boolean() },
});

/** Template entries, for the catalogue. */
export const TEMPLATE_EVENTS = [templateChanged] as const;
