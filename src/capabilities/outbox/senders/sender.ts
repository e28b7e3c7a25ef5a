import type { Mailer } from '../../../platform/mail/mailer.ts';
import type { MailerPool } from '../../../platform/mail/mailer.ts';
import type { Clock } from '../../../platform/clock.ts';
import type { NotifyOutboxAccount, TwilioOutboxAccount } from '../../channels/outbox-accounts.service.ts';
import type { OutboxRow } from '../outbox.repository.ts';

// What every channel's sender gets and gives back. A sender knows one channel (and the providers
// that carry it); the delivery job knows none of them and acts on the outcome.

/** A send that did not go: permanent when trying again cannot help (the message falls back to its next channel). */
export class OutboxSendError extends Error {
  override name = 'OutboxSendError';
  constructor(
    message: string,
    readonly isPermanent = false,
  ) {
    super(message);
  }
}

/** What became of one send. */
export type SendOutcome =
  /**
   * A provider took it; `receiptChannel` is the channel whose webhook brings its receipts (null:
   * none come), `receiptAccount` the provider account they are verified with when the provider
   * has several (Twilio's Account SID; null otherwise: decision 0196).
   */
  | { kind: 'sent'; provider: 'smtp' | 'notify' | 'twilio'; providerMessageId: string | null; receiptChannel: string | null; receiptAccount: string | null }
  /** It reached the person as it was stored (the portal inbox). */
  | { kind: 'delivered'; proof: 'portal' }
  /** It waits for a person (a letter to print). */
  | { kind: 'held'; reason: string }
  /** Nothing can carry this channel for the force: the next channel is tried, or it is held for an admin. */
  | { kind: 'no_provider'; reason: string };

/**
 * The force's provider accounts the senders may use, and whether it also has the demo's stand-in
 * accounts, which they never use (decision 0057).
 */
export type OutboxAccounts = { notify: NotifyOutboxAccount | null; twilio: TwilioOutboxAccount | null; hasDemoStandIn: boolean };

/**
 * The account a text goes through: the force's GOV.UK Notify service when it has one, else its
 * Twilio number; null for neither. The one place the choice is made: sending, sending again, and
 * the account a delivery report must come from (decision 0184) all read it.
 */
export function textProviderOf(accounts: OutboxAccounts): { provider: 'notify'; account: NotifyOutboxAccount } | { provider: 'twilio'; account: TwilioOutboxAccount } | null {
  if (accounts.notify) return { provider: 'notify', account: accounts.notify };
  if (accounts.twilio) return { provider: 'twilio', account: accounts.twilio };
  return null;
}

/** What senders reach providers with. */
export type SenderDeps = {
  /** The SMTP mailer for the outbox (SMTP_URL), or null when none is configured. */
  mailer: Mailer | null;
  mailFrom: string;
  /** The guarded HTTP client. */
  fetcher: typeof fetch;
  mailers: MailerPool;
  /** The time a send is signed with, where a provider asks for one. */
  clock: Clock;
  /** The service's public address, where a provider reports back when its account names no address of its own (decision 0184). */
  publicUrl?: string | undefined;
};

/** Sends one outbox message on the channel it is on; throws OutboxSendError when it did not go. */
export type OutboxSender = (message: OutboxRow, accounts: OutboxAccounts, deps: SenderDeps) => Promise<SendOutcome>;
