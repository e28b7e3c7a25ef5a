import { sql } from 'kysely';
import { z } from 'zod';
import { withForce, withSystem, type Db, type Tx } from '../../platform/db/database.ts';
import { isStorableText } from '../../platform/db/storable-text.ts';
import type { ServiceDeps } from '../../platform/deps.ts';
import { newId, type ForceId } from '../../platform/ids.ts';
import type { Actor } from '../../platform/events/event-log.ts';
import { record } from '../../platform/events/recorder.ts';
import { channelAccountUpdated, channelConnected, channelCredentialsResealed, channelReconnected } from './channel.events.ts';
import { findLastChange, requireOpenedVersion } from '../../platform/events/changed-since-opened.ts';
import { AppError, isRowSecurityRefusal, notFound } from '../../platform/errors.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { settingIssue, type AnyChannelAdapter } from './channel.ts';
import type { OutboundGuard } from '../../platform/http/outbound-guard.ts';
import { assertOutboundTargetsAllowed } from './outbound-targets.ts';
import { findAdapter } from './registry.ts';
import { openedOrNull, openSettings, type SettingsReader } from './sealed-settings.ts';

/**
 * A connected account; `isDemoStandIn`: it holds the demo's published credentials, so it sends
 * nothing (decision 0057); `version`: how many times its settings and credentials were given, it was renamed, or switched off or on.
 */
export type ChannelAccount = { id: string; forceId: ForceId; channel: string; label: string; isEnabled: boolean; isDemoStandIn: boolean; version: number };

/** Whether a stored configuration is the demo's stand-in; one that no longer opens is not (it sends nothing either). */
export function isStoredStandIn(secrets: SecretBox, channel: string, sealed: string): boolean {
  const adapter = findAdapter(channel);
  if (!adapter?.isDemoStandIn) return false;
  const config = openedOrNull(secrets, sealed, adapter.configSchema);
  return config !== null && adapter.isDemoStandIn(config);
}

/**
 * Settings an admin gave for an account of `adapter`, checked: refused by field when the adapter's
 * schema refuses them, and refused now (not at the first send) when an address in them may not be
 * reached. Returns them parsed, the key the account is found by, and sealed for storing.
 */
export async function checkedSettings(deps: { secrets: SecretBox; outbound?: OutboundGuard }, adapter: AnyChannelAdapter, config: unknown) {
  const parsed = adapter.configSchema.safeParse(config);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => settingIssue(adapter, issue.path, issue.message));
    throw new AppError('validation_failed', 'invalid channel configuration', { fields });
  }
  if (deps.outbound) await assertOutboundTargetsAllowed(deps.outbound, adapter, parsed.data);
  return { settings: parsed.data as unknown, accountKey: adapter.accountKeyOf(parsed.data), sealed: deps.secrets.seal(JSON.stringify(parsed.data)) };
}

/**
 * Refuses a change made from an older version of the account than `current` with the standard
 * "changed since you opened it" 409, naming who changed it last; `nothingDone` says what was kept.
 */
export function requireAccountVersion(tx: Tx, forceId: ForceId, accountId: string, check: { opened: number | undefined; current: number; actor: Actor; nothingDone: string }) {
  return requireOpenedVersion({
    opened: check.opened,
    current: check.current,
    what: 'This channel account',
    since: 'after you opened it',
    nothingDone: check.nothingDone,
    checkWhat: 'the account',
    actorStaffId: check.actor.id ?? '',
    readLastChange: () => findLastChange(tx, forceId, { type: 'channel_account', id: accountId, eventTypes: ACCOUNT_CHANGES }),
  });
}

/**
 * Connects (or reconnects) a provider account to a force. The configuration, credentials
 * included, is validated by the adapter and stored sealed; the event records only what changed.
 */
