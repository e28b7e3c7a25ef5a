import { isIP } from 'node:net';
import type { Transporter } from 'nodemailer';
import { loadOnFirstUse } from '../load-on-first-use.ts';
import { smtpUrlProblem } from './smtp-url.ts';

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

/** A mail as nodemailer builds it, whatever carries it (an SMTP server, a folder). */
export function messageOptions(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    messageId: mail.messageId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    ...(mail.references && mail.references.length > 0 ? { references: mail.references } : {}),
  };
}

/** nodemailer, loaded by the first mail a process sends (decision 0148). */
export const loadNodemailer = loadOnFirstUse('the mail sender (nodemailer)', async () => (await import('nodemailer')).default);

/** A stuck server fails the send, which its job retries, instead of holding the job for minutes. */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };
/** Few connections per server: sends come one job at a time, and providers limit concurrent sessions. */
const MAX_CONNECTIONS_PER_SERVER = 3;
/** An unused connection is closed after this long, before most servers would drop it themselves. */
const IDLE_CONNECTION_MS = 60_000;

/**
 * The transport's settings from the URL's parts alone (see `smtpUrlProblem`). With an address
 * approved beforehand it connects there instead of the host's name (so nodemailer does not look
 * the name up again, which a DNS answer that changed in between could point at an internal
 * address), and TLS still presents and verifies the original name.
 */
function serverOptions(smtpUrl: string, pinnedAddress: string | undefined) {
  const problem = smtpUrlProblem(smtpUrl);
  if (problem) throw new Error(`the SMTP server URL ${problem}`);
  const url = new URL(smtpUrl);
  const name = url.hostname.replace(/^\[|\]$/g, '');
  const pinned = pinnedAddress !== undefined && isIP(name) === 0;
  return {
    host: pinned ? pinnedAddress : name,
    ...(url.port ? { port: Number(url.port) } : {}),
    secure: url.protocol === 'smtps:',
    ...(url.username ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } } : {}),
    ...(pinned ? { servername: name, tls: { servername: name } } : {}),
  };
}

/**
 * An SMTP mailer for an `smtp://` or `smtps://` URL (credentials may be in the URL). It keeps a
 * small pool of connections, so a burst of sends does not open and greet a new connection each.
 * With `pinnedAddress` (what the outbound guard approved for the URL's host) it connects there.
 */
export function createSmtpMailer(smtpUrl: string, pinnedAddress?: string): Mailer {
  // A URL it may not use is refused here, when the mailer is made, as before nodemailer loads.
  const options = {
    ...serverOptions(smtpUrl, pinnedAddress),
    pool: true,
    maxConnections: MAX_CONNECTIONS_PER_SERVER,
    idleTimeout: IDLE_CONNECTION_MS,
    ...SMTP_TIMEOUTS,
  };
  // One transport (one pool) however many sends wait for the first; none until the first send.
  let transport: Promise<Transporter> | null = null;
  return {
    async send(mail) {
      const opening = (transport ??= loadNodemailer().then((nodemailer) => nodemailer.createTransport(options)));
      const opened = await opening.catch((error: unknown) => {
        // Not kept: the next send tries to load it again.
        if (transport === opening) transport = null;
        throw error;
      });
      await opened.sendMail(messageOptions(mail));
    },
    close() {
      void transport?.then(
        (opened) => opened.close(),
        () => undefined,
      );
    },
  };
}

/**
 * The process's mailers, one per SMTP server URL, shared by every sender (the outbox's server and
 * each email channel account's), and closed together when the process stops.
 */
export class MailerPool {
  private readonly mailers = new Map<string, Mailer>();

  /**
   * The mailer for a server, opened on first use; with `pinnedAddress`, one that connects to that
   * address (see `createSmtpMailer`). A new address for the same URL gets its own connections.
   */
  mailerFor(smtpUrl: string, pinnedAddress?: string): Mailer {
    const key = pinnedAddress ? `${smtpUrl}\n${pinnedAddress}` : smtpUrl;
    let mailer = this.mailers.get(key);
    if (!mailer) {
      mailer = createSmtpMailer(smtpUrl, pinnedAddress);
      this.mailers.set(key, mailer);
    }
    return mailer;
  }

  /** Closes every connection; a mailer asked for afterwards opens new ones. */
  close(): void {
    for (const mailer of this.mailers.values()) mailer.close();
    this.mailers.clear();
  }
}
