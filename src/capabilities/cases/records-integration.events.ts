import { z } from 'zod';
import { defineEvent } from '../../platform/events/catalogue.ts';

// The records-system integration's entries in the event catalogue. The case's own moves that an
// update brings are `case.*` events with source `records_system` (case.events.ts); these record
// the integration around them: its credentials, its mapping, and each update taken in.

/** A token for the force's records system was made (on its own, or rotating out the others). */
export const recordsTokenIssued = defineEvent({
  type: 'records.token_issued',
  subject: 'records_token',
  data: { label: z.string(), hint: z.string(), isRotation: z.boolean() },
});

/** A records-system token stopped working: revoked by an admin, or rotated out. */
export const recordsTokenRevoked = defineEvent({
  type: 'records.token_revoked',
  subject: 'records_token',
  data: { reason: z.enum(['revoked', 'rotated']) },
});

/** A force admin saved the mapping from the records system's codes to case moves and crime types. */
export const recordsMappingChanged = defineEvent({
  type: 'records.mapping_changed',
  subject: 'force',
  data: { statusEntries: z.number(), crimeTypeEntries: z.number() },
});

/**
 * An update from the records system was applied to a case (created it, or changed it). Duplicates
 * and out-of-order updates change nothing and append nothing. `contentHash` (a SHA-256 of what it
 * said) tells a retry from another change stamped with the same time (decision 0070); events
 * recorded before it was kept lack it.
 */
export const recordsUpdateApplied = defineEvent({
  type: 'records.update_applied',
  subject: 'case',
  data: {
    system: z.string(),
    reference: z.string(),
    updatedAt: z.string(),
    contentHash: z.string().optional(),
    status: z.string().nullable(),
    isNew: z.boolean(),
    moves: z.array(z.string()),
    warnings: z.array(z.string()),
  },
});

/** The integration's entries, for the catalogue. */
export const RECORDS_INTEGRATION_EVENTS = [recordsTokenIssued, recordsTokenRevoked, recordsMappingChanged, recordsUpdateApplied] as const;
