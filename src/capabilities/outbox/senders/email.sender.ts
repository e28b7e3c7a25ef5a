import { sendNotifyEmail } from './notify-client.ts';
import { OutboxSendError, type OutboxSender } from './sender.ts';

/** Why an email is held when there is no way to send it: a held email with this reason goes once a mail server is set. */
export const NO_MAIL_SERVER = 'no outbound mail server is configured (SMTP_URL)';

/** SMTP reply codes from 500 up refuse the mail for good (no such mailbox, say); 4xx are worth retrying. */
function isPermanentSmtpRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('responseCode' in error)) return false;
  const code = Number(error.responseCode);
  return code >= 500 && code < 600;
}

/**
 * Email: through the force's GOV.UK Notify service when it has a journey email template (Notify
 * then reports delivery), else through the outbox's SMTP server. A send is at least once; the
 * stable Message-ID (SMTP: the outbox id and its channel count) and the reference (Notify, the
 * outbox id) let a duplicate after a crash between sending and recording be recognised.
 */
export const sendEmail: OutboxSender = async (message, accounts, deps) => {
  const notify = accounts.notify;
  if (notify?.emailTemplateId) {
    const id = await sendNotifyEmail(
      notify,
      { templateId: notify.emailTemplateId, to: message.recipient, subject: message.subject, body: message.body, reference: message.id, replyToId: notify.emailReplyToId },
      deps.fetcher,
    );
    return { kind: 'sent', provider: 'notify', providerMessageId: id, receiptChannel: notify.channel, receiptAccount: null };
  }
  if (!deps.mailer) return { kind: 'no_provider', reason: NO_MAIL_SERVER };
  // A message sent again (or moved to email from another channel) has a Message-ID of its own:
  // a mail system that drops a second message with an id it has seen would drop it. The id is
  // kept as the provider's, so a bounce that names it (channels/email/email.bounce.ts) fails this
  // send and the message goes by the victim's next channel.
  const messageId = message.fallbacks === 0 ? `${message.id}@bluelamp.outbox` : `${message.id}.${message.fallbacks}@bluelamp.outbox`;
  try {
    await deps.mailer.send({ from: deps.mailFrom, to: message.recipient, subject: message.subject, text: message.body, messageId: `<${messageId}>` });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OutboxSendError(`the mail server refused it: ${reason}`.slice(0, 500), isPermanentSmtpRefusal(error));
  }
  return { kind: 'sent', provider: 'smtp', providerMessageId: messageId, receiptChannel: null, receiptAccount: null };
};
