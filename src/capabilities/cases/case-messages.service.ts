import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import { notFound } from '../../platform/errors.ts';
import { outboxTextForStaff, wentAfterAll, type WentAfterAll } from '../outbox/outbox.service.ts';
import { readAppointmentEvents } from './case-appointments.repository.ts';
import { appointmentsOf, type Appointment } from './case-appointments.schema.ts';
import { storedFirst } from '../../platform/db/stored-order.ts';

// What each victim on a case has been told and when, for the investigator's case screen: the
// case's outbox messages with their delivery proof, and the messages journeys held back (safe
// contact, no address) with the reason. Read-only; nothing here sends. Their text is what staff
// may see of it (`outboxTextForStaff`): the victim's one-time case code never shows.

export type MessageStatus = 'pending' | 'sent' | 'delivered' | 'failed' | 'held' | 'suppressed';

export type CaseMessage = {
  /** The outbox id, or the id of the event that says the message was not sent. */
  id: string;
  kind: 'outbox' | 'not_sent';
  /** The victim it was for, when the case knows them as a person. */
  victim: { id: string; name: string } | null;
  channel: string;
  /** Enough of the address to tell which one it went to, never all of it. */
  recipient: string | null;
  purpose: string;
  subject: string | null;
  body: string | null;
  status: MessageStatus;
  queuedAt: string;
  notBefore: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  attempts: number;
  /** Why it failed, was held, or was not sent. */
  reason: string | null;
  /** A message failed with its outcome unknown that went after all (decision 0173); null for any other. */
  wentAfterAll: WentAfterAll | null;
};

/** Journey events that say a message was not sent, and why; read by type, so ones not yet in the catalogue appear as soon as they are appended. */
const NOT_SENT_EVENTS = ['journey.message_suppressed', 'journey.skipped'] as const;

/**
 * An address shortened for a screen: the first letter and the domain of an email address
 * (j***@example.com), the last four digits of a phone number (•••• 0123). Anything else (the
 * portal inbox, a postal address) is named by its channel, not shown.
 */
export function maskRecipient(channel: string, recipient: string): string {
  const value = recipient.trim();
  if (channel === 'email' || /^[^@\s]+@[^@\s]+$/.test(value)) {
    const at = value.lastIndexOf('@');
    if (at <= 0) return '***';
    return `${value.slice(0, 1)}***${value.slice(at)}`;
  }
  if (channel === 'sms' || channel === 'phone') {
    const digits = value.replace(/\D/g, '');
    return digits.length >= 4 ? `•••• ${digits.slice(-4)}` : '••••';
  }
  if (channel === 'portal') return 'portal inbox';
  if (channel === 'letter') return 'postal address on file';
  return '••••';
}

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** The case's reference; not found when the force has no such case. */
async function requireCase(tx: Tx, forceId: ForceId, caseId: string): Promise<string> {
  const found = await tx.selectFrom('cases').select('reference').where('force_id', '=', forceId).where('id', '=', caseId).executeTakeFirst();
  if (!found) throw notFound('case');
  return found.reference;
}

async function readMessages(tx: Tx, forceId: ForceId, caseId: string, caseReference: string): Promise<CaseMessage[]> {
  const victims = await tx
    .selectFrom('case_people')
    .select(['id', 'name', 'person_id'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .where('role', '=', 'victim')
    .execute();
  const victimOfPerson = (personId: string | null) => {
    const found = personId ? victims.find((v) => v.person_id === personId) : undefined;
    return found ? { id: found.id, name: found.name } : null;
  };
  const victimById = (id: string | null) => {
    const found = id ? victims.find((v) => v.id === id || v.person_id === id) : undefined;
    return found ? { id: found.id, name: found.name } : null;
  };
  const rows = await tx
    .selectFrom('outbox')
    .select(['id', 'channel', 'recipient', 'purpose', 'subject', 'body', 'status', 'attempts', 'last_error', 'created_at', 'not_before', 'sent_at', 'delivered_at', 'person_id', 'sent_after_all_at', 'delivered_after_all_at', 'undelivered_after_all_at', 'undelivered_after_all_reason'])
    .where('force_id', '=', forceId)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('seq', storedFirst)
    .orderBy('id')
    .limit(500)
    .execute();
  const sent: CaseMessage[] = rows.map((row) => ({
    id: row.id,
    kind: 'outbox',
    victim: victimOfPerson(row.person_id),
    channel: row.channel,
    recipient: maskRecipient(row.channel, row.recipient),
    purpose: row.purpose,
    ...outboxTextForStaff({ ...row, reference: caseReference }),
    status: row.status,
    queuedAt: row.created_at.toISOString(),
    notBefore: row.not_before?.toISOString() ?? null,
    sentAt: row.sent_at?.toISOString() ?? null,
    deliveredAt: row.delivered_at?.toISOString() ?? null,
    attempts: row.attempts,
    reason: row.last_error,
    wentAfterAll: wentAfterAll(row),
  }));
  const events = await tx
    .selectFrom('events')
    .select(['id', 'occurred_at', 'type', 'data'])
    .where('force_id', '=', forceId)
    .where('subject_type', '=', 'case')
    .where('subject_id', '=', caseId)
    .where('type', 'in', NOT_SENT_EVENTS)
    .orderBy('seq')
    .limit(500)
    .execute();
  const notSent: CaseMessage[] = events.map((event) => {
    // Read field by field: the journeys capability owns these events' shape.
    const data = event.data as Record<string, unknown>;
    const channel = text(data.channel) ?? 'none';
    const recipient = text(data.recipient);
    return {
      id: event.id,
      kind: 'not_sent',
      victim: victimById(text(data.victimId) ?? text(data.personId)),
      channel,
      recipient: recipient ? maskRecipient(channel, recipient) : null,
      purpose: text(data.purpose) ?? text(data.template) ?? (text(data.step) ? `journey:${text(data.step)}` : 'journey'),
      subject: null,
      body: null,
      status: 'suppressed',
      queuedAt: event.occurred_at.toISOString(),
      notBefore: null,
      sentAt: null,
      deliveredAt: null,
      attempts: 0,
      reason: text(data.reason),
      wentAfterAll: null,
    };
  });
  return [...sent, ...notSent].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

/** What the victims on a case have been told (or not, and why), oldest first. */
export async function listCaseMessages(deps: ServiceDeps, forceId: ForceId, caseId: string): Promise<CaseMessage[]> {
  return withForce(deps.db, forceId, async (tx) => {
    return readMessages(tx, forceId, caseId, await requireCase(tx, forceId, caseId));
  });
}

/** A case's appointments (current and cancelled), from its appointment milestones. */
export async function listCaseAppointments(deps: ServiceDeps, forceId: ForceId, caseId: string): Promise<Appointment[]> {
  return withForce(deps.db, forceId, async (tx) => {
    await requireCase(tx, forceId, caseId);
    return appointmentsOf(await readAppointmentEvents(tx, forceId, caseId));
  });
}
