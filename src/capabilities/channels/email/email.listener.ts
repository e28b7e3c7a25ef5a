import type { SMTPServerSession } from 'smtp-server';
import { loadOnFirstUse } from '../../../platform/load-on-first-use.ts';
import { emailChannel } from './email.channel.ts';
import { findEmailAccount, ingestEmail, rawInboundFromMail, type EmailDeps } from './email.ingest.ts';

export type SmtpListenerOptions = {
  port: number;
  host: string;
  /** Larger mails are refused during the SMTP transaction (552). Default 25 MB. */
  maxMessageBytes?: number;
  /** PEM key and certificate: offers STARTTLS. Without them the listener speaks plain SMTP. */
  tls?: { key: string; cert: string };
};

/** smtp-server, loaded when a listener starts: only a process configured to receive mail has one (decision 0148). */
const loadSmtpServer = loadOnFirstUse('the SMTP server (smtp-server)', () => import('smtp-server'));

const DEFAULT_MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
/** Enough for a mail copied to several force mailboxes; more is a 452 and the sender sends the rest later. */
const MAX_RECIPIENTS = 20;

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** The envelope and connection details worth keeping with the raw mail. */
function transportDetails(session: SMTPServerSession): Record<string, string> {
  const details: Record<string, string> = { 'remote-address': session.remoteAddress };
  if (session.envelope.mailFrom) details['mail-from'] = session.envelope.mailFrom.address;
  if (session.clientHostname) details['client-hostname'] = session.clientHostname;
  return details;
}

/**
 * Receives mail for the forces' mailboxes over SMTP (the force's MX, or a forwarding rule, points
 * here). Only connected, enabled email accounts are accepted as recipients (others: 550). Each
 * mail is stored before it is acknowledged: 250 means committed. A mail that cannot be parsed is
 * kept as a rejected request and still acknowledged, so one bad mail never blocks the mailbox;
 * only a storage failure answers 451, and the sending server tries again later.
 */
export async function startSmtpListener(deps: EmailDeps, options: SmtpListenerOptions): Promise<{ port: number; close(): Promise<void> }> {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const log = deps.logger.child({ component: 'email-listener' });
  const { SMTPServer } = await loadSmtpServer();
  const server = new SMTPServer({
    // Anyone may deliver to our mailboxes (that is what an MX is); nobody relays through us.
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    size: maxBytes,
    rejectOversized: true,
    maxRecipients: MAX_RECIPIENTS,
    banner: 'Bluelamp mail intake',
    logger: false,
    onRcptTo(address, _session, callback) {
      findEmailAccount(deps, address.address).then(
        (account) => callback(account ? null : smtpError(550, `No such mailbox here: ${address.address}`)),
        (error: unknown) => {
          log.error({ err: error instanceof Error ? error.message : String(error) }, 'recipient lookup failed');
          callback(smtpError(451, 'Temporary failure, please try again later'));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let failed = false;
      // Stop buffering once over the limit; rejectOversized answers 552 when the stream ends.
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => {
        failed = true;
        log.warn({ err: error.message }, 'mail stream failed');
        callback(smtpError(451, 'Temporary failure, please try again later'));
      });
      stream.on('end', () => {
        if (failed) return;
        if (stream.sizeExceeded) return callback(smtpError(552, 'Message exceeds the maximum size'));
        storeMail(Buffer.concat(chunks), session).then(
          () => callback(null, 'Message stored'),
          (error: unknown) => {
            log.error({ err: error instanceof Error ? error.message : String(error) }, 'storing a mail failed');
            callback(smtpError(451, 'Temporary failure, please try again later'));
          },
        );
      });
    },
  });
  server.on('error', (error) => log.warn({ err: error.message }, 'SMTP connection error'));

  async function storeMail(rawBody: Buffer, session: SMTPServerSession): Promise<void> {
    const recipients = [...new Set(session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()))];
    for (const recipient of recipients) {
      const raw = rawInboundFromMail({
        rawBody,
        recipient,
        method: 'SMTP',
        url: `smtp://${recipient}`,
        receivedAt: deps.clock.now(),
        transport: transportDetails(session),
      });
      const accountKey = emailChannel.identifyAccount(raw);
      // The account may have been disabled between RCPT TO and the end of DATA: nothing to store.
      const account = accountKey ? await findEmailAccount(deps, accountKey) : null;
      if (!account) continue;
      await ingestEmail(deps, account, raw);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  log.info({ port, host: options.host }, 'SMTP listener started');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
