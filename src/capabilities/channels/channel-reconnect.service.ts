import { sql } from 'kysely';
import { withForce, withSystem } from '../../platform/db/database.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { AppError, isUniqueViolation, notFound } from '../../platform/errors.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import type { OutboundGuard } from '../../platform/http/outbound-guard.ts';
import { settingIssue, type AnyChannelAdapter, type ConnectField } from './channel.ts';
import { channelReconnected } from './channel.events.ts';
import { checkedSettings, isStoredStandIn, requireAccountVersion, type ChannelAccount } from './channel-accounts.service.ts';
import { findAdapter } from './registry.ts';
import { openedOrNull, openSettings } from './sealed-settings.ts';

// Connecting one account again (decision 0093): the console fills its form with the account's
// settings that are not credentials, and the new credentials replace the old ones in place, even
// where the account is known by a hash of its secret, so the old secret stops working at once.

/** A setting's value as the connect form shows it; a credential is never one. */
export type ShownSetting = string | number | boolean | string[] | null;

/** The value at a dotted name (`imap.host`), or undefined where the configuration has none. */
function valueAt(config: unknown, name: string): unknown {
  let at: unknown = config;
  for (const key of name.split('.')) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function isShownSetting(value: unknown): value is ShownSetting {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    (Array.isArray(value) && value.every((item) => typeof item === 'string'))
  );
}

/** The setting the account is known by, for this configuration (Meta's depends on its platform). */
function identifyingField(adapter: AnyChannelAdapter, config: unknown): ConnectField | undefined {
  const platform = valueAt(config, 'platform');
  return adapter.connectFields.find((field) => field.identifiesAccount && (!field.platforms || (typeof platform === 'string' && field.platforms.includes(platform))));
}

/**
 * One account of the force, with the settings its connect form fills in: every setting the
 * adapter does not declare a `secret`, as stored. Credentials never leave the server.
 */
export async function readChannelAccountSettings(
  deps: ServiceDeps & { secrets: SecretBox },
  forceId: ForceId,
  accountId: string,
): Promise<{ account: ChannelAccount; settings: Record<string, ShownSetting> }> {
  const row = await withForce(deps.db, forceId, (tx) =>
    tx
      .selectFrom('channel_accounts')
      .select(['id', 'channel', 'label', 'is_enabled', 'config_ciphertext', 'settings_version'])
      .where('force_id', '=', forceId)
      .where('id', '=', accountId)
      .executeTakeFirst(),
  );
  // Row-level security hides other forces' accounts: they are simply not found.
  if (!row) throw notFound('channel account');
  const adapter = findAdapter(row.channel);
  if (!adapter) throw new AppError('conflict', `no adapter for ${row.channel}`);
  // Sealed with a key this process no longer has: refused with a reason; connecting it again with every setting mends it.
  const config = openSettings(deps.secrets, row.config_ciphertext, adapter.configSchema, 'staff');
  const settings: Record<string, ShownSetting> = {};
  for (const field of adapter.connectFields) {
    if (field.kind === 'secret') continue;
    const value = valueAt(config, field.name);
    if (isShownSetting(value)) settings[field.name] = value;
  }
  const isDemoStandIn = isStoredStandIn(deps.secrets, row.channel, row.config_ciphertext);
  return { account: { id: row.id, forceId, channel: row.channel, label: row.label, isEnabled: row.is_enabled, isDemoStandIn, version: row.settings_version }, settings };
}

/**
 * A force admin connects one of the force's accounts again: the settings and credentials given
 * replace the account's, in place, and it is enabled. Where it is known by a secret (an API
 * token, a callback token), the new secret becomes its key and the old one is refused from now
 * on; where it is known by a setting that is not secret (a number, a Page), that setting must
 * stay as it is: another value is another account, connected as a new one. Refused when the
 * account was connected again after `version` was read.
 */
