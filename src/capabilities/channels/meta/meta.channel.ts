import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ChannelPayloadError, ChannelSendError, type ChannelAdapter, type DirectResponse, type ConnectField } from '../channel.ts';
import { isPublishedCredentialFor } from '../channel-kit.ts';
import { graphReplyWindow, sendGraphReply } from './meta.graph.ts';
import { entriesOf, entryIds, firstEntryId, parseMetaWebhook } from './meta.payload.ts';
import { changesOf, isWhatsAppBody, parseWhatsAppWebhook, phoneNumberIds } from './meta.whatsapp.ts';
import { isWhatsAppMediaReference, openWhatsAppMedia } from './meta.whatsapp-media.ts';
import { sendWhatsAppCloud, whatsAppCloudTemplateFields, whatsAppCloudTemplateSettings } from './meta.whatsapp-send.ts';
import { WHATSAPP_WINDOW_HOURS } from '../reply-window.ts';

/**
 * Facebook Page and Instagram professional account messages and comments, and WhatsApp Business
 * numbers' messages (the Cloud API), through one Meta app's webhook at `/webhooks/meta`.
 *
 * Accounts. Each Page and each Instagram account is its own channel account, keyed by its Meta
 * id, which is `entry[].id` in every event notification. Meta's verification handshake (the GET
 * with `hub.verify_token`) is made once per app subscription and names no Page, so the app's
 * webhook is a third kind of account, `platform: 'webhook'`, keyed by a hash of its verify token:
 * the GET finds it by the token it carries, and it answers nothing but the handshake. A verify
 * token that matches no account therefore finds nothing (the route's 404), which is the refusal
 * Meta sees; the handshake itself refuses (403) anything but `hub.mode=subscribe`. A WhatsApp
 * number is keyed by its phone number id, which each change of a WhatsApp batch names in
 * `value.metadata` (the entry's id is the business account's, which may hold several numbers):
 * see meta.whatsapp.ts and decision 0099.
 */

export const GRAPH_API_BASE = 'https://graph.facebook.com/v21.0';

/** The demo Page's and Instagram account's access token: published, so it must never reach Meta itself. */
const DEMO_PAGE_TOKEN = 'demo-meta-page-token';

const metaId = z.string().regex(/^\d{1,32}$/, 'must be the numeric id Meta shows for the account');
const sendingAccount = {
  /** Signs every event notification (X-Hub-Signature-256): App Dashboard, App settings, Basic. */
  appSecret: z.string().min(8, 'must be at least 8 characters'),
  /** A Page access token with pages_messaging (and instagram_manage_messages/_comments for Instagram). */
  pageAccessToken: z.string().min(8, 'must be at least 8 characters'),
  /** How operators' replies to comments go out: a public reply under the comment, or one private message. */
  commentReplyMode: z.enum(['public', 'private']).default('public'),
  /**
   * How replies to direct messages are sent: within Meta's standard window (24 hours after the
   * person last wrote), or tagged HUMAN_AGENT, which Meta delivers for 7 days, for an app Meta
   * granted the Human Agent permission (every reply here is written by a person).
   */
  directReplies: z.enum(['standard', 'human_agent']).default('standard'),
  apiBaseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default(GRAPH_API_BASE),
};
const configSchema = z.discriminatedUnion('platform', [
  z.strictObject({ platform: z.literal('facebook'), pageId: metaId, ...sendingAccount }),
  z.strictObject({ platform: z.literal('instagram'), instagramAccountId: metaId, ...sendingAccount }),
  z.strictObject({
    platform: z.literal('whatsapp'),
    phoneNumberId: metaId,
    businessAccountId: metaId,
    /** Signs every event notification, as for Pages: the app's secret. */
    appSecret: sendingAccount.appSecret,
    /** A system user's token with whatsapp_business_messaging on the business account. */
    accessToken: z.string().min(8, 'must be at least 8 characters'),
    apiBaseUrl: sendingAccount.apiBaseUrl,
    ...whatsAppCloudTemplateSettings,
  }),
  z.strictObject({ platform: z.literal('webhook'), verifyToken: z.string().min(12, 'must be at least 12 characters') }),
]);
export type MetaChannelConfig = z.infer<typeof configSchema>;

