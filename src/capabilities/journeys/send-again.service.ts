import { withForce, type Tx } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId, StaffId } from '../../platform/ids.ts';
import type { OutboxAlternative } from '../../platform/db/tables.ts';
import { findContactHandles } from '../people/people.service.ts';
import { readOutboxMessage, type OutboxMessage } from '../outbox/outbox.service.ts';
import { asWrittenFor, sendMessageAgain, type MessageToSendAgain, type SendAgainPlan } from '../outbox/outbox-again.service.ts';
import { findOptedOutNumbers } from '../channels/sms-opt-outs.service.ts';
import { smsOptedOutReason } from '../channels/sms-opt-out.events.ts';
import { victimsOf } from './journey-send.service.ts';
import { phoneOf } from './journey-decision.schema.ts';
import { letterRecipientOf } from './letter-recipient.schema.ts';
import { allowedChannels, messageSuppression, nextSafeTime, type ContactChannel } from './safe-contact.schema.ts';
import { preferencesOf } from './preferences.schema.ts';
import { findJourneyCases, findJourneyRule, findJourneySend, findPreferencesOfCases } from './journey.repository.ts';

// "Send again" on a failed outbox message (decision 0058). A journey message goes again to the
// victim as they are now: their preferences, addresses, opt-outs and safe time today, not those
// of when it was first queued, through the same safe-contact rules the journey step applies. Its
// text is the one written for each channel then (the milestone's details are not kept to write
// it again). Any other message (an acknowledgement, a reply by email) goes again as it was written.

const CHANNEL_WORDS: Record<ContactChannel, string> = { email: 'email', sms: 'SMS', portal: 'the portal', letter: 'letter' };

/**
 * A member of staff sends a failed outbox message again: see `sendMessageAgain` for what is
 * refused. Returns the message as the outbox list now shows it.
 */
export async function sendOutboxMessageAgain(deps: ServiceDeps, forceId: ForceId, staffId: StaffId, outboxId: string): Promise<OutboxMessage> {
  return withForce(deps.db, forceId, async (tx) => {
    await sendMessageAgain(tx, forceId, deps.clock, staffId, outboxId, (message) => planFor(tx, forceId, deps.clock.now(), message));
    return readOutboxMessage(tx, forceId, outboxId);
  });
}

/** The channels the journey writes from the email template. */
const FROM_EMAIL_TEMPLATE: ReadonlySet<ContactChannel> = new Set(['email', 'portal', 'letter']);

/**
 * A channel's text from what the message was written for: its own; for email or a letter, the
 * text of another written from the email template (the journey writes email, portal and letters
 * from it). A text message has its own template, and the portal inbox is only used where the
 * journey put the message there (it leaves out an answer the victim already has in their portal
 * conversation).
 */
function textFor(channel: ContactChannel, writtenFor: readonly OutboxAlternative[]): { subject: string; body: string } | null {
  const same = writtenFor.find((c) => c.channel === channel);
  const found = same ?? (channel === 'email' || channel === 'letter' ? writtenFor.find((c) => FROM_EMAIL_TEMPLATE.has(c.channel)) : undefined);
  return found ? { subject: found.subject, body: found.body } : null;
}

async function planFor(tx: Tx, forceId: ForceId, now: Date, message: MessageToSendAgain): Promise<SendAgainPlan> {
  const send = message.caseId && message.idempotencyKey.startsWith('journey:') ? await findJourneySend(tx, forceId, message.idempotencyKey) : undefined;
  if (!send) return asWrittenFor(message);
  const cases = new Map((await findJourneyCases(tx, forceId, [send.case_id])).map((row) => [row.id, row]));
  const found = cases.get(send.case_id);
  const victim = (await victimsOf(tx, forceId, [send.case_id], cases)).find((v) => v.id === send.victim_id);
  if (!found || !victim) return { refused: 'the person it was for is no longer a victim on the case' };
  const prefs = preferencesOf((await findPreferencesOfCases(tx, forceId, [send.case_id])).find((row) => row.victim_id === victim.id) ?? null);
  // A rule since deleted cannot say it was statutory: the victim's opt-out is respected.
  const rule = await findJourneyRule(tx, forceId, send.rule_id);
  const whole = messageSuppression(prefs, { statutory: rule?.statutory ?? false });
  if (whole) return { refused: `the victim has ${whole}` };
  const handles = await findContactHandles(tx, forceId, victim.personId ? [victim.personId] : []);
  const handle = victim.personId ? handles.get(victim.personId) : undefined;
  const phone = phoneOf(victim, handles);
  const optOut = phone ? (await findOptedOutNumbers(tx, forceId, [phone])).get(phone) : undefined;
  // The portal inbox is the case's (its reference), where the journey wrote the message for it.
  const portal = message.writtenFor.some((c) => c.channel === 'portal') ? found.reference : null;
  const decision = allowedChannels(prefs, { email: victim.ownEmail ?? handle?.email ?? null, sms: phone, portal, letter: letterRecipientOf(victim) }, optOut ? { sms: smsOptedOutReason(optOut) } : {});
  const unwritten: string[] = [];
  const channels = decision.allowed.flatMap(({ channel, recipient }): OutboxAlternative[] => {
    const text = textFor(channel, message.writtenFor);
    if (!text) unwritten.push(`it was not written for ${CHANNEL_WORDS[channel]}`);
    return text ? [{ channel, recipient, ...text }] : [];
  });
  if (channels.length === 0) {
    const why = [...decision.suppressed.map((s) => s.reason), ...unwritten];
    return { refused: `no channel the victim allows now can take it (${why.length > 0 ? why.join('; ') : 'no address for any of their channels'})` };
  }
  const safe = nextSafeTime(prefs.safeWindows, now);
  return { channels, notBefore: safe.getTime() > now.getTime() ? safe : null };
}
