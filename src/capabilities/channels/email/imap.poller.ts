import { withSystem } from '../../../platform/db/database.ts';
import { ModuleLoadError, loadOnFirstUse } from '../../../platform/load-on-first-use.ts';
import type { ForceId } from '../../../platform/ids.ts';
import { storeRejectedRequest } from '../inbound-requests.service.ts';
import { openedOrNull } from '../sealed-settings.ts';
import { mailboxHealthWriter, mailboxKeyOf } from '../mailbox-health.service.ts';
import { LEASE_GRACE_MS, mailboxLeases } from './imap.lease.ts';
import { emailChannel, type EmailChannelConfig, type MailParserLoader } from './email.channel.ts';
import { ingestEmail, rawInboundFromMail, type EmailAccount, type EmailDeps, type EmailIngestOutcome } from './email.ingest.ts';
import { isIP } from 'node:net';
import type { OutboundGuard } from '../../../platform/http/outbound-guard.ts';
import type { MailPollFailure, MailPollerHealth } from '../../../platform/observability/mail-poller-health.ts';

type ImapConfig = NonNullable<EmailChannelConfig['imap']>;

export type ImapPollerOptions = {
  /** How often the poller looks for mailboxes that are due (each polls every `pollSeconds`). */
  tickMs?: number;
  /** Larger mails are quarantined (headers kept) and left in the mailbox. Default 25 MB. */
  maxMessageBytes?: number;
  /** At most this many mails per mailbox per poll, so one full mailbox cannot hold the worker. */
  batchSize?: number;
  /** Checks the mailbox host before each poll; the connection goes to the address it checked. */
  outbound?: OutboundGuard;
  /**
   * Wall-clock limit of one poll of one mailbox, connecting included: then its connection is
   * closed. Socket timeouts alone never end a poll a server keeps alive with a line now and then.
   */
  deadlineMs?: number;
  /** At most this many mailboxes are polled at once, so one slow mailbox cannot hold up the others. */
  concurrency?: number;
  /** Ends the poll at once (its connection closed), as the poller's close() does. */
  signal?: AbortSignal;
  /** How the mails' reader gets mailparser: the process's shared loader (decision 0148) unless given. */
  loadMailParser?: MailParserLoader;
  /** Where each poll's outcome is recorded for `/readyz` and `/metrics` (decision 0153). */
  health?: MailPollerHealth;
  /** How one mailbox is polled: `pollMailbox` unless given (a test holds a poll in flight, or ends it, when it chooses). */
  pollOne?: typeof pollMailbox;
};

/**
 * A poll that failed, with why in a word (`kind`) that is safe to show where the server's own
 * answer is not: the message and cause are for the log.
 */