export async function reconnectChannelAccount(
  deps: ServiceDeps & { secrets: SecretBox; outbound?: OutboundGuard },
  forceId: ForceId,
  accountId: string,
  input: { label: string; config: unknown; version?: number | undefined; actor: Actor },
): Promise<ChannelAccount> {
  const found = await withForce(deps.db, forceId, (tx) =>
    tx.selectFrom('channel_accounts').select(['channel']).where('force_id', '=', forceId).where('id', '=', accountId).executeTakeFirst(),
  );
  if (!found) throw notFound('channel account');
  const adapter = findAdapter(found.channel);
  if (!adapter) throw new AppError('conflict', `no adapter for ${found.channel}`);
  const { settings, accountKey, sealed } = await checkedSettings(deps, adapter, input.config);
  const holder = await withSystem(deps.db, (tx) =>
    tx.selectFrom('channel_accounts').select(['id', 'force_id']).where('channel', '=', adapter.name).where('account_key', '=', accountKey).executeTakeFirst(),
  );
  const takenBy = (holderForce: string | null) =>
    holderForce !== null && holderForce !== forceId
      ? new AppError('conflict', 'this provider account is connected to another force', { publicMessage: 'This provider account is already connected elsewhere' })
      : new AppError('conflict', 'another of the force’s accounts is known by these settings', {
          publicMessage: `Another of the force’s ${adapter.label} accounts is known by the ${identifyingField(adapter, settings)?.label ?? 'settings'} you gave. Nothing was changed.`,
        });
  if (holder && holder.id !== accountId) throw takenBy(holder.force_id);

  return withForce(deps.db, forceId, async (tx) => {
    // Locked, so two admins connecting it again at once take turns, and the second is refused by its version.
    const row = await tx
      .selectFrom('channel_accounts')
      .select(['id', 'account_key', 'config_ciphertext', 'settings_version'])
      .where('force_id', '=', forceId)
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('channel account');
    await requireAccountVersion(tx, forceId, accountId, { opened: input.version, current: row.settings_version, actor: input.actor, nothingDone: 'Its credentials were not replaced.' });
    if (accountKey !== row.account_key) refuseAnotherAccount(adapter, openedOrNull(deps.secrets, row.config_ciphertext), settings);
    const updated = await tx
      .updateTable('channel_accounts')
      .set({ account_key: accountKey, config_ciphertext: sealed, label: input.label, is_enabled: true, settings_version: row.settings_version + 1, updated_at: sql<Date>`statement_timestamp()` })
      .where('force_id', '=', forceId)
      .where('id', '=', accountId)
      .returning(['id', 'label', 'is_enabled', 'settings_version'])
      .executeTakeFirstOrThrow()
      .catch((error: unknown) => {
        // Another account took the same key a moment ago.
        if (isUniqueViolation(error)) throw takenBy(null);
        throw error;
      });
    record(tx, forceId, deps.clock, channelReconnected.of({ actor: input.actor, subjectId: accountId, data: { channel: adapter.name, label: input.label } }));
    const isDemoStandIn = adapter.isDemoStandIn?.(settings) === true;
    return { id: updated.id, forceId, channel: adapter.name, label: updated.label, isEnabled: updated.is_enabled, isDemoStandIn, version: updated.settings_version };
  });
}

/**
 * Refuses settings that name another provider account than the stored ones: another number, Page
 * or mailbox, or another kind of Meta account. Only a secret the account is known by may change.
 */
function refuseAnotherAccount(adapter: AnyChannelAdapter, stored: unknown, given: unknown): void {
  const before = stored === null ? undefined : identifyingField(adapter, stored);
  const after = identifyingField(adapter, given);
  // Settings that no longer open name no account: a new secret key is all that can be checked.
  if (after?.kind === 'secret' && (before === undefined || before.name === after.name)) return;
  const issue =
    before && after && before.name !== after.name
      ? settingIssue(adapter, ['platform'], 'must be the kind of account this one is: connect a new account for another kind')
      : settingIssue(adapter, (after ?? before)?.name.split('.') ?? [], 'must be the one this account is known by: connect a new account for another');
  throw new AppError('validation_failed', 'these settings name another provider account', { fields: [issue] });
}
