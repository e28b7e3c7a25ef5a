import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';

// What the Meta channel's tests share: the demo Page and Instagram account pointed at a stand-in
// for the Graph API, signed webhook posts of Meta's real payloads, and what was stored and sent.

export const URL_PATH = '/webhooks/meta';
export const APP_SECRET = 'demo-meta-app-secret';
export const PAGE_ID = '1000000000001';
export const IG_ID = '1000000000002';

const FIXTURES = new URL('../../src/capabilities/channels/meta/fixtures/', import.meta.url);
export const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));
export const fixtureJson = (name: string): unknown => JSON.parse(fixture(name).toString('utf8'));

export type ContactDetail = {
  contact: { channel: string; personName: string | null };
  messages: { id: string; direction: string; body: string; deliveryStatus: string | null; deliveryError: string | null; editOf: { messageId: string | null; number: number | null } | null }[];
  person: { identities: { kind: string; value: string }[] } | null;
};

/** One test app with the demo Meta accounts sending to a stand-in, and the helpers its tests use. */
export class MetaSuite {
  private testApp: TestApp | null = null;
  private graph: Awaited<ReturnType<typeof startStandIn>> | null = null;
  // Retries fall due on this clock: a test moves it past the backoff instead of waiting.
  private offsetMs = 0;

  get app(): TestApp {
    if (!this.testApp) throw new Error('the Meta suite has not started');
    return this.testApp;
  }

  get standIn(): Awaited<ReturnType<typeof startStandIn>> {
    if (!this.graph) throw new Error('the Meta suite has not started');
    return this.graph;
  }

  async start(): Promise<void> {
    this.graph = await startStandIn();
    this.testApp = await createTestApp({ overrides: { jobRetryBaseMs: 100, clock: { now: () => new Date(Date.now() + this.offsetMs) } } });
    // The demo accounts, re-registered to send to the stand-in instead of graph.facebook.com.
    await this.connect('Demo Facebook Page', this.facebookConfig('public'));
    await this.connect('Demo Instagram account', {
      platform: 'instagram',
      instagramAccountId: IG_ID,
      appSecret: APP_SECRET,
      pageAccessToken: 'demo-meta-page-token',
      apiBaseUrl: `${this.standIn.url}/v21.0`,
    });
  }

  async close(): Promise<void> {
    await this.testApp?.close();
    await this.graph?.close();
  }

  /** Moves the app's clock on, past a retry's backoff. */
  advanceClock(ms: number): void {
    this.offsetMs += ms;
  }

  connect(label: string, config: unknown) {
    return connectChannelAccount({ ...this.app.deps, secrets: new SecretBox(this.app.config.secretsKey) }, this.app.demoForceId, metaChannel as AnyChannelAdapter, {
      label,
      config,
      actor: { type: 'system', id: null },
    });
  }

  facebookConfig(commentReplyMode: 'public' | 'private') {
    return {
      platform: 'facebook',
      pageId: PAGE_ID,
      appSecret: APP_SECRET,
      pageAccessToken: 'demo-meta-page-token',
      commentReplyMode,
      apiBaseUrl: `${this.standIn.url}/v21.0`,
    };
  }

  /** A WhatsApp Business number on the Cloud API (decision 0099), its Graph API the stand-in. */
  whatsappConfig() {
    return {
      platform: 'whatsapp',
      phoneNumberId: '1000000000010',
      businessAccountId: '1000000000011',
      appSecret: APP_SECRET,
      accessToken: 'whatsapp-system-user-token',
      apiBaseUrl: `${this.standIn.url}/v21.0`,
    };
  }

  /** Posts a body to the webhook, signed with the app secret unless the headers say otherwise. */
  post(body: Buffer | string, headers: Record<string, string> = {}) {
    return this.app.inject({
      method: 'POST',
      url: URL_PATH,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(Buffer.from(body), APP_SECRET), ...headers },
      payload: body,
    });
  }

  /** Posts a fixture; a comment in it made as it is delivered (Meta's sample's `created_time` is from 2015). */
  postFixture(name: string) {
    return this.post(commentsMadeAt(fixture(name).toString('utf8'), this.app.deps.clock.now()));
  }

  async countMessages(providerId: string): Promise<number> {
    const rows = await withForce(this.app.database.db, this.app.demoForceId, (tx) =>
      tx.selectFrom('messages').select('id').where('channel', '=', 'meta').where('provider_message_id', '=', providerId).execute(),
    );
    return rows.length;
  }

  async countMetaMessages(): Promise<number> {
    const rows = await withForce(this.app.database.db, this.app.demoForceId, (tx) => tx.selectFrom('messages').select('id').where('channel', '=', 'meta').execute());
    return rows.length;
  }

  contactOf(providerId: string) {
    return withForce(this.app.database.db, this.app.demoForceId, (tx) =>
      tx
        .selectFrom('messages as m')
        .innerJoin('contacts as c', 'c.id', 'm.contact_id')
        .select(['c.id', 'c.thread_key', 'c.meta', 'c.priority', 'm.meta as message_meta'])
        .where('m.provider_message_id', '=', providerId)
        .executeTakeFirstOrThrow(),
    );
  }

  async detail(contactId: string): Promise<ContactDetail> {
    const handler = await signIn(this.app, 'handler@demo.police.uk');
    const response = await this.app.inject({ method: 'GET', url: `/api/contacts/${contactId}`, headers: handler.headers });
    return response.json<ContactDetail>();
  }

  /** An operator's reply, then the jobs that send it. */
  async reply(contactId: string, body: string): Promise<void> {
    const handler = await signIn(this.app, 'handler@demo.police.uk');
    const response = await this.app.inject({ method: 'POST', url: `/api/contacts/${contactId}/replies`, headers: handler.headers, payload: { body } });
    expect(response.statusCode).toBe(201);
    await this.app.runner?.runDue();
  }

  /** The last request the Graph API stand-in received. */
  lastSent() {
    const sent = this.standIn.requests.at(-1);
    if (!sent) throw new Error('the stand-in received nothing');
    return {
      method: sent.method,
      url: sent.url,
      authorization: sent.headers.authorization,
      contentType: sent.headers['content-type'],
      body: JSON.parse(sent.body) as unknown,
    };
  }
}

/**
 * A webhook body whose Facebook comments were made at `at` (`created_time`, seconds): their
 * private reply's 7 days count from it, and Meta's samples are years old (decision 0112).
 */
export function commentsMadeAt(body: string, at: Date): string {
  const payload = JSON.parse(body) as { entry?: { changes?: { value?: Record<string, unknown> }[] }[] };
  let isChanged = false;
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      if (change.value?.item !== 'comment' || typeof change.value.created_time !== 'number') continue;
      change.value.created_time = Math.floor(at.getTime() / 1000);
      isChanged = true;
    }
  }
  // Anything else goes byte for byte as the sample has it.
  return isChanged ? JSON.stringify(payload) : body;
}
