import type { OutboxChannel } from '../../../platform/db/tables.ts';
import { sendEmail } from './email.sender.ts';
import { sendSms } from './sms.sender.ts';
import type { OutboxSender } from './sender.ts';

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
