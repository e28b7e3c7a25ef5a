import nodemailer from 'nodemailer';

// The one way Bluelamp sends email: the outbox (journeys, codes) and every email channel account
// send through a mailer from here, with the same timeouts and connection pooling.

export type OutgoingMail = {
  from: string | { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  /** Stable per message (with its angle brackets), so a resend after a crash can be recognised as the same mail. */
  messageId: string;
  /** The Message-ID this mail answers, with its angle brackets. */
  inReplyTo?: string;
  /** The thread's Message-IDs, oldest first, with their angle brackets. */
  references?: string[];
};

/** Sends one email, or throws the server's reason (nodemailer's error, with the SMTP `responseCode` when there is one). */
export type Mailer = { send(mail: OutgoingMail): Promise<void>; close(): void };

/** A stuck server fails the send, which its job retries, instead of holding the job for minutes. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
/** Few connections per server: sends come one job at a time, and providers limit concurrent sessions. */
const MAX_CONNECTIONS_PER_SERVER = 3;
/** An unused connection is closed after this long, before most servers would drop it themselves. */
const IDLE_CONNECTION_MS = 60_000;

/**
 * An SMTP mailer for an `smtp://` or `smtps://` URL (credentials may be in the URL). It keeps a
 * small pool of connections, so a burst of sends does not open and greet a new connection each.
 */
export function createSmtpMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: MAX_CONNECTIONS_PER_SERVER,
    idleTimeout: IDLE_CONNECTION_MS,
    ...SMTP_TIMEOUTS,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references && mail.references.length > 0 ? { references: mail.references } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The process's mailers, one per SMTP server URL, shared by every sender (the outbox's server and
 * each email channel account's), and closed together when the process stops.
 */
export class MailerPool {
  private readonly mailers = new Map<string, Mailer>();

  /** The mailer for a server, opened on first use. */
  mailerFor(smtpUrl: string): Mailer {
    let mailer = this.mailers.get(smtpUrl);
    if (!mailer) {
      mailer = createSmtpMailer(smtpUrl);
      this.mailers.set(smtpUrl, mailer);
    }
    return mailer;
  }

  /** Closes every connection; a mailer asked for afterwards opens new ones. */
  close(): void {
    for (const mailer of this.mailers.values()) mailer.close();
    this.mailers.clear();
  }
}
