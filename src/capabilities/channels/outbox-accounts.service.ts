import type { Tx } from '../../platform/db/database.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import type { MailerPool } from '../../platform/mail/mailer.ts';
import { ChannelSendError } from './channel.ts';
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
 * The force's enabled Notify and Twilio accounts for the outbox (the most recently changed of
 * each, if it has several); null for a provider it has not connected.
 */
export async function loadOutboxAccounts(
  tx: Tx,
  forceId: ForceId,
  secrets: SecretBox,
): Promise<{ notify: NotifyOutboxAccount | null; twilio: TwilioOutboxAccount | null }> {
  const rows = await tx
    .selectFrom('channel_accounts')
    .select(['channel', 'config_ciphertext'])
    .where('force_id', '=', forceId)
    .where('is_enabled', '=', true)
    .where('channel', 'in', [notifySmsChannel.name, twilioSmsChannel.name])
    .orderBy('updated_at', 'desc')
    .execute();
  let notify: NotifyOutboxAccount | null = null;
  let twilio: TwilioOutboxAccount | null = null;
  for (const row of rows) {
    const stored: unknown = JSON.parse(secrets.open(row.config_ciphertext));
    if (row.channel === notifySmsChannel.name && !notify) {
      // Parsed again so that settings added since it was stored take their defaults.
      const parsed = notifySmsChannel.configSchema.safeParse(stored);
      if (!parsed.success) continue;
      const config = parsed.data;
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
      if (parsed.success) twilio = { channel: 'sms_twilio', config: parsed.data };
    }
  }
  return { notify, twilio };
}

/** Sends one text through the force's Twilio number (Twilio's idempotency token is the key). */
export async function sendTextWithTwilio(
  account: TwilioOutboxAccount,
  text: { to: string; body: string; idempotencyKey: string },
  via: { fetch: typeof fetch; mailers: MailerPool },
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
      },
      account.config,
      { fetch: via.fetch, mailers: via.mailers, approvedAddresses: new Map() },
    );
    return { ok: true, providerMessageId: sent.providerMessageId };
  } catch (error) {
    if (error instanceof ChannelSendError) return { ok: false, reason: error.message, isPermanent: error.isPermanent };
    throw error;
  }
}
