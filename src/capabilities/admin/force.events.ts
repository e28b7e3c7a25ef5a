import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';
import { acknowledgeHeldJob } from '../contacts/held-acknowledgements.events.ts';

// A force's own entries in the event catalogue.

/** Notified (payload: the force id) when a force's settings change, so copies kept of them are dropped. */
export const FORCE_CHANGED_CHANNEL = 'bluelamp_force_changed';

/** The force was created; every force's chain starts here. */
export const forceCreated = defineEvent({ type: 'force.created', subject: 'force', data: { slug: z.string(), name: z.string() } });

/** The settings that bound portal acknowledgements per address (decision 0166). */
const ALLOWANCE_SETTINGS = ['acknowledgementsPerAddress', 'trustedAcknowledgementsPerAddress'];

/** A force admin changed some of the force settings (only those in `changes`). */
export const forceSettingsChanged = defineEvent({
  type: 'force.settings_changed',
  subject: 'force',
  data: { changes: z.record(z.string(), z.json()) },
  // Every process forgets what it keeps of the force's settings (online-report targets, say).
  wakes: (e) => [{ channel: FORCE_CHANGED_CHANNEL, payload: e.subject.id }],
  // An allowance of acknowledgements set: reports held back under the old one in the last 24 hours
  // are acknowledged up to the new one (decision 0171); if it was lowered, none is.
  jobs: (e) => (ALLOWANCE_SETTINGS.some((key) => key in e.data.changes) ? [acknowledgeHeldJob()] : []),
});

/** The force's entries, for the catalogue. */
export const FORCE_EVENTS = [forceCreated, forceSettingsChanged] as const;
