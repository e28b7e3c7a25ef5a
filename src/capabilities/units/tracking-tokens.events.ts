import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// Vehicle tracking's credentials in the event catalogue (decision 0203). Positions themselves are
// not events (decision 0021); who may send them is.

/** A token for the force's vehicle tracking was made. */
export const trackingTokenIssued = defineEvent({
  type: 'tracking.token_issued',
  subject: 'tracking_token',
  data: { label: z.string(), hint: z.string(), isRotation: z.boolean() },
});

/** A vehicle-tracking token stopped working: revoked by an admin. */
export const trackingTokenRevoked = defineEvent({
  type: 'tracking.token_revoked',
  subject: 'tracking_token',
  data: { reason: z.enum(['revoked', 'rotated']) },
});

/** Vehicle tracking's entries, for the catalogue. */
export const TRACKING_TOKEN_EVENTS = [trackingTokenIssued, trackingTokenRevoked] as const;
