import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { publicRoute } from '../../platform/http/routes.ts';
import { textBody } from '../../platform/http/responses.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { ChannelPayloadError, normaliseHeaders, type AnyChannelAdapter, type DirectResponse, type ParsedInbound, type RawInbound } from './channel.ts';
import { findAccountForWebhook, findAccountsForWebhook } from './channel-accounts.service.ts';
import type { WebhookMount } from './registry.ts';
import { ingestChannelRequest, storeRejectedRequest } from './inbound-requests.service.ts';
import { openSettings } from './sealed-settings.ts';

export type WebhookDeps = ServiceDeps & { secrets: SecretBox; publicUrl: string | undefined };

const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * The most accounts one batched delivery can name: Meta batches at most 1,000 updates. A request
 * naming more is no provider's, and is refused before any account is looked up for it.
 */
const MOST_ACCOUNTS_IN_A_BATCH = 1000;

/** Each provider is answered in its own format (JSON, TwiML, a plain challenge): see its adapter. */
const ACKNOWLEDGEMENT = textBody('*/*', "The provider's acknowledgement or handshake answer, in the form that provider expects");

/** `/webhooks/notify/inbound-sms` answering POST → `postWebhooksNotifyInboundSms`. */
function webhookOperationId(method: string, path: string): string {
  const words = path.split(/[^a-zA-Z0-9]+/).filter((word) => word.length > 0);
  return method.toLowerCase() + words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('');
}

function toRawInbound(request: FastifyRequest, deps: WebhookDeps): RawInbound {
  const base = deps.publicUrl?.replace(/\/$/, '') ?? `${request.protocol}://${request.host}`;
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries((request.query ?? {}) as Record<string, unknown>)) {
    if (typeof value === 'string') query[key] = value;
  }
  return {
    method: request.method,
    url: `${base}${request.url}`,
    path: request.url.split('?')[0] ?? request.url,
    query,
    headers: normaliseHeaders(request.headers),
    rawBody: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
    receivedAt: deps.clock.now(),
  };
}

const sendDirect = (reply: FastifyReply, response: DirectResponse) =>
  reply.status(response.status).type(response.contentType).send(response.body);

/**
 * Refuses a request without the secret its account is known by, or with one no account has, as
 * 401 with the adapter's reason and, where it has a scheme, a WWW-Authenticate challenge (RFC 6750
 * for Bearer: `invalid_token` only when a token was given). Wrong and unknown read alike.
 */
function refuseCredential(reply: FastifyReply, adapter: AnyChannelAdapter, what: 'missing' | 'wrong'): never {
  const credential = adapter.secretCredential;
  const reason = credential ? credential[what] : 'unauthenticated';
  if (credential?.challenge) reply.header('www-authenticate', `${credential.challenge} realm="bluelamp"${what === 'wrong' ? ', error="invalid_token"' : ''}`);
  throw new AppError('unauthenticated', `${adapter.name}: ${reason}`, { publicMessage: reason });
}

const OK: DirectResponse = { status: 200, contentType: 'application/json', body: '{"ok":true}' };

/**
 * A POST that may hold events for several accounts (Meta batches every Page and Instagram account
 * of an app together). Each account it names that a force has connected is verified with that
 * account's secret, then its part is parsed and stored in its own force, one force after another
 * (a failure after the first is answered 5xx, and the provider's resend stores nothing twice).
 * Entries for accounts no force has connected are skipped and logged: they are nobody's here, and
 * refusing them would make the provider resend the batch, ours included, until it gave up. A
 * batch of nothing but such entries is answered 200 for the same reason, and stores nothing.
 */
async function receiveBatch(deps: WebhookDeps, adapter: AnyChannelAdapter, raw: RawInbound, log: FastifyBaseLogger): Promise<DirectResponse> {
  const keys = adapter.identifyAccounts?.(raw) ?? [];
  if (keys.length === 0) {
    throw new AppError('validation_failed', `${adapter.name}: request names no account`, { publicMessage: 'The request does not say which account it is for' });
  }
  if (keys.length > MOST_ACCOUNTS_IN_A_BATCH) {
    throw new AppError('validation_failed', `${adapter.name}: request names ${keys.length} accounts`, {
      publicMessage: `The request names more accounts than one delivery holds (at most ${MOST_ACCOUNTS_IN_A_BATCH})`,
    });
  }
  const accounts = await findAccountsForWebhook(deps.db, adapter.name, keys);
  const known = [];
  const unknown: string[] = [];
  for (const key of keys) {
    const account = accounts.get(key);
    if (account?.isEnabled) known.push({ account, key, own: raw, config: openSettings(deps.secrets, account.sealedConfig, adapter.configSchema, 'provider') });
    else unknown.push(key.slice(0, 32));
  }
  // A batch for accounts of more than one force is kept, in each, as its own accounts' part only:
  // no force keeps another force's events. Otherwise the request is kept byte for byte.
  if (new Set(known.map((each) => each.account.forceId)).size > 1 && adapter.partFor) {
    for (const each of known) each.own = adapter.partFor(raw, each.key);
  }
  if (unknown.length > 0) log.warn({ channel: adapter.name, unknownAccounts: unknown, knownAccounts: known.length }, 'entries for accounts not connected skipped');
  // Nothing is stored unless the request is proven to be the provider's for every account it is stored for.
  for (const { config } of known) {
    const verdict = adapter.verify(raw, config);
    if (!verdict.ok) throw new AppError('unauthenticated', `${adapter.name}: ${verdict.reason}`, { publicMessage: verdict.reason });
  }
  const parts: { account: (typeof known)[number]['account']; own: RawInbound; parsed: ParsedInbound }[] = [];
  for (const { account, own, config } of known) {
    try {
      parts.push({ account, own, parsed: await adapter.parse(own, config) });
    } catch (error) {
      if (!(error instanceof ChannelPayloadError)) throw error;
      // Each force keeps its own part of what could not be read, for replay.
      for (const each of known) await storeRejectedRequest(deps, each.account.forceId, { channel: adapter.name, channelAccountId: each.account.id, request: each.own }, error.message);
      throw new AppError(error.status === 415 ? 'unsupported_media_type' : 'validation_failed', error.message);
    }
  }
  const all: ParsedInbound = { messages: [], statuses: [] };
  for (const { account, own, parsed } of parts) {
    const result = await ingestChannelRequest(deps, account.forceId, { channel: adapter.name, channelAccountId: account.id, request: own, parsed });
    log.info({ channel: adapter.name, inboundRequestId: result.inboundRequestId, messages: result.results.length }, 'channel request stored');
    all.messages.push(...parsed.messages);
    all.statuses.push(...parsed.statuses);
  }
  return adapter.acknowledge?.(all) ?? OK;
}

