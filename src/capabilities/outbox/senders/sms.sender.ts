import { sendTextWithTwilio } from '../../channels/outbox-accounts.service.ts';
import { sendNotifySms } from './notify-client.ts';
import { OutboxSendError, textProviderOf, type OutboxSender } from './sender.ts';

/** Why a text is held when the force has no provider: a held text with this reason goes once one is connected. */
export const NO_TEXT_PROVIDER = 'no text message provider is connected (GOV.UK Notify or Twilio)';

/**
 * Why a text is held when the force's only text providers are the demo's stand-ins (decision 0057):
 * it goes once a force admin connects the force's own account, or replaces the demo credentials.
 */
export const DEMO_STAND_IN_TEXT_PROVIDER =
  'the text message provider connected is the demo’s stand-in, which sends nothing: connect the force’s own GOV.UK Notify or Twilio account';

/**
 * Text messages: through the force's GOV.UK Notify service when it has one, else its Twilio
 * number. Both report delivery to their webhooks, which apply the receipts to the outbox. The
 * provider's idempotency (Twilio's token) or our reference (Notify) is the outbox id.
 */
export const sendSms: OutboxSender = async (message, accounts, deps) => {
  const through = textProviderOf(accounts);
  if (through?.provider === 'notify') {
    const notify = through.account;
    const id = await sendNotifySms(
      notify,
      { templateId: notify.smsTemplateId, to: message.recipient, body: message.body, reference: message.id, smsSenderId: notify.smsSenderId },
      deps.fetcher,
    );
    return { kind: 'sent', provider: 'notify', providerMessageId: id, receiptChannel: notify.channel, receiptAccount: null };
  }
  if (through?.provider === 'twilio') {
    const sent = await sendTextWithTwilio(
      through.account,
      // Keyed by the outbox id and its fallback count, so a retry is the same send and a later
      // channel never reuses an earlier one's token.
      { to: message.recipient, body: message.body, idempotencyKey: `${message.id}:${message.fallbacks}`, outboxId: message.id },
      { fetch: deps.fetcher, mailers: deps.mailers, clock: deps.clock, publicUrl: deps.publicUrl },
    );
    if (!sent.ok) throw new OutboxSendError(sent.reason, sent.isPermanent);
    return { kind: 'sent', provider: 'twilio', providerMessageId: sent.providerMessageId, receiptChannel: through.account.channel, receiptAccount: through.account.config.accountSid };
  }
  return { kind: 'no_provider', reason: accounts.hasDemoStandIn ? DEMO_STAND_IN_TEXT_PROVIDER : NO_TEXT_PROVIDER };
};
