import { readFileSync } from 'node:fs';
import type { TestApp } from '../helpers.ts';
import type { ForceId } from '../../src/platform/ids.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';

// Shared by the tests of a force's WhatsApp Business number on Meta's Cloud API (decision 0099):
// the number's settings, Meta's signed webhook posts, and a text message built from Meta's sample.

export const APP_SECRET = 'whatsapp-app-secret';
export const ACCESS_TOKEN = 'whatsapp-system-user-token';
export const PHONE_NUMBER_ID = '1000000000010';
export const OTHER_PHONE_NUMBER_ID = '1000000000020';
/** The id of the message in Meta's text sample (`whatsapp-text.json`). */
export const FIRST_ID = 'wamid.HBgMNDQ3NzAwOTAwMzAxFQIAEhgUM0EwMDAwMDAwMDAwMDAwMDAwMDEA';

const FIXTURES = new URL('../../src/capabilities/channels/meta/fixtures/', import.meta.url);
export const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
export type WebhookJson = { entry: { changes: { value: Record<string, unknown> }[] }[] };
export const fixtureJson = (name: string) => JSON.parse(fixture(name)) as WebhookJson;

/** Connects the force's number, its Graph API at `graphUrl` (a stand-in), with `config` over the defaults. */
export function connectNumber(app: TestApp, forceId: ForceId, graphUrl: string, config: Record<string, unknown> = {}) {
  return connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, forceId, metaChannel as AnyChannelAdapter, {
    label: 'WhatsApp number',
    config: { platform: 'whatsapp', phoneNumberId: PHONE_NUMBER_ID, businessAccountId: '1000000000011', appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, apiBaseUrl: `${graphUrl}/v21.0`, ...config },
    actor: { type: 'system', id: null },
  });
}

/** Posts a body to Meta's webhook, signed with `signature` (the app secret's by default; null: unsigned). */
export function postToWebhook(app: TestApp, body: string, signature: string | null = metaSignature(Buffer.from(body), APP_SECRET)) {
  return app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature-256': signature }) }, payload: body });
}

/**
 * A sample webhook (`whatsapp-text.json` unless named) carrying one text message of ours instead of
 * Meta's: its id, sender, words, time and number, and any of the message's own fields (`context`).
 */
export function textWebhook(message: { id: string; text: string; at: Date; from?: string; name?: string; phoneNumberId?: string; extra?: Record<string, unknown> }, sample = 'whatsapp-text.json'): string {
  const from = message.from ?? '447700900301';
  const json = fixtureJson(sample);
  const value = json.entry[0]?.changes[0]?.value ?? {};
  value.metadata = { display_phone_number: '447700900010', phone_number_id: message.phoneNumberId ?? PHONE_NUMBER_ID };
  value.contacts = [{ profile: { name: message.name ?? 'Sam Jones' }, wa_id: from }];
  value.messages = [{ ...message.extra, from, id: message.id, timestamp: String(Math.floor(message.at.getTime() / 1000)), text: { body: message.text }, type: 'text' }];
  return JSON.stringify(json);
}
