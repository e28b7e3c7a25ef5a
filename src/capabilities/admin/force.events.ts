import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// A force's own entries in the event catalogue.

/** The force was created; every force's chain starts here. */
export const forceCreated = defineEvent({ type: 'force.created', subject: 'force', data: { slug: z.string(), name: z.string() } });

/** A force admin changed some of the force settings (only those in `changes`). */
export const forceSettingsChanged = defineEvent({
  type: 'force.settings_changed',
  subject: 'force',
  data: { changes: z.record(z.string(), z.json()) },
});

/** The force's entries, for the catalogue. */
export const FORCE_EVENTS = [forceCreated, forceSettingsChanged] as const;
