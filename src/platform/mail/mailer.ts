import nodemailer from 'nodemailer';

export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** Stable per outbox message, so a resend after a crash can be recognised as the same mail. */
  messageId: string;
};

/** Sends one email or throws with the server's reason. */
export type Mailer = { send(mail: OutgoingMail): Promise<void>; close(): void };

/** An SMTP mailer for `smtp://` or `smtps://` URLs (credentials may be in the URL). */
export function createSmtpMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
      });
    },
    close() {
      transport.close();
    },
  };
}
