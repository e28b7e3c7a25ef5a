import { z } from 'zod';

export const CLOSE_OUTCOMES = [
  'advice_given',
  'referred',
  'no_further_action',
  'duplicate',
  'crime_recorded',
  'incident_created',
] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const contactIdParams = z.object({ id: z.uuid('must be a contact id') });
export const listContactsQuery = z.object({
  status: z.enum(['open', 'closed']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  assigned: z.enum(['me', 'unassigned', 'any']).default('any'),
  queue: z.uuid('must be a queue id').optional(),
});
export const replyBody = z.strictObject({
  body: z.string().trim().min(1, 'must not be empty').max(5000, 'must be 5,000 characters or fewer'),
});
export const closeBody = z.strictObject({
  outcome: z.enum(CLOSE_OUTCOMES),
  note: z.string().trim().max(2000).optional(),
});

export type ContactSummary = {
  id: string;
  reference: string;
  channel: string;
  status: 'open' | 'closed';
  priority: number;
  priorityLabel: string;
  score: number;
  summary: string;
  personName: string | null;
  receivedAt: string;
  queueName: string | null;
  assignedToId: string | null;
  assignedToName: string | null;
  isThreatToLife: boolean;
  /** The contact's earliest-due running SLA clock, if any. */
  sla: { kind: string; dueAt: string; warnAt: string; state: string } | null;
};