export class MailboxPollError extends Error {
  override name = 'MailboxPollError';
  constructor(
    readonly kind: Exclude<MailPollFailure, 'module_not_loaded'>,
    message: string,
    options: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Why a poll failed, for the health outputs: never the server's words. */
export function mailPollFailureOf(error: unknown): { failure: MailPollFailure; isRestartNeeded: boolean } {
  if (error instanceof ModuleLoadError) return { failure: 'module_not_loaded', isRestartNeeded: error.isRestartNeeded };
  if (error instanceof MailboxPollError) return { failure: error.kind, isRestartNeeded: false };
  return { failure: 'fetch', isRestartNeeded: false };
}

/** imapflow, loaded by the first poll of a mailbox: most forces poll none (decision 0148). */
const loadImapflow = loadOnFirstUse('the IMAP client (imapflow)', () => import('imapflow'));

const DEFAULTS = { tickMs: 10_000, maxMessageBytes: 25 * 1024 * 1024, batchSize: 50, deadlineMs: 300_000, concurrency: 4 };

/** A fetched mail as the request the shared pipeline stores, named by its mailbox and UID. */
function rawImapMail(deps: EmailDeps, account: EmailAccount, imap: ImapConfig, message: { uid: number; source: Buffer }) {
  return rawInboundFromMail({
    rawBody: message.source,
    recipient: account.config.address,
    method: 'IMAP',
    url: `imap://${imap.host}:${imap.port}/${encodeURIComponent(imap.mailbox)};UID=${message.uid}`,
    receivedAt: deps.clock.now(),
  });
}

/**
 * Stores one mail fetched from a mailbox, exactly as the SMTP listener would: parsed into a
 * contact message, or quarantined. Over-large mails are quarantined with what was fetched.
 * Throws when storing fails (the database, or this mail's content); the poller then keeps the
 * mail as a rejected request if it can, and leaves it unseen for the next poll if it cannot.
 * Throws a `ModuleLoadError` when the mail parser will not load; the poller leaves the mail unseen.
 */
export async function processImapMessage(
  deps: EmailDeps,
  account: EmailAccount,
  imap: ImapConfig,
  message: { uid: number; source: Buffer; size: number },
  maxMessageBytes = DEFAULTS.maxMessageBytes,
  loadParser?: MailParserLoader,
): Promise<EmailIngestOutcome> {
  const raw = rawImapMail(deps, account, imap, message);
  if (message.size > maxMessageBytes) {
    const reason = `mail of ${message.size} bytes is over the ${maxMessageBytes} byte limit; it is left in the mailbox`;
    const inboundRequestId = await storeRejectedRequest(deps, account.forceId, { channel: emailChannel.name, channelAccountId: account.id, request: raw }, reason);
    return { status: 'quarantined', inboundRequestId, reason };
  }
  return ingestEmail(deps, account, raw, loadParser);
}

/**
 * Keeps a mail that was fetched but could not be stored (a failure of this mail, not of the
 * mailbox) as a rejected request with the reason, so it never blocks the mails behind it. Throws
 * the original error when even that fails: the database is down, and the mail stays unseen.
 * A library that will not load is the installation's fault, not the mail's (decision 0148): the
 * poll fails with it, as a failed login does, and leaves this mail and those behind it unseen for
 * the next poll. The message names the mail by its UID only.
 */
async function keepUnstorableMail(
  deps: EmailDeps,
  account: EmailAccount,
  imap: ImapConfig,
  message: { uid: number; source: Buffer },
  error: unknown,
): Promise<EmailIngestOutcome> {
  if (error instanceof ModuleLoadError) {
    throw new ModuleLoadError(`${error.message}; the mail with UID ${message.uid} and those behind it are left unseen for the next poll`, { cause: error });
  }
  const reason = `the mail could not be stored: ${error instanceof Error ? error.message : String(error)}`;
  const raw = rawImapMail(deps, account, imap, message);
  let inboundRequestId: string;
  try {
    inboundRequestId = await storeRejectedRequest(deps, account.forceId, { channel: emailChannel.name, channelAccountId: account.id, request: raw }, reason);
  } catch {
    throw error;
  }
  deps.logger.warn({ channel: emailChannel.name, account: account.id, uid: message.uid, inboundRequestId, reason: reason.slice(0, 300) }, 'email quarantined');
  return { status: 'quarantined', inboundRequestId, reason };
}

/**
 * One poll of one mailbox: every unseen mail is fetched (without marking it), stored, and only
 * then marked \Seen. Fetching a mail again after a crash is harmless: Message-IDs are deduplicated.
 * A mail that cannot be stored is kept as a rejected request and marked seen like the others. The
 * poll ends with an error when its connection fails, its deadline passes, `signal` aborts it or
 * the mail parser will not load (that mail and the ones behind it stay unseen).
 */
export async function pollMailbox(
  deps: EmailDeps,
  account: EmailAccount,
  imap: ImapConfig,
  options: ImapPollerOptions = {},
): Promise<{ processed: number; quarantined: number }> {
  const { maxMessageBytes, batchSize, deadlineMs } = { ...DEFAULTS, ...options };
  options.signal?.throwIfAborted();
  // Connect to the address the guard approved; TLS still verifies the certificate for the name.
  const hostForUrl = imap.host.includes(':') ? `[${imap.host}]` : imap.host;
  const checked = options.outbound
    ? await options.outbound.check(`${imap.secure ? 'imaps' : 'imap'}://${hostForUrl}:${imap.port}`).catch((error: unknown) => {
        throw new MailboxPollError('connect', error instanceof Error ? error.message : String(error), { cause: error });
      })
    : null;
  // A client that will not load fails the poll, which is logged and tried again at the next.
  const { ImapFlow } = await loadImapflow();
  const client = new ImapFlow({
    host: checked ? checked.address : imap.host,
    ...(checked && isIP(imap.host) === 0 ? { servername: imap.host } : {}),
    port: imap.port,
    secure: imap.secure,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 120_000,
  });
  // An unhandled 'error' event would end the process; the awaited commands report failures anyway.
  client.on('error', () => undefined);
  // Closing the connection rejects whatever command is waiting on it, so the poll ends.
  const ended: { why: string | null } = { why: null };
  const end = (why: string) => {
    ended.why ??= why;
    client.close();
  };
  const deadline = setTimeout(() => end(`the poll passed its deadline of ${Math.round(deadlineMs / 1000)} s`), deadlineMs);
  const abort = () => end('the poller is closing');
  options.signal?.addEventListener('abort', abort, { once: true });
  let processed = 0;
  let quarantined = 0;
  // Where the poll is, so a failure says which step failed (decision 0153).
  let step: 'connect' | 'fetch' | 'store' = 'connect';
  try {
    await client.connect();
    step = 'fetch';
    try {
      const lock = await client.getMailboxLock(imap.mailbox);
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of uids.slice(0, batchSize)) {
          // Commands are not issued inside a fetch loop (imapflow would deadlock): one fetch per mail.
          const fetched = await client.fetchOne(String(uid), { uid: true, size: true, source: { maxLength: maxMessageBytes + 1 } }, { uid: true });
          if (!fetched || !fetched.source) continue;
          const message = { uid, source: fetched.source, size: fetched.size ?? fetched.source.length };
          step = 'store';
          const outcome = await processImapMessage(deps, account, imap, message, maxMessageBytes, options.loadMailParser).catch((error: unknown) =>
            keepUnstorableMail(deps, account, imap, message, error),
          );
          step = 'fetch';
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          processed += 1;
          if (outcome.status === 'quarantined') quarantined += 1;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
  } catch (error) {
    if (error instanceof ModuleLoadError) throw error;
    // A login the server refused is the mailbox's settings; imapflow marks only a refusal so.
    const kind = step === 'connect' && isRefusedLogin(error) ? 'auth' : step;
    if (ended.why) throw new MailboxPollError(kind, `${ended.why}; mails stored before it ended: ${processed}`, { cause: error });
    throw new MailboxPollError(kind, error instanceof Error ? error.message : String(error), { cause: error });
  } finally {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', abort);
  }
  return { processed, quarantined };
}

/** Whether imapflow says the server refused the login (a tagged NO or BAD to LOGIN or AUTHENTICATE). */
function isRefusedLogin(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'authenticationFailed' in error && error.authenticationFailed === true;
}

/** Every enabled email account that polls a mailbox, across forces, with its configuration. */
async function imapAccounts(deps: EmailDeps): Promise<(EmailAccount & { imap: ImapConfig })[]> {
  const rows = await withSystem(deps.db, (tx) =>
    tx
      .selectFrom('channel_accounts')
      .select(['id', 'force_id', 'config_ciphertext'])
      .where('channel', '=', emailChannel.name)
      .where('is_enabled', '=', true)
      .execute(),
  );
  const accounts: (EmailAccount & { imap: ImapConfig })[] = [];
  for (const row of rows) {
    // One account whose settings do not open (or no longer validate) is skipped; the others still poll.
    const config = openedOrNull(deps.secrets, row.config_ciphertext, emailChannel.configSchema);
    if (!config?.imap) continue;
    // The column holds force ids; the brand is only a compile-time marker.
    accounts.push({ id: row.id, forceId: row.force_id as ForceId, config, imap: config.imap });
  }
  return accounts;
}

/**
 * Polls the mailboxes of every email account configured with `imap`, each every `pollSeconds`,
 * up to `concurrency` at once, each poll ended at `deadlineMs`. A connection or login failure is
 * logged (never with credentials) and retried at the next poll. Each outcome is recorded in
 * `health` when given (decision 0153), and stored when it changes the mailbox's health (decision
 * 0175). Each poll holds its account's lease (decision 0190): a mailbox another poller, here or in
 * another process, is polling is skipped until it is next due. close() ends polls in flight.
 */
export function startImapPoller(deps: EmailDeps, options: ImapPollerOptions = {}): { close(): Promise<void> } {
  const { tickMs, concurrency, deadlineMs } = { ...DEFAULTS, ...options };
  const log = deps.logger.child({ component: 'imap-poller' });
  const nextPollAt = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();
  const closing = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const { health } = options;
  const detach = health?.attach();
  // Failed polls in a row, per mailbox, for the log line that says polling works again.
  const failuresInARow = new Map<string, number>();
  // Each mailbox's health where the console of any process reads it, written when it changes (decision 0175).
  const stored = mailboxHealthWriter(deps);
  // One poll of a mailbox at a time across processes (decision 0190); a lease outlives its poll's deadline by a grace.
  const leases = mailboxLeases(deps, deadlineMs + LEASE_GRACE_MS);

  // A mailbox another poller holds is skipped until it is next due; the lease is given back however the poll ends.
  async function poll(account: EmailAccount & { imap: ImapConfig }): Promise<void> {
    let isLeased: boolean;
    try {
      isLeased = await leases.take(account);
    } catch (error) {
      log.error({ account: account.id, err: error instanceof Error ? error.message : String(error) }, 'taking a mailbox’s lease failed; retrying at the next poll');
      return;
    }
    if (!isLeased) {
      log.debug({ account: account.id }, 'another process is polling the mailbox; skipped');
      return;
    }
    try {
      // close() may have begun while the lease was taken: the poll is not started, and the lease is given back.
      if (!closing.signal.aborted) await pollLeased(account);
    } finally {
      await leases.giveBack(account).then(
        (isGiven) =>
          isGiven
            ? log.debug({ account: account.id }, 'mailbox lease given back')
            : log.warn({ account: account.id }, 'a poll outlasted its lease on the mailbox; another process may have polled it at the same time'),
        // Not given back, it runs out: the mailbox waits one lease at most.
        (error: unknown) => log.warn({ account: account.id, err: error instanceof Error ? error.message : String(error) }, 'giving back a mailbox’s lease failed; it runs out'),
      );
    }
  }

  async function pollLeased(account: EmailAccount & { imap: ImapConfig }): Promise<void> {
    try {
      const result = await (options.pollOne ?? pollMailbox)(deps, account, account.imap, { ...options, signal: closing.signal });
      await stored.recordSuccess(account);
      health?.recordSuccess(account.id);
      if (result.processed > 0) log.info({ account: account.id, ...result }, 'mailbox polled');
      const failures = failuresInARow.get(account.id);
      if (failures) log.info({ account: account.id, failures }, 'polling a mailbox works again');
      failuresInARow.delete(account.id);
    } catch (error) {
      // A poll ended by close() is no failure of the mailbox.
      if (closing.signal.aborted) return;
      const { failure, isRestartNeeded } = mailPollFailureOf(error);
      await stored.recordFailure(account, failure, isRestartNeeded);
      health?.recordFailure(account.id, failure, isRestartNeeded);
      failuresInARow.set(account.id, (failuresInARow.get(account.id) ?? 0) + 1);
      log.warn(
        { account: account.id, host: account.imap.host, reason: failure, restartNeeded: isRestartNeeded, err: error instanceof Error ? error.message : String(error) },
        isRestartNeeded ? 'polling a mailbox failed; a library failed as it loaded and the process must be restarted' : 'polling a mailbox failed; retrying at the next poll',
      );
    }
  }

  // A tick starts the polls that are due and free slots allow, and waits for none of them.
  async function tick(): Promise<void> {
    const now = deps.clock.now().getTime();
    let accounts: Awaited<ReturnType<typeof imapAccounts>>;
    try {
      accounts = await imapAccounts(deps);
    } catch (error) {
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'listing IMAP mailboxes failed');
      return;
    }
    health?.watch(accounts.map((account) => ({ channelAccountId: account.id, mailboxKey: mailboxKeyOf(account.imap) })));
    // The longest waiting first, so a mailbox is never left out for long when slots are short.
    const due = accounts
      .filter((account) => !inFlight.has(account.id) && (nextPollAt.get(account.id) ?? 0) <= now)
      .sort((a, b) => (nextPollAt.get(a.id) ?? 0) - (nextPollAt.get(b.id) ?? 0));
    for (const account of due) {
      if (closing.signal.aborted || inFlight.size >= concurrency) return;
      nextPollAt.set(account.id, now + account.imap.pollSeconds * 1000);
      inFlight.set(account.id, poll(account).finally(() => inFlight.delete(account.id)));
    }
  }

  const schedule = () => {
    if (closing.signal.aborted) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, tickMs);
  };
  running = tick().finally(schedule);

  return {
    async close() {
      closing.abort();
      if (timer) clearTimeout(timer);
      await running;
      await Promise.all(inFlight.values());
      detach?.();
    },
  };
}