/** The connect form's fields, one per setting of `configSchema`, each for the platforms that have it. */
const SENDING = ['facebook', 'instagram'];
const WHATSAPP = ['whatsapp'];
const connectFields: ConnectField[] = [
  {
    name: 'platform',
    label: 'What to connect',
    kind: 'choice',
    isOptional: false,
    hint: 'Each Page and each Instagram account is connected on its own. The app’s webhook is connected once: it answers Meta’s verification request.',
    options: [
      { value: 'facebook', label: 'A Facebook Page' },
      { value: 'instagram', label: 'An Instagram professional account' },
      { value: 'whatsapp', label: 'A WhatsApp Business number (Cloud API)' },
      { value: 'webhook', label: 'The Meta app’s webhook' },
    ],
  },
  { name: 'pageId', label: 'Page ID', kind: 'text', isOptional: false, platforms: ['facebook'], identifiesAccount: true, hint: 'The numeric id of the Page, shown on the Page under About, Page transparency.' },
  { name: 'instagramAccountId', label: 'Instagram account ID', kind: 'text', isOptional: false, platforms: ['instagram'], identifiesAccount: true, hint: 'The numeric id of the Instagram professional account, as Meta Business Suite or the Graph API Explorer shows it.' },
  { name: 'phoneNumberId', label: 'Phone number ID', kind: 'text', isOptional: false, platforms: WHATSAPP, identifiesAccount: true, hint: 'The numeric id of the WhatsApp Business number (not the number itself): App Dashboard, WhatsApp, API Setup, or WhatsApp Manager, Phone numbers.' },
  { name: 'businessAccountId', label: 'WhatsApp Business Account ID', kind: 'text', isOptional: false, platforms: WHATSAPP, hint: 'The numeric id of the WhatsApp Business Account that holds the number and its templates, beside the phone number ID under API Setup.' },
  { name: 'accessToken', label: 'Access token', kind: 'secret', isOptional: false, platforms: WHATSAPP, hint: 'A system user’s access token with whatsapp_business_messaging on this business account, from Business Settings, System users. Temporary tokens from API Setup expire within a day.' },
  ...whatsAppCloudTemplateFields,
  { name: 'appSecret', label: 'App secret', kind: 'secret', isOptional: false, platforms: [...SENDING, ...WHATSAPP], hint: 'Signs every event Meta sends: App Dashboard, App settings, Basic.' },
  { name: 'pageAccessToken', label: 'Page access token', kind: 'secret', isOptional: false, platforms: SENDING, hint: 'A long-lived Page access token with pages_messaging (and instagram_manage_messages and instagram_manage_comments for Instagram), from a system user in Business Settings.' },
  {
    name: 'commentReplyMode',
    label: 'Replies to comments',
    kind: 'choice',
    isOptional: true,
    default: 'public',
    platforms: SENDING,
    hint: 'How an operator’s reply to a comment goes out.',
    options: [
      { value: 'public', label: 'A public reply under the comment' },
      { value: 'private', label: 'One private message to its author' },
    ],
  },
  {
    name: 'directReplies',
    label: 'Replies to direct messages',
    kind: 'choice',
    isOptional: true,
    default: 'standard',
    platforms: SENDING,
    hint: 'Meta delivers a reply within 24 hours of the person’s last message; tagged as a person’s reply, within 7 days, once Meta has granted the app the Human Agent permission (App Review).',
    options: [
      { value: 'standard', label: 'Within 24 hours of the person’s last message' },
      { value: 'human_agent', label: 'Within 7 days, tagged as a person’s reply (the app has the Human Agent permission)' },
    ],
  },
  { name: 'apiBaseUrl', label: 'Graph API address', kind: 'url', isOptional: true, default: GRAPH_API_BASE, platforms: [...SENDING, ...WHATSAPP], hint: 'Change it only for another Graph API version or a training simulator.' },
  { name: 'verifyToken', label: 'Verify token', kind: 'secret', isOptional: false, platforms: ['webhook'], identifiesAccount: true, hint: 'The token typed in the App Dashboard under Webhooks when subscribing, at least 12 characters.' },
];

const verifyTokenKey = (token: string) => `verify:${createHash('sha256').update(token).digest('hex')}`;

/** `sha256=` and the hex HMAC-SHA256 of the exact body bytes under the app secret, as Meta sends it. */
export function metaSignature(rawBody: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** Checks an `X-Hub-Signature-256` header in constant time; anything malformed is simply wrong. */
export function isValidMetaSignature(header: string | undefined, rawBody: Buffer, appSecret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return false;
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(match[1], 'hex'), expected);
}

