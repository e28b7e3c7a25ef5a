import { readFileSync } from 'node:fs';
import type { TestApp } from '../helpers.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import type { WhatsAppTemplateSettings } from '../../src/capabilities/channels/twilio/twilio.templates.ts';
import { twilioSmsChannel, type TwilioChannelConfig } from '../../src/capabilities/channels/twilio/twilio.channel.ts';
import { twilioSignature } from '../../src/capabilities/channels/twilio/twilio.signature.ts';

// What the Twilio channel's tests share: the demo number, its signing and its fixtures.

export const fixture = (name: string) => readFileSync(new URL(`../../src/capabilities/channels/twilio/fixtures/${name}`, import.meta.url), 'utf8');
export const PUBLIC_URL = 'https://bluelamp.example.org';
export const AUTH_TOKEN = 'demo-twilio-auth-token';
export const FORM = 'application/x-www-form-urlencoded';

/** The `X-Twilio-Signature` Twilio would send for a form posted to `path`. */
export const sign = (path: string, body: string, token = AUTH_TOKEN, base = PUBLIC_URL) => twilioSignature(token, `${base}${path}`, [...new URLSearchParams(body)]);

/** The fixture with some parameters replaced (null: removed), keeping Twilio's parameter order. */
export function withParams(body: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(body);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  return params.toString();
}

/** Connects the demo number to the demo force, its API pointed at a stand-in. */
export function connectDemoNumber(app: TestApp, config: { apiBaseUrl: string; statusCallbackUrl: string | null } & Partial<WhatsAppTemplateSettings>) {
  return connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, twilioSmsChannel as AnyChannelAdapter, {
    label: 'Demo Twilio number',
    config: { accountSid: 'AC00000000000000000000000000000001', authToken: AUTH_TOKEN, phoneNumber: '+447700900001', ...config } satisfies Partial<TwilioChannelConfig>,
    actor: { type: 'system', id: null },
  });
}