/**
 * Mounts each channel's webhook. Every request: find the account it names, verify it with that
 * account's secret, answer handshakes, parse, store (raw request and messages in one transaction),
 * and only then acknowledge. A payload that verifies but does not parse is kept for replay and
 * answered 400. A provider that batches several accounts' events has each part routed to its own
 * account (`receiveBatch`).
 */
export async function registerChannelWebhooks(app: FastifyInstance, deps: WebhookDeps, mounts: WebhookMount[]): Promise<void> {
  await app.register(async (scope) => {
    // Signatures are over the exact bytes, so webhooks get the raw body whatever its type.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));

    for (const { adapter, path, methods } of mounts) {
      for (const method of methods) {
        publicRoute(scope, {
          method,
          url: path,
          permission: 'public',
          audit: `channel.${adapter.name}.${method === 'GET' ? 'handshake' : 'inbound'}`,
          summary: `${adapter.label}: ${method === 'GET' ? 'subscription handshake' : 'inbound messages and delivery statuses'}`,
          tags: ['channels'],
          // One adapter may listen on several paths (messages, delivery statuses) under one audit name.
          operationId: webhookOperationId(method, path),
          bodyLimit: WEBHOOK_BODY_LIMIT,
          response: { '2xx': ACKNOWLEDGEMENT },
          handler: async ({ request, reply }) => {
            const raw = toRawInbound(request, deps);
            if (method === 'POST' && adapter.identifyAccounts) return sendDirect(reply, await receiveBatch(deps, adapter, raw, request.log));
            const accountKey = adapter.identifyAccount(raw);
            if (!accountKey && adapter.secretCredential) refuseCredential(reply, adapter, 'missing');
            if (!accountKey) {
              throw new AppError('validation_failed', `${adapter.name}: request names no account`, {
                publicMessage: 'The request does not say which account it is for',
              });
            }
            const account = await findAccountForWebhook(deps.db, adapter.name, accountKey);
            // Known by a hash of its secret: no account is a wrong secret. A disabled one was named by its right secret.
            if (!account && adapter.secretCredential) refuseCredential(reply, adapter, 'wrong');
            if (!account || !account.isEnabled) {
              throw new AppError('not_found', `${adapter.name}: no account ${accountKey.slice(0, 12)}`, {
                publicMessage: 'No such channel account',
              });
            }
            const config = openSettings(deps.secrets, account.sealedConfig, adapter.configSchema, 'provider');
            const handshake = adapter.handshake?.(raw, config);
            if (handshake) return sendDirect(reply, handshake);
            if (method === 'GET') throw new AppError('validation_failed', 'not a handshake', { publicMessage: 'Not a valid handshake' });

            const verdict = adapter.verify(raw, config);
            if (!verdict.ok) {
              if (adapter.secretCredential) refuseCredential(reply, adapter, 'wrong');
              throw new AppError('unauthenticated', `${adapter.name}: ${verdict.reason}`, { publicMessage: verdict.reason });
            }
            let parsed;
            try {
              parsed = await adapter.parse(raw, config);
            } catch (error) {
              if (!(error instanceof ChannelPayloadError)) throw error;
              await storeRejectedRequest(deps, account.forceId, { channel: adapter.name, channelAccountId: account.id, request: raw }, error.message);
              throw new AppError(error.status === 415 ? 'unsupported_media_type' : 'validation_failed', error.message);
            }
            const result = await ingestChannelRequest(deps, account.forceId, {
              channel: adapter.name,
              channelAccountId: account.id,
              request: raw,
              parsed,
            });
            request.log.info(
              { channel: adapter.name, inboundRequestId: result.inboundRequestId, messages: result.results.length },
              'channel request stored',
            );
            const ack = adapter.acknowledge?.(parsed) ?? OK;
            return sendDirect(reply, ack);
          },
        });
      }
    }
  });
}