export async function connectChannelAccount(
  deps: ServiceDeps & { secrets: SecretBox; outbound?: OutboundGuard },
  forceId: ForceId,
  adapter: AnyChannelAdapter,
  input: { label: string; config: unknown; actor: Actor },
): Promise<ChannelAccount> {
  const { settings, accountKey, sealed } = await checkedSettings(deps, adapter, input.config);
  const owner = await withSystem(deps.db, (tx) =>
    tx.selectFrom('channel_accounts').select(['force_id']).where('channel', '=', adapter.name).where('account_key', '=', accountKey).executeTakeFirst(),
  );
  const connectedElsewhere = () =>
    new AppError('conflict', 'this provider account is connected to another force', {
      publicMessage: 'This provider account is already connected elsewhere',
    });
  if (owner && owner.force_id !== forceId) throw connectedElsewhere();
  return withForce(deps.db, forceId, async (tx) => {
    // The database's clock, as the mailbox health compared with it (decisions 0207, 0210): one instant for the row's times.
    const now = sql<Date>`statement_timestamp()`;
    // Another force may connect the same account between the check above and this write: its row
    // is then the one this write meets. Row-level security refuses to change it (and the `where`
    // would leave it as it is were that ever off): the account is connected elsewhere.
    const row = await tx
      .insertInto('channel_accounts')
      .values({
        id: newId(),
        force_id: forceId,
        channel: adapter.name,
        account_key: accountKey,
        label: input.label,
        config_ciphertext: sealed,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc
          .columns(['channel', 'account_key'])
          .doUpdateSet({ label: input.label, config_ciphertext: sealed, updated_at: now, is_enabled: true, settings_version: sql<number>`channel_accounts.settings_version + 1` })
          .where('channel_accounts.force_id', '=', forceId),
      )
      .returning(['id', 'label', 'is_enabled', 'settings_version'])
      .executeTakeFirst()
      .catch((error: unknown) => {
        if (isRowSecurityRefusal(error)) throw connectedElsewhere();
        throw error;
      });
    if (!row) throw connectedElsewhere();
    record(tx, forceId, deps.clock, channelConnected.of({ actor: input.actor, subjectId: row.id, data: { channel: adapter.name, label: input.label } }));
    const isDemoStandIn = adapter.isDemoStandIn?.(settings) === true;
    return { id: row.id, forceId, channel: adapter.name, label: row.label, isEnabled: row.is_enabled, isDemoStandIn, version: row.settings_version };
  });
}

/**
 * The account a webhook request claims to be for, across forces (the request names the provider
 * account, not the force). Only the webhook entry point uses this; the request is then verified
 * with that account's secret before anything is stored.
 */
export async function findAccountForWebhook(
  db: Db,
  channel: string,
  accountKey: string,
): Promise<{ id: string; forceId: ForceId; sealedConfig: string; isEnabled: boolean } | null> {
  // The key comes from the request (a query value, a form field); one PostgreSQL cannot store (a
  // NUL) is no account's key, and asking the database about it would fail the request with a 500.
  if (!isStorableText(accountKey)) return null;
  const row = await withSystem(db, (tx) =>
    tx
      .selectFrom('channel_accounts')
      .select(['id', 'force_id', 'config_ciphertext', 'is_enabled'])
      .where('channel', '=', channel)
      .where('account_key', '=', accountKey)
      .executeTakeFirst(),
  );
  return row ? { id: row.id, forceId: row.force_id as ForceId, sealedConfig: row.config_ciphertext, isEnabled: row.is_enabled } : null;
}

/**
 * The accounts a batched webhook request names, across forces, found in one query: the request is
 * not yet verified, so what it costs must not grow with the number of names it holds.
 */
export async function findAccountsForWebhook(
  db: Db,
  channel: string,
  accountKeys: readonly string[],
): Promise<Map<string, { id: string; forceId: ForceId; sealedConfig: string; isEnabled: boolean }>> {
  const keys = accountKeys.filter(isStorableText);
  if (keys.length === 0) return new Map();
  const rows = await withSystem(db, (tx) =>
    tx
      .selectFrom('channel_accounts')
      .select(['id', 'force_id', 'config_ciphertext', 'is_enabled', 'account_key'])
      .where('channel', '=', channel)
      .where('account_key', 'in', keys)
      .execute(),
  );
  return new Map(rows.map((row) => [row.account_key, { id: row.id, forceId: row.force_id as ForceId, sealedConfig: row.config_ciphertext, isEnabled: row.is_enabled }]));
}

/**
 * The configuration of one of the force's accounts, opened and checked against its adapter's
 * schema; refused with a reason (for `reader`) when it does not open or no longer validates.
 */
export async function loadAccountConfig(tx: Tx, forceId: ForceId, secrets: SecretBox, accountId: string, reader: SettingsReader = 'provider'): Promise<unknown> {
  const row = await tx
    .selectFrom('channel_accounts')
    .select(['channel', 'config_ciphertext'])
    .where('force_id', '=', forceId)
    .where('id', '=', accountId)
    .executeTakeFirst();
  if (!row) throw new Error(`channel account ${accountId} not found`);
  const schema: z.ZodType = findAdapter(row.channel)?.configSchema ?? z.unknown();
  return openSettings(secrets, row.config_ciphertext, schema, reader);
}

/** The force's connected accounts, without their configuration. */
export async function listChannelAccounts(deps: ServiceDeps & { secrets: SecretBox }, forceId: ForceId): Promise<ChannelAccount[]> {
  return withForce(deps.db, forceId, async (tx) => {
    const rows = await tx
      .selectFrom('channel_accounts')
      .select(['id', 'channel', 'label', 'is_enabled', 'config_ciphertext', 'settings_version'])
      .where('force_id', '=', forceId)
      .orderBy('channel')
      .orderBy('label')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      forceId,
      channel: row.channel,
      label: row.label,
      isEnabled: row.is_enabled,
      isDemoStandIn: isStoredStandIn(deps.secrets, row.channel, row.config_ciphertext),
      version: row.settings_version,
    }));
  });
}

