import type { AnyChannelAdapter } from './channel.ts';
import { apiChannel } from './api/api.channel.ts';
// channel imports: one line per adapter folder, kept in alphabetical order

/** Where each webhook channel listens. One entry per adapter folder. */
export type WebhookMount = { adapter: AnyChannelAdapter; path: string; methods: ('GET' | 'POST')[] };

export const WEBHOOKS: WebhookMount[] = [
  { adapter: apiChannel as AnyChannelAdapter, path: '/api/channels/api/messages', methods: ['POST'] },
  // channel mounts: one line per adapter
];

/** Adapters whose messages arrive some other way than a webhook (a mail listener, a socket). */
export const OTHER_ADAPTERS: AnyChannelAdapter[] = [
  // channel adapters without webhooks: one line per adapter
];

/** The adapter for a channel name, or undefined for channels that are not adapters (the portal). */
export function findAdapter(channel: string): AnyChannelAdapter | undefined {
  return WEBHOOKS.find((mount) => mount.adapter.name === channel)?.adapter ?? OTHER_ADAPTERS.find((adapter) => adapter.name === channel);
}
