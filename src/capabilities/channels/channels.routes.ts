import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idField, nameField, openedVersionField } from '../../platform/http/request-fields.ts';
import { staffRoute } from '../../platform/http/routes.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { withForce } from '../../platform/db/database.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import type { OutboundGuard } from '../../platform/http/outbound-guard.ts';
import { ChannelPayloadError, type RawInbound } from './channel.ts';
import { connectChannelAccount, listChannelAccounts, loadAccountConfig, updateChannelAccount } from './channel-accounts.service.ts';
import { findAdapter, listAdapters } from './registry.ts';
import { readChannelAccountSettings, reconnectChannelAccount } from './channel-reconnect.service.ts';
import { channelAccountSettingsView, channelAccountView, mailboxHealthView, channelKindView, inboundRequestView, replayResult } from './channels.schema.ts';
import { ingestChannelRequest } from './inbound-requests.service.ts';
import { readMailboxHealth } from './mailbox-health.service.ts';
import { storedLast } from '../../platform/db/stored-order.ts';

/** What a force admin sees of channels: connected accounts, the raw request log, and replay. */
export function registerChannelAdminRoutes(app: FastifyInstance, deps: ServiceDeps & { secrets: SecretBox; outbound?: OutboundGuard }): void {
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/channels',
    permission: 'channels:manage',
    audit: 'channel.list',
    summary: "The force's connected channel accounts (credentials are never returned)",
    tags: ['channels'],
    response: { 200: z.object({ accounts: z.array(channelAccountView) }) },
    handler: async ({ staff }) => ({ accounts: await listChannelAccounts(deps, staff.forceId) }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/channels/kinds',
    permission: 'channels:manage',
    audit: 'channel.kinds.list',
    summary: 'The channels a force can connect an account of, each with its connect form (no account’s values)',
    tags: ['channels'],
    response: { 200: z.object({ channels: z.array(channelKindView) }) },
    handler: async () => ({
      channels: listAdapters().map((adapter) => ({
        channel: adapter.name,
        label: adapter.label,
        providerName: adapter.providerName ?? null,
        fields: adapter.connectFields.map((field) => ({
          name: field.name,
          label: field.label,
          hint: field.hint,
          kind: field.kind,
          isOptional: field.isOptional,
          default: field.default ?? null,
          options: field.options ?? null,
          platforms: field.platforms ?? null,
          identifiesAccount: field.identifiesAccount === true,
        })),
      })),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/channels',
    permission: 'channels:manage',
    audit: 'channel.connect',
    summary: 'Connect (or reconnect) a provider account; credentials are validated, sealed, never returned',
    tags: ['channels'],
    body: z.strictObject({
      channel: z.string().trim().min(1).max(40),
      label: nameField('enter a name'),
      config: z.record(z.string(), z.unknown()),
    }),
    bodyLimit: 64 * 1024,
    response: { 201: z.object({ account: channelAccountView }) },
    handler: async ({ staff, body, reply }) => {
      const adapter = findAdapter(body.channel);
      if (!adapter) throw new AppError('validation_failed', `unknown channel ${body.channel}`, { fields: [{ path: 'body.channel', message: 'is not a channel' }] });
      const account = await connectChannelAccount(deps, staff.forceId, adapter, {
        label: body.label,
        config: body.config,
        actor: { type: 'staff', id: staff.staffId },
      });
      return reply.status(201).send({ account });
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/channels/:id',
    permission: 'channels:manage',
    audit: 'channel.update',
    summary: 'Rename a channel account, or disable and enable it, from the version read (credentials are changed by connecting again)',
    tags: ['channels'],
    params: z.object({ id: idField('must be a channel account id') }),
    body: z
      .strictObject({
        label: nameField('enter a name').optional(),
        isEnabled: z.boolean().optional(),
        version: openedVersionField('account’s'),
      })
      .refine((b) => b.label !== undefined || b.isEnabled !== undefined, 'give a label or isEnabled'),
    response: { 200: z.object({ account: channelAccountView }) },
    handler: async ({ staff, params, body }) => ({
      account: await updateChannelAccount(deps, staff.forceId, params.id, { ...body, actor: { type: 'staff', id: staff.staffId } }),
    }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/channels/:id/settings',
    permission: 'channels:manage',
    audit: 'channel.settings.read',
    summary: 'A channel account with the settings that are not credentials, to fill in its connect form when it is connected again',
    tags: ['channels'],
    params: z.object({ id: idField('must be a channel account id') }),
    response: { 200: channelAccountSettingsView },
    handler: async ({ staff, params }) => readChannelAccountSettings(deps, staff.forceId, params.id),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/channels/:id/mailbox',
    permission: 'channels:manage',
    audit: 'channel.mailbox.read',
    summary: 'The health of the mailbox an email account reads: its last successful poll, and since when and why polling it fails (decision 0175), or why no mailbox is polled (decision 0181)',
    tags: ['channels'],
    params: z.object({ id: idField('must be a channel account id') }),
    response: { 200: mailboxHealthView },
    handler: async ({ staff, params }) => {
      const { mailbox: health, notPolled } = await readMailboxHealth(deps, staff.forceId, params.id);
      return {
        notPolled,
        mailbox: health && {
          lastSuccessAt: health.lastSuccessAt?.toISOString() ?? null,
          failingSince: health.failingSince?.toISOString() ?? null,
          failure: health.failure,
          isRestartNeeded: health.isRestartNeeded,
          updatedAt: health.updatedAt.toISOString(),
          isFromBeforeUpgrade: health.isFromBeforeUpgrade,
        },
      };
    },
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/channels/:id/reconnect',
    permission: 'channels:manage',
    audit: 'channel.reconnect',
    summary: 'Connect an account again: new settings and credentials replace its own in place, and the old credentials stop working at once',
    tags: ['channels'],
    params: z.object({ id: idField('must be a channel account id') }),
    body: z.strictObject({
      label: nameField('enter a name'),
      config: z.record(z.string(), z.unknown()),
      version: z.number().int().min(1).optional().describe('the account’s version its settings were read at: refused with a 409 once it has been connected again since'),
    }),
    bodyLimit: 64 * 1024,
    response: { 200: z.object({ account: channelAccountView }) },
    handler: async ({ staff, params, body }) => ({
      account: await reconnectChannelAccount(deps, staff.forceId, params.id, { ...body, actor: { type: 'staff', id: staff.staffId } }),
    }),
  });
  staffRoute(app, deps, {
    method: 'GET',
    url: '/api/channels/inbound',
    permission: 'channels:manage',
    audit: 'channel.inbound.list',
    summary: 'Recent raw inbound requests (rejected ones wait here for a fix and a replay)',
    tags: ['channels'],
    query: z.object({ status: z.enum(['processed', 'rejected', 'replayed']).default('rejected') }),
    response: { 200: z.object({ requests: z.array(inboundRequestView) }) },
    handler: async ({ staff, query }) => ({
      requests: (
        await withForce(deps.db, staff.forceId, (tx) =>
          tx
            .selectFrom('inbound_requests')
            .select(['id', 'channel', 'received_at', 'status', 'error', 'message_count'])
            .where('force_id', '=', staff.forceId)
            .where('status', '=', query.status)
            // A provider's batch, or two requests in one microsecond, share their time; a replay
            // rewrites a row apart from the others. The newest stored first (decision 0169).
            .orderBy('received_at', 'desc')
            .orderBy('seq', storedLast)
            .orderBy('id', 'desc')
            .limit(200)
            .execute(),
        )
      ).map((row) => ({
        id: row.id,
        channel: row.channel,
        receivedAt: row.received_at.toISOString(),
        status: row.status,
        error: row.error,
        messageCount: row.message_count,
      })),
    }),
  });
  staffRoute(app, deps, {
    method: 'POST',
    url: '/api/channels/inbound/:id/replay',
    permission: 'channels:manage',
    audit: 'channel.inbound.replay',
    summary: 'Parse a stored raw request again (after a parser fix) and ingest what it holds',
    tags: ['channels'],
    params: z.object({ id: idField('must be a request id') }),
    response: { 200: replayResult },
    handler: async ({ staff, params }) => {
      const stored = await withForce(deps.db, staff.forceId, async (tx) => {
        const row = await tx.selectFrom('inbound_requests').selectAll().where('force_id', '=', staff.forceId).where('id', '=', params.id).executeTakeFirst();
        if (!row) throw notFound('inbound request');
        if (!row.channel_account_id) throw new AppError('conflict', 'this request has no channel account');
        return { row, config: await loadAccountConfig(tx, staff.forceId, deps.secrets, row.channel_account_id, 'staff') };
      });
      const adapter = findAdapter(stored.row.channel);
      if (!adapter) throw new AppError('conflict', `no adapter for ${stored.row.channel}`);
      const request: RawInbound = {
        method: stored.row.method,
        url: stored.row.url,
        path: new URL(stored.row.url).pathname,
        query: Object.fromEntries(new URL(stored.row.url).searchParams),
        headers: stored.row.headers as Record<string, string>,
        rawBody: Buffer.from(stored.row.raw_body),
        receivedAt: stored.row.received_at,
      };
      let parsed;
      try {
        parsed = await adapter.parse(request, stored.config);
      } catch (error) {
        if (error instanceof ChannelPayloadError) throw new AppError('conflict', `still does not parse: ${error.message}`);
        throw error;
      }
      const result = await ingestChannelRequest(deps, staff.forceId, {
        channel: adapter.name,
        channelAccountId: stored.row.channel_account_id ?? '',
        request,
        parsed,
        replay: { requestId: stored.row.id, staffId: staff.staffId },
      });
      return { stored: result.results.filter((r) => !r.isDuplicate).length, duplicates: result.results.filter((r) => r.isDuplicate).length };
    },
  });
}
