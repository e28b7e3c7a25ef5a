import type { Tx } from '../../platform/db/database.ts';
import type { Clock } from '../../platform/clock.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { JsonValue } from '../../platform/db/tables.ts';
import type { Announcements } from '../../platform/events/announcements.ts';
import { contactMessageCopied, contactMessageReceived } from '../contacts/contact.events.ts';
import { listContactsOnThreadKind } from '../contacts/contacts.repository.ts';
import { insertMessages, listJoinedMessagesSince } from '../contacts/messages.repository.ts';
import type { InboundMessage } from './intake.schema.ts';
import { latestStartedBy } from './threads.service.ts';

type Join = NonNullable<InboundMessage['joinContactStartedBy']>;

/** How a message was matched to its conversation, as stored with it: enough to match it again. */
export function joinedByOf(join: Join): { [key: string]: JsonValue } {
  return {
    threadKind: join.threadKind,
    at: join.at?.toISOString() ?? null,
    begunAt: join.begunAt?.toISOString() ?? null,
    withinMinutes: join.withinMinutes,
    toleranceSeconds: join.toleranceSeconds ?? 0,
    readsBeforeMinutes: join.readsBeforeMinutes ?? 0,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const dateOrNull = (value: unknown) => (typeof value === 'string' && Number.isFinite(Date.parse(value)) ? new Date(value) : null);

/**
 * A conversation that has just reached us (`contactId`, a redial's call) takes copies of the
 * person's messages that first reached us in the last `withinMinutes` and joined another
 * conversation of the same kind, when matched again by their own times, as when they arrived but
 * with this conversation known, they are this one's (decision 0120). The originals stay where they
 * are, so no position leaves a screen; that contact records `contact.message_copied`, this one
 * `contact.message_received`, once each.
 */
export async function copyJoinedMessages(
  tx: Tx,
  forceId: ForceId,
  clock: Clock,
  input: { channel: string; personId: string; contactId: string; claim: { threadKind: string; withinMinutes: number } },
  out: Announcements,
): Promise<void> {
  const candidates = await listContactsOnThreadKind(tx, forceId, input.personId, input.channel, input.claim.threadKind);
  // Closed ones too: staff closing the earlier call a moment ago does not make its fix less the new call's.
  const others = candidates.filter((c) => c.id !== input.contactId).map((c) => c.id);
  const since = new Date(clock.now().getTime() - input.claim.withinMinutes * 60_000);
  const actor = { type: 'public' as const, id: null };
  for (const row of await listJoinedMessagesSince(tx, forceId, others, since)) {
    const meta = isRecord(row.meta) ? row.meta : {};
    const join = meta.joinedBy;
    if (!isRecord(join) || join.threadKind !== input.claim.threadKind || typeof join.withinMinutes !== 'number') continue;
    // As it was matched when it reached us: our clock then, the sender's times in it.
    const found = latestStartedBy(candidates, dateOrNull(join.at), new Date(row.first_received_at), join.withinMinutes, {
      toleranceSeconds: typeof join.toleranceSeconds === 'number' ? join.toleranceSeconds : 0,
      begunAt: dateOrNull(join.begunAt),
      // Stored since decision 0124; a message stored without it is matched again without that rule.
      readsBeforeMinutes: typeof join.readsBeforeMinutes === 'number' ? join.readsBeforeMinutes : 0,
    });
    if (found?.id !== input.contactId) continue;
    const copyId = newId();
    const { joinedBy: _joinedBy, ...kept } = meta;
    await insertMessages(tx, [
      {
        id: copyId,
        force_id: forceId,
        contact_id: input.contactId,
        direction: 'inbound',
        channel: row.channel,
        body: row.body,
        // No provider id: the original keeps it, so a retry of the message is still stored once.
        provider_message_id: null,
        author_staff_id: null,
        // When it reached us, so the call's thread shows it where it came.
        created_at: row.created_at,
        sent_at: row.sent_at,
        delivery_status: null,
        inbound_request_id: row.inbound_request_id,
        channel_account_id: row.channel_account_id,
        sender_person_id: row.sender_person_id,
        meta: JSON.stringify({ ...kept, copiedFrom: { messageId: row.id, contactId: row.contact_id } }),
      },
    ]);
    out.events.push(contactMessageCopied.of({ actor, subjectId: row.contact_id, data: { channel: input.channel, messageId: row.id, toContactId: input.contactId } }));
    out.events.push(contactMessageReceived.of({ actor, subjectId: input.contactId, data: { channel: input.channel, messageId: copyId } }));
  }
}
