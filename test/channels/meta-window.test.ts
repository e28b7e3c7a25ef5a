import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, signIn, startStandIn, type TestApp } from '../helpers.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { withForce } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { connectChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import type { AnyChannelAdapter } from '../../src/capabilities/channels/channel.ts';
import { metaChannel, metaSignature } from '../../src/capabilities/channels/meta/meta.channel.ts';
import { APP_SECRET, IG_ID, PAGE_ID, commentsMadeAt, fixture } from './meta-kit.ts';

// Meta delivers a Page's or Instagram account's reply to a direct message within 24 hours of the
// person's last message, or 7 days when it is tagged HUMAN_AGENT (the account's `directReplies`,
// sealed with its credentials); a private reply to a comment within 7 days of the comment, and a
// public reply under it at any time (decision 0103). Staff see the window before they type, and a
// reply past it fails at once, before Meta.

const START = new Date('2026-03-02T09:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FACEBOOK_MESSAGE = 'mid.1457764197618:41d102a3e1ae206a38';
const INSTAGRAM_MESSAGE = 'aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjEwMDAwMDAwMDAwMDI6MQZDZD';
const FACEBOOK_COMMENT = '901097836652708_903438993085259';

type ReplyWindow = { closesAt: string | null; isOpen: boolean; kind: string; hours: number } | null;
type Detail = {
  contact: { replyWindow: ReplyWindow };
  messages: { direction: string; body: string; deliveryStatus: string | null; deliveryError: string | null }[];
};

describe(`Messenger and Instagram reply windows (${ENGINE})`, () => {
  const clock = fixedClock(START);
  let app: TestApp;
  let graph: Awaited<ReturnType<typeof startStandIn>>;
  let headers: Record<string, string>;
  const contacts: Record<string, string> = {};

  const connect = (label: string, config: Record<string, unknown>) =>
    connectChannelAccount({ ...app.deps, secrets: new SecretBox(app.config.secretsKey) }, app.demoForceId, metaChannel as AnyChannelAdapter, {
      label,
      config: { appSecret: APP_SECRET, pageAccessToken: 'meta-window-page-token', apiBaseUrl: `${graph.url}/v21.0`, ...config },
      actor: { type: 'system', id: null },
    });
  const page = (settings: Record<string, unknown> = {}) => connect('Force Facebook Page', { platform: 'facebook', pageId: PAGE_ID, ...settings });
  const instagram = (settings: Record<string, unknown> = {}) => connect('Force Instagram account', { platform: 'instagram', instagramAccountId: IG_ID, ...settings });
  const post = (name: string) => {
    const body = Buffer.from(commentsMadeAt(fixture(name).toString(), clock.now()));
    return app.inject({ method: 'POST', url: '/webhooks/meta', headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(body, APP_SECRET) }, payload: body });
  };
  const contactOf = async (providerId: string) =>
    (
      await withForce(app.database.db, app.demoForceId, (tx) =>
        tx.selectFrom('messages').select('contact_id').where('provider_message_id', '=', providerId).executeTakeFirstOrThrow(),
      )
    ).contact_id;
  const move = async (to: Date) => {
    clock.set(to);
    headers = (await signIn(app, 'handler@demo.police.uk')).headers;
  };
  const detail = async (id: string) => (await app.inject({ method: 'GET', url: `/api/contacts/${id}`, headers })).json<Detail>();
  const windowOf = async (id: string) => (await detail(id)).contact.replyWindow;
  const reachedMeta = (text: string) => graph.requests.filter((request) => request.body.includes(text));
  async function reply(id: string, body: string) {
    const response = await app.inject({ method: 'POST', url: `/api/contacts/${id}/replies`, headers, payload: { body } });
    expect(response.statusCode).toBe(201);
    await app.runner?.runDue();
    return (await detail(id)).messages.filter((m) => m.direction === 'outbound').at(-1);
  }

  beforeAll(async () => {
    graph = await startStandIn();
    app = await createTestApp({ overrides: { clock } });
    await page();
    await instagram();
    for (const name of ['facebook-message.json', 'instagram-message.json', 'facebook-comment-add.json']) {
      expect((await post(name)).statusCode).toBe(200);
    }
    await app.runner?.runDue();
    contacts.messenger = await contactOf(FACEBOOK_MESSAGE);
    contacts.instagram = await contactOf(INSTAGRAM_MESSAGE);
    contacts.comment = await contactOf(FACEBOOK_COMMENT);
    await move(START);
  });
  afterAll(async () => {
    await app?.close();
    await graph?.close();
  });

  it('reports-the-messenger-window-24-hours-from-the-persons-last-message', async () => {
    await move(new Date(START.getTime() + 23 * HOUR));
    expect(await windowOf(contacts.messenger ?? '')).toEqual({ closesAt: new Date(START.getTime() + DAY).toISOString(), isOpen: true, kind: 'meta_message', hours: 24 });
    await move(new Date(START.getTime() + DAY));
    expect(await windowOf(contacts.messenger ?? '')).toEqual({ closesAt: new Date(START.getTime() + DAY).toISOString(), isOpen: false, kind: 'meta_message', hours: 24 });
  });

  it('reports-7-days-for-an-account-whose-replies-are-tagged-human-agent', async () => {
    await instagram({ directReplies: 'human_agent' });
    try {
      await move(new Date(START.getTime() + 3 * DAY));
      expect(await windowOf(contacts.instagram ?? '')).toEqual({ closesAt: new Date(START.getTime() + 7 * DAY).toISOString(), isOpen: true, kind: 'meta_message', hours: 168 });
      await move(new Date(START.getTime() + 7 * DAY));
      expect(await windowOf(contacts.instagram ?? '')).toMatchObject({ isOpen: false, hours: 168 });
    } finally {
      await instagram();
    }
  });

  it('refuses-a-reply-past-the-window-before-it-reaches-meta', async () => {
    await move(new Date(START.getTime() + 25 * HOUR));
    const failed = await reply(contacts.messenger ?? '', 'Are you still at the address?');
    expect(failed).toMatchObject({ body: 'Are you still at the address?', deliveryStatus: 'failed' });
    expect(failed?.deliveryError).toMatch(/^Not sent: Meta’s messaging window has closed/);
    expect(failed?.deliveryError).toContain('24 hours');
    expect(reachedMeta('Are you still at the address?')).toHaveLength(0);
    // Failed for good: no retry reaches Meta later either.
    clock.advance(HOUR);
    await app.runner?.runDue();
    expect(reachedMeta('Are you still at the address?')).toHaveLength(0);
  });

  it('sends-a-reply-inside-the-window', async () => {
    await instagram({ directReplies: 'human_agent' });
    try {
      await move(new Date(START.getTime() + 6 * DAY));
      graph.respondWith(200, { recipient_id: '17841400000000777', message_id: 'mid.inside-window' });
      const sent = await reply(contacts.instagram ?? '', 'An officer will visit you tomorrow.');
      expect(sent).toMatchObject({ deliveryStatus: 'sent', deliveryError: null });
      const [request] = reachedMeta('An officer will visit you tomorrow.');
      expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

      await instagram();
      await move(new Date(START.getTime() + 7 * DAY + HOUR));
      const late = await reply(contacts.instagram ?? '', 'One more thing from the officer.');
      expect(late?.deliveryError).toMatch(/^Not sent: Meta’s messaging window has closed/);
      expect(reachedMeta('One more thing from the officer.')).toHaveLength(0);
    } finally {
      await instagram();
    }
  });

  it('gives-a-private-reply-to-a-comment-7-days-and-a-public-one-none', async () => {
    await move(new Date(START.getTime() + 2 * DAY));
    expect(await windowOf(contacts.comment ?? '')).toBeNull();
    await page({ commentReplyMode: 'private' });
    try {
      expect(await windowOf(contacts.comment ?? '')).toEqual({ closesAt: new Date(START.getTime() + 7 * DAY).toISOString(), isOpen: true, kind: 'meta_private_reply', hours: 168 });
      await move(new Date(START.getTime() + 8 * DAY));
      // Refused when written, before anything is stored or sent (decision 0109).
      const late = await app.inject({ method: 'POST', url: `/api/contacts/${contacts.comment ?? ''}/replies`, headers, payload: { body: 'We have sent you a message about your comment.' } });
      expect(late.statusCode).toBe(409);
      expect(late.json<{ error: { message: string } }>().error.message).toMatch(/^Meta allows private replies only within 7 days of the comment; it was made on /);
      await app.runner?.runDue();
      expect(reachedMeta('We have sent you a message about your comment.')).toHaveLength(0);
    } finally {
      await page();
    }
  });
});