function sameText(given: string, expected: string): boolean {
  // Hash first so the comparison takes the same time whatever the lengths.
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const refuse = (status: number, body: string): DirectResponse => ({ status, contentType: 'text/plain', body });

export const metaChannel: ChannelAdapter<MetaChannelConfig> = {
  name: 'meta',
  label: 'Facebook, Instagram and WhatsApp',
  providerName: 'Meta',
  configSchema,
  connectFields,
  demoAccounts: [
    {
      label: 'Demo Facebook Page',
      config: {
        platform: 'facebook',
        pageId: '1000000000001',
        appSecret: 'demo-meta-app-secret',
        pageAccessToken: DEMO_PAGE_TOKEN,
        commentReplyMode: 'public',
        directReplies: 'standard',
        apiBaseUrl: GRAPH_API_BASE,
      },
    },
    {
      label: 'Demo Instagram account',
      config: {
        platform: 'instagram',
        instagramAccountId: '1000000000002',
        appSecret: 'demo-meta-app-secret',
        pageAccessToken: DEMO_PAGE_TOKEN,
        commentReplyMode: 'public',
        directReplies: 'standard',
        apiBaseUrl: GRAPH_API_BASE,
      },
    },
    { label: 'Demo Meta app webhook', config: { platform: 'webhook', verifyToken: 'demo-meta-verify-token' } },
  ],
  isDemoStandIn(config) {
    // The app's webhook account only answers Meta's handshake: it sends nothing.
    if (config.platform === 'webhook') return false;
    return isPublishedCredentialFor(
      { credentials: [config.platform === 'whatsapp' ? config.accessToken : config.pageAccessToken], url: config.apiBaseUrl },
      { published: [DEMO_PAGE_TOKEN], domains: ['facebook.com', 'instagram.com'] },
    );
  },
  identifyAccount(request) {
    if (request.method === 'GET') {
      const token = request.query['hub.verify_token'];
      return token ? verifyTokenKey(token) : null;
    }
    return isWhatsAppBody(request.rawBody) ? (phoneNumberIds(request.rawBody)[0] ?? null) : firstEntryId(request.rawBody);
  },
  identifyAccounts(request) {
    // One app's batch may hold entries for several Pages and Instagram accounts, or changes for
    // several WhatsApp numbers, of several forces.
    return isWhatsAppBody(request.rawBody) ? phoneNumberIds(request.rawBody) : entryIds(request.rawBody);
  },
  partFor(request, accountKey) {
    const rawBody = isWhatsAppBody(request.rawBody) ? changesOf(request.rawBody, [accountKey]) : entriesOf(request.rawBody, [accountKey]);
    return { ...request, rawBody };
  },
  accountKeyOf(config) {
    if (config.platform === 'facebook') return config.pageId;
    if (config.platform === 'instagram') return config.instagramAccountId;
    if (config.platform === 'whatsapp') return config.phoneNumberId;
    return verifyTokenKey(config.verifyToken);
  },
  handshake(request, config) {
    if (request.method !== 'GET' || config.platform !== 'webhook') return null;
    const { 'hub.mode': mode, 'hub.verify_token': token = '', 'hub.challenge': challenge } = request.query;
    if (mode !== 'subscribe' || !sameText(token, config.verifyToken)) return refuse(403, 'Forbidden');
    // Meta sends a number; anything else is not Meta, and is never echoed back.
    if (!challenge || !/^[A-Za-z0-9_-]{1,256}$/.test(challenge)) return refuse(400, 'Bad challenge');
    return { status: 200, contentType: 'text/plain', body: challenge };
  },
  verify(request, config) {
    if (config.platform === 'webhook') return { ok: false, reason: 'this account only answers the webhook handshake' };
    return isValidMetaSignature(request.headers['x-hub-signature-256'], request.rawBody, config.appSecret)
      ? { ok: true }
      : { ok: false, reason: 'missing or wrong X-Hub-Signature-256' };
  },
  parse(request, config) {
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      throw new ChannelPayloadError('content type must be application/json', 415);
    }
    if (config.platform === 'webhook') return { messages: [], statuses: [] };
    if (config.platform === 'whatsapp') return parseWhatsAppWebhook(request.rawBody, config.phoneNumberId, request.receivedAt);
    return parseMetaWebhook(request.rawBody, config.platform, config.platform === 'facebook' ? config.pageId : config.instagramAccountId, request.receivedAt);
  },
  openAttachment(reference, config, fetcher) {
    // Only a WhatsApp number's files are named by media id; a Page's are plain links.
    return config.platform === 'whatsapp' && isWhatsAppMediaReference(reference) ? openWhatsAppMedia(reference, config, fetcher) : null;
  },
  outboundTargets(config) {
    return config.platform === 'webhook' ? [] : [{ field: 'apiBaseUrl', url: config.apiBaseUrl }];
  },
  // WhatsApp's send API takes `context.message_id`; Messenger and Instagram replies here do not quote.
  canQuote(contactMeta) {
    return contactMeta.platform === 'whatsapp';
  },
  replyWindow(contactMeta, settings) {
    if (contactMeta.platform === 'whatsapp') return { hours: WHATSAPP_WINDOW_HOURS, kind: 'whatsapp' };
    if (settings === null || settings.platform === 'webhook' || settings.platform === 'whatsapp') return null;
    return graphReplyWindow(contactMeta, settings);
  },
  async send(message, config, { fetch: fetcher }) {
    if (config.platform === 'webhook') throw new ChannelSendError('the webhook account sends nothing', true);
    if (config.platform === 'whatsapp') return sendWhatsAppCloud(message, config, fetcher);
    const { platform, pageAccessToken, commentReplyMode, directReplies, apiBaseUrl } = config;
    const accountId = platform === 'facebook' ? config.pageId : config.instagramAccountId;
    return sendGraphReply(message, { platform, accountId, pageAccessToken, commentReplyMode, directReplies, apiBaseUrl }, fetcher);
  },
};
