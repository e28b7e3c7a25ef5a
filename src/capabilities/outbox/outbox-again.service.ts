import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import type { OutboxAlternative, OutboxChannel } from '../../platform/db/tables.ts';
import { record } from '../../platform/events/recorder.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { outboxSentAgain } from './outbox.events.ts';
import { moveOutbox } from './outbox.machine.ts';
import { findOutboxMessage, restartOutboxMessage } from './outbox.repository.ts';
import { ACCESS_CODE_PURPOSE } from './outbox.service.ts';
import { SENDERS } from './senders/senders.ts';

// Sending a failed message again (decision 0058). The outbox knows how a message moves; it does
// not know the person's preferences: whoever asks (the journeys room, which applies victims'
// safe-contact preferences) says where the message goes now, from what it was written for.

/** A failed message, as the one who decides where it goes now sees it. */
export type MessageToSendAgain = {
  id: string;
  purpose: string;
  idempotencyKey: string;
  caseId: string | null;
  contactId: string | null;
  personId: string | null;
  /**
   * Every channel it was written for when queued, first choice first, with the address and text of
   * then; a channel the person did not allow then comes after those, with no recipient ('').
   */
  writtenFor: OutboxAlternative[];
};

/** Where a message sent again goes: its channels (first first) and when; or why it cannot go at all. */
export type SendAgainPlan = { channels: OutboxAlternative[]; notBefore: Date | null } | { refused: string };

function isOutboxChannel(channel: string): channel is OutboxChannel {
  return Object.hasOwn(SENDERS, channel);
}

/** The plan for a message with no preferences to consult: the channels and addresses it was written for, now. */
export function asWrittenFor(message: MessageToSendAgain): SendAgainPlan {
  return { channels: message.writtenFor.filter((c) => c.recipient !== ''), notBefore: null };
}

/**
 * A member of staff sends a failed message again, in the caller's transaction: it is locked, so
 * of two presses (or two people) one sends it and the other is told it is on its way. Refused
 * (409) when it has not failed, for a one-time code (a new one is asked for, never an old one
 * sent), or when `plan` finds no way to the person now. Records `outbox.sent_again`, by the
 * member of staff, whose job delivers it. Not found for an unknown id or another force's.
 */
export async function sendMessageAgain(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  staffId: StaffId,
  outboxId: string,
  plan: (message: MessageToSendAgain) => Promise<SendAgainPlan>,
): Promise<void> {
  const row = await findOutboxMessage(tx, forceId, outboxId, { lock: true });
  if (!row) throw notFound('outbox message');
  moveOutbox(row.status, 'send_again', row.last_error);
  if (row.purpose === ACCESS_CODE_PURPOSE) {
    throw conflict('This message cannot be sent again: it carried a one-time code, which may have expired. The person can ask for a new code.');
  }
  // Rows queued before the outbox kept what each was written for hold what was left of theirs.
  const current = isOutboxChannel(row.channel) ? [{ channel: row.channel, recipient: row.recipient, subject: row.subject, body: row.body }] : [];
  const writtenFor = row.channels.length > 0 ? row.channels : [...current, ...row.alternatives];
  const decided = await plan({
    id: row.id,
    purpose: row.purpose,
    idempotencyKey: row.idempotency_key,
    caseId: row.case_id,
    contactId: row.contact_id,
    personId: row.person_id,
    writtenFor,
  });
  if ('refused' in decided) throw conflict(`This message cannot be sent again: ${decided.refused}.`);
  if (decided.channels.length === 0) throw conflict('This message cannot be sent again: it was written for no channel it can go by.');
  const restarted = await restartOutboxMessage(tx, forceId, row.id, { fallbacks: row.fallbacks }, decided);
  if (!restarted) throw conflict('This message cannot be sent again: it has just been sent again.');
  record(
    tx,
    forceId,
    clock,
    outboxSentAgain.of({
      actor: { type: 'staff', id: staffId },
      subjectId: row.id,
      data: {
        purpose: row.purpose,
        contactId: row.contact_id,
        caseId: row.case_id,
        channel: restarted.channel,
        channels: decided.channels.map((c) => c.channel),
        step: restarted.fallbacks,
        notBefore: decided.notBefore?.toISOString() ?? null,
      },
    }),
  );
}
