import { sql } from 'kysely';
import { z } from 'zod';
import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import type { MailerPool } from '../../platform/mail/mailer.ts';
import type { Clock } from '../../platform/clock.ts';
import { ChannelSendError } from './channel.ts';
import { openSettings } from './sealed-settings.ts';
import { describeNetworkFailure } from '../../platform/http/network-failure.ts';
import { notifySmsChannel } from './notify/notify.channel.ts';
import { twilioSmsChannel, type TwilioChannelConfig } from './twilio/twilio.channel.ts';

// The provider accounts the outbox sends a victim's journey messages through: the force's GOV.UK
// Notify service (texts, and emails when it has a journey email template) and its Twilio number.
// They are the accounts the force connected as channels, so one set of credentials serves the
// threads and the journeys, and Notify's one delivery-receipt callback reports on both.

/** What the outbox needs of the force's Notify service. */
export type NotifyOutboxAccount = {
  /** The channel whose webhook receives this account's receipts. */
  channel: 'sms_notify';
  apiKey: string;
  apiBaseUrl: string;
  /** The text message template, content `((body))`. */
  smsTemplateId: string;
  smsSenderId: string | null;
  /** The email template (subject `((subject))`, content `((body))`), or null: emails go by SMTP. */
  emailTemplateId: string | null;
  emailReplyToId: string | null;
};

/** The force's Twilio number, which sends texts when the force has no Notify service. */
export type TwilioOutboxAccount = { channel: 'sms_twilio'; config: TwilioChannelConfig };

/** A provider's answer to one send: its id for the message, or why not (permanent when retrying cannot help). */
export type ProviderSendResult = { ok: true; providerMessageId: string } | { ok: false; reason: string; isPermanent: boolean };

/**
 * The force's enabled Notify and Twilio accounts for the outbox (the first connected of each, if
 * it has several); null for a provider it has not connected. The demo's stand-in
 * accounts (decision 0057) are never used: `hasDemoStandIn` says the force has one, so a text
 * held for want of a real provider is held with the reason that says what to do.
 */
export async function loadOutboxAccounts(
  tx: Tx,
  forceId: ForceId,
  secrets: SecretBox,
): Promise<{ notify: NotifyOutboxAccount | null; twilio: TwilioOutboxAccount | null; hasDemoStandIn: boolean }> {
  const rows = await tx
    .selectFrom('channel_accounts')
    .select(['channel', 'config_ciphertext'])
    .where('force_id', '=', forceId)
    .where('is_enabled', '=', true)
    .where('channel', 'in', [notifySmsChannel.name, twilioSmsChannel.name])
    // The first connected: renaming an account, or connecting it again, does not move the
    // force's texts to it; turning the first off does (decision 0178).
    .orderBy('created_at')
    .orderBy(sql`seq nulls first`)
    .orderBy('id')
    .execute();
  let notify: NotifyOutboxAccount | null = null;
  let twilio: TwilioOutboxAccount | null = null;
  let hasDemoStandIn = false;
  for (const row of rows) {
    // Settings that do not open fail the delivery (503, retried) as before, rather than passing it to another account.
    const stored = openSettings(secrets, row.config_ciphertext, z.unknown(), 'provider');
    if (row.channel === notifySmsChannel.name && !notify) {
      // Parsed again so that settings added since it was stored take their defaults.
      const parsed = notifySmsChannel.configSchema.safeParse(stored);
      if (!parsed.success) continue;
      const config = parsed.data;
      if (notifySmsChannel.isDemoStandIn?.(config) === true) {
        hasDemoStandIn = true;
        continue;
      }
      notify = {
        channel: 'sms_notify',
        apiKey: config.apiKey,
        apiBaseUrl: config.apiBaseUrl,
        smsTemplateId: config.journeySmsTemplateId ?? config.replyTemplateId,
        smsSenderId: config.smsSenderId,
        emailTemplateId: config.journeyEmailTemplateId,
        emailReplyToId: config.journeyEmailReplyToId,
      };
    }
    if (row.channel === twilioSmsChannel.name && !twilio) {
      const parsed = twilioSmsChannel.configSchema.safeParse(stored);
      if (!parsed.success) continue;
      if (twilioSmsChannel.isDemoStandIn?.(parsed.data) === true) hasDemoStandIn = true;
      else twilio = { channel: 'sms_twilio', config: parsed.data };
    }
  }
  return { notify, twilio, hasDemoStandIn };
}

/**
 * Sends one text through the force's Twilio number (Twilio's idempotency token is the key), the
 * outbox message named in its StatusCallback URL. Twilio
 * never reached is a failure worth retrying, said in plain words (`address not found`).
 */
export async function sendTextWithTwilio(
  account: TwilioOutboxAccount,
  text: { to: string; body: string; idempotencyKey: string; outboxId: string },
  via: { fetch: typeof fetch; mailers: MailerPool; clock: Clock; publicUrl?: string | undefined },
): Promise<ProviderSendResult> {
  try {
    const sent = await twilioSmsChannel.send(
      {
        body: text.body,
        recipient: { kind: 'phone', value: text.to },
        threadKey: null,
        replyToProviderMessageId: null,
        reference: '',
        contactMeta: {},
        idempotencyKey: text.idempotencyKey,
        // Named in the StatusCallback URL, so its reports find it even if its send is never recorded (decision 0176).
        outboxId: text.outboxId,
      },
      account.config,
      { fetch: via.fetch, mailers: via.mailers, approvedAddresses: new Map(), clock: via.clock, publicUrl: via.publicUrl },
    );
    return { ok: true, providerMessageId: sent.providerMessageId };
  } catch (error) {
    if (error instanceof ChannelSendError) return { ok: false, reason: error.message, isPermanent: error.isPermanent };
    const unreached = describeNetworkFailure(error);
    if (unreached) return { ok: false, reason: `Twilio could not be reached: ${unreached}`, isPermanent: false };
    throw error;
  }
}