/**
 * A force admin renames an account or turns it off and on, from the version the account was read
 * at (decision 0093): refused with the "changed since you opened it" 409 when it has been renamed,
 * switched or connected again since; every change counts one version. A disabled account's
 * webhooks are refused (its requests are not stored); its credentials stay sealed as they were.
 */
export async function updateChannelAccount(
  deps: ServiceDeps & { secrets: SecretBox },
  forceId: ForceId,
  accountId: string,
  input: { label?: string | undefined; isEnabled?: boolean | undefined; version?: number | undefined; actor: Actor },
): Promise<ChannelAccount> {
  return withForce(deps.db, forceId, async (tx) => {
    // Locked, so two admins changing it at once take turns, and the second is refused by its version.
    const current = await tx
      .selectFrom('channel_accounts')
      .select(['settings_version'])
      .where('force_id', '=', forceId)
      .where('id', '=', accountId)
      .forUpdate()
      .executeTakeFirst();
    // Row-level security hides other forces' accounts: they are simply not found.
    if (!current) throw notFound('channel account');
    await requireAccountVersion(tx, forceId, accountId, { opened: input.version, current: current.settings_version, actor: input.actor, nothingDone: 'Nothing was changed.' });
    const row = await tx
      .updateTable('channel_accounts')
      .set({
        ...(input.label !== undefined ? { label: input.label } : {}),
        ...(input.isEnabled !== undefined ? { is_enabled: input.isEnabled } : {}),
        settings_version: current.settings_version + 1,
        updated_at: sql<Date>`statement_timestamp()`,
      })
      .where('force_id', '=', forceId)
      .where('id', '=', accountId)
      .returning(['id', 'channel', 'label', 'is_enabled', 'config_ciphertext', 'settings_version'])
      .executeTakeFirstOrThrow();
    const data = { ...(input.label !== undefined ? { label: input.label } : {}), ...(input.isEnabled !== undefined ? { isEnabled: input.isEnabled } : {}) };
    record(tx, forceId, deps.clock, channelAccountUpdated.of({ actor: input.actor, subjectId: row.id, data }));
    const isDemoStandIn = isStoredStandIn(deps.secrets, row.channel, row.config_ciphertext);
    return { id: row.id, forceId, channel: row.channel, label: row.label, isEnabled: row.is_enabled, isDemoStandIn, version: row.settings_version };
  });
}

/** The events that count a version of an account: what the "changed since" refusal names as its last change. */
export const ACCOUNT_CHANGES = [channelConnected.type, channelReconnected.type, channelAccountUpdated.type];

/** What a re-sealing pass did, for `bluelamp secrets rotate`. Never holds a secret. */
export type ResealReport = {
  resealed: number;
  alreadyCurrent: number;
  unreadable: { forceId: string; accountId: string; channel: string; reason: string }[];
};

/**
 * Re-seals every channel account's credentials with the current key, force by force, each in one
 * transaction: values sealed with a previous key (or with no key id) are opened and sealed again,
 * values already under the current key are left alone, so running it twice changes nothing.
 * A value no configured key opens is reported and left as it is. Each force's log records how
 * many of its accounts were re-sealed and under which key id.
 */
export async function resealChannelAccounts(db: Db, clock: ServiceDeps['clock'], secrets: SecretBox): Promise<ResealReport> {
  const report: ResealReport = { resealed: 0, alreadyCurrent: 0, unreadable: [] };
  const forces = await withSystem(db, (tx) => tx.selectFrom('forces').select('id').orderBy('id').execute());
  for (const force of forces) {
    const forceId = force.id as ForceId;
    await withForce(db, forceId, async (tx) => {
      const rows = await tx
        .selectFrom('channel_accounts')
        .select(['id', 'channel', 'config_ciphertext'])
        .where('force_id', '=', forceId)
        .orderBy('id')
        .forUpdate()
        .execute();
      let resealed = 0;
      for (const row of rows) {
        if (secrets.isSealedWithCurrentKey(row.config_ciphertext)) {
          report.alreadyCurrent += 1;
          continue;
        }
        let plaintext: string;
        try {
          plaintext = secrets.open(row.config_ciphertext);
        } catch (error) {
          report.unreadable.push({ forceId, accountId: row.id, channel: row.channel, reason: error instanceof Error ? error.message : 'unreadable' });
          continue;
        }
        await tx
          .updateTable('channel_accounts')
          .set({ config_ciphertext: secrets.seal(plaintext), updated_at: sql<Date>`statement_timestamp()` })
          .where('force_id', '=', forceId)
          .where('id', '=', row.id)
          .execute();
        resealed += 1;
      }
      if (resealed > 0) {
        record(
          tx,
          forceId,
          clock,
          channelCredentialsResealed.of({ actor: { type: 'system', id: null }, subjectId: forceId, data: { accounts: resealed, keyId: secrets.currentKeyId } }),
        );
      }
      report.resealed += resealed;
    });
  }
  return report;
}
