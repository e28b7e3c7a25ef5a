import type { OutboxChannel } from '../../../platform/db/tables.ts';
import { sendEmail } from './email.sender.ts';
import type { OutboxRow } from '../outbox.repository.ts';
import { findNotifyNotification } from './notify-client.ts';
import { sendSms } from './sms.sender.ts';
import { textProviderOf, type OutboxAccounts, type OutboxSender, type SendOutcome, type SenderDeps } from './sender.ts';

/** The reason a letter waits: staff print and post it, then mark it printed. */
export const LETTER_PRINT_QUEUE = 'letter: print queue';

/** The portal inbox: the victim's case page reads the force's portal messages, so storing it delivered it. */
const placeInPortalInbox: OutboxSender = async () => ({ kind: 'delivered', proof: 'portal' });

/** Letters: held in the print queue until a member of staff marks them printed. */
const queueLetterForPrinting: OutboxSender = async () => ({ kind: 'held', reason: LETTER_PRINT_QUEUE });

/** One sender per channel an outbox message can be on. */
export const SENDERS: Record<OutboxChannel, OutboxSender> = {
  email: sendEmail,
  sms: sendSms,
  portal: placeInPortalInbox,
  letter: queueLetterForPrinting,
};

/** The sender for a row's channel (its column is text), or undefined for a channel no sender knows. */
export function senderFor(channel: string): OutboxSender | undefined {
  return Object.hasOwn(SENDERS, channel) ? SENDERS[channel as OutboxChannel] : undefined;
}

/**
 * How a message is sent again when a run that took it may have handed it to its provider already
 * (decision 0163): `harmless` when nothing leaves the force (portal, letter), no provider would
 * take it, or the repeat carries the first's own id (SMTP: the same Message-ID, which a mail
 * system that has seen it may drop); `ask` when the provider can say whether it took it (GOV.UK
 * Notify, by our reference, the outbox id), with that question; `unsafe` when neither (Twilio has
 * no idempotency for a message it is asked to create, nor a look-up by our reference).
 */
export type RepeatSafety =
  | { kind: 'harmless' }
  | { kind: 'ask'; provider: 'notify'; findSent: (since: Date, deps: SenderDeps) => Promise<SendOutcome | null> }
  | { kind: 'unsafe'; provider: 'twilio' };

/** How this message would be sent again through the provider its channel uses now (`RepeatSafety`). */
export function repeatSafetyOf(message: OutboxRow, accounts: OutboxAccounts): RepeatSafety {
  const text = message.channel === 'sms' ? textProviderOf(accounts) : null;
  // A text through the provider `textProviderOf` chooses; an email through Notify when the force sends email by it.
  const notify = text?.provider === 'notify' ? text.account : message.channel === 'email' && accounts.notify?.emailTemplateId ? accounts.notify : null;
  const type = message.channel === 'sms' ? 'sms' : 'email';
  if (notify) {
    return {
      kind: 'ask',
      provider: 'notify',
      findSent: async (since, deps) => {
        const id = await findNotifyNotification(notify, { type, reference: message.id, since }, deps.fetcher);
        return id === null ? null : { kind: 'sent', provider: 'notify', providerMessageId: id, receiptChannel: notify.channel, receiptAccount: null };
      },
    };
  }
  if (text?.provider === 'twilio') return { kind: 'unsafe', provider: 'twilio' };
  return { kind: 'harmless' };
}

/**
 * The provider account a send of this message goes through whose delivery reports may name it by
 * its outbox id (decision 0176): the force's Twilio account (its Account SID) for a text Notify
 * does not carry; null for any other. Kept on the row when a run takes it, so a report naming it
 * settles it only from that account (decision 0184).
 */
export function namingAccountOf(message: OutboxRow, accounts: OutboxAccounts): string | null {
  const through = message.channel === 'sms' ? textProviderOf(accounts) : null;
  return through?.provider === 'twilio' ? through.account.config.accountSid : null;
}
