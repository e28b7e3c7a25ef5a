import type { AnyChannelAdapter } from './channel.ts';
import { apiChannel } from './api/api.channel.ts';
// channel imports: one line per adapter folder, kept in alphabetical order
import { chatChannel } from './chat/chat.channel.ts';
import { emailChannel } from './email/email.channel.ts';
import { metaChannel } from './meta/meta.channel.ts';
import { notifySmsChannel } from './notify/notify.channel.ts';
import { telephonyChannel } from './telephony/telephony.channel.ts';
import { twilioSmsChannel } from './twilio/twilio.channel.ts';
import { TWILIO_STATUS_PATH } from './twilio/twilio.delivery-reports.ts';
import { xChannel } from './x/x.channel.ts';

/**
 * Where each webhook channel listens. One entry per adapter folder. `carries` says, in the words
 * of the start banner, what the provider sends to that URL.
 */
export type WebhookMount = { adapter: AnyChannelAdapter; path: string; methods: ('GET' | 'POST')[]; carries: string };

export const WEBHOOKS: WebhookMount[] = [
  { adapter: apiChannel as AnyChannelAdapter, path: '/api/channels/api/messages', methods: ['POST'], carries: 'messages' },
  // channel mounts: one line per adapter
  { adapter: notifySmsChannel as AnyChannelAdapter, path: '/webhooks/notify/inbound-sms', methods: ['POST'], carries: 'received texts' },
  { adapter: notifySmsChannel as AnyChannelAdapter, path: '/webhooks/notify/status', methods: ['POST'], carries: 'delivery receipts' },
  { adapter: metaChannel as AnyChannelAdapter, path: '/webhooks/meta', methods: ['GET', 'POST'], carries: 'messages, comments and statuses' },
  { adapter: xChannel as AnyChannelAdapter, path: '/webhooks/x', methods: ['GET', 'POST'], carries: 'messages and mentions' },
  { adapter: twilioSmsChannel as AnyChannelAdapter, path: '/webhooks/twilio/sms', methods: ['POST'], carries: 'messages' },
  { adapter: twilioSmsChannel as AnyChannelAdapter, path: TWILIO_STATUS_PATH, methods: ['POST'], carries: 'delivery statuses' },
  { adapter: telephonyChannel as AnyChannelAdapter, path: '/webhooks/telephony/calls', methods: ['POST'], carries: 'call records' },
  { adapter: telephonyChannel as AnyChannelAdapter, path: '/webhooks/telephony/aml', methods: ['POST'], carries: 'AML locations' },
];

/** Adapters whose messages arrive some other way than a webhook (a mail listener, a socket). */
export const OTHER_ADAPTERS: AnyChannelAdapter[] = [
  // channel adapters without webhooks: one line per adapter
  chatChannel as AnyChannelAdapter,
  emailChannel as AnyChannelAdapter,
];

/** The adapter for a channel name, or undefined for channels that are not adapters (the portal). */
export function findAdapter(channel: string): AnyChannelAdapter | undefined {
  return WEBHOOKS.find((mount) => mount.adapter.name === channel)?.adapter ?? OTHER_ADAPTERS.find((adapter) => adapter.name === channel);
}

/** Every adapter once, in the order they are mounted: the channels a force can connect an account of. */
export function listAdapters(): AnyChannelAdapter[] {
  return [...new Set([...WEBHOOKS.map((mount) => mount.adapter), ...OTHER_ADAPTERS])];
}
