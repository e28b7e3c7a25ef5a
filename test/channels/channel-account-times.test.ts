import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE, createTestApp, type TestApp } from '../helpers.ts';
import { fixedClock, type Clock } from '../../src/platform/clock.ts';
import { withSystem } from '../../src/platform/db/database.ts';
import { SecretBox } from '../../src/platform/secrets.ts';
import { listAdapters } from '../../src/capabilities/channels/registry.ts';
import { connectChannelAccount, resealChannelAccounts, updateChannelAccount } from '../../src/capabilities/channels/channel-accounts.service.ts';
import { reconnectChannelAccount } from '../../src/capabilities/channels/channel-reconnect.service.ts';

// A channel account's times are the database's clock (decision 0210), as the mailbox health they
// are compared with is (decision 0207): an account connected, changed, connected again or
// re-sealed by a node whose clock runs a day ahead or behind is stored as changed now, not
// tomorrow or yesterday.

const DAY_MS = 86_400_000;
const SYSTEM = { type: 'system', id: null } as const;

describe(`a channel account's stored times on nodes whose clocks disagree (${ENGINE})`, () => {
  let app: TestApp;
  let secrets: SecretBox;
  const dayAhead = (): Clock => fixedClock(new Date(Date.now() + DAY_MS));
  const dayBehind = (): Clock => fixedClock(new Date(Date.now() - DAY_MS));
  const apiChannel = () => {
    const adapter = listAdapters().find((candidate) => candidate.name === 'api');
    if (!adapter) throw new Error('no generic API channel');
    return adapter;
  };

  beforeAll(async () => {
    app = await createTestApp();
    secrets = new SecretBox(app.config.secretsKey);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** How far the account's stored times are from the database's clock now, in milliseconds. */
  const offsets = async (accountId: string) => {
    const row = await withSystem(app.database.db, (tx) =>
      tx
        .selectFrom('channel_accounts')
        .select([
          sql<number>`extract(epoch from statement_timestamp() - created_at)::float8 * 1000`.as('created'),
          sql<number>`extract(epoch from statement_timestamp() - updated_at)::float8 * 1000`.as('updated'),
        ])
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow(),
    );
    return { created: Math.abs(row.created), updated: Math.abs(row.updated) };
  };

  let tokens = 0;
  /** An account of the generic API channel, connected by a node with this clock. */
  const connect = (clock: Clock, label: string) => {
    tokens += 1;
    return connectChannelAccount({ ...app.deps, clock, secrets }, app.demoForceId, apiChannel(), { label, config: { token: `clock-skew-token-${String(tokens).padStart(4, '0')}` }, actor: SYSTEM });
  };

  it('stores-the-database-s-time-when-a-node-a-day-ahead-connects-an-account', async () => {
    const connected = await connect(dayAhead(), 'Partner A');
    const stored = await offsets(connected.id);
    expect(stored.created).toBeLessThan(60_000);
    expect(stored.updated).toBeLessThan(60_000);
  });

  it('stores-the-database-s-time-when-a-node-a-day-behind-connects-the-same-provider-account-again', async () => {
    const connected = await connect(app.deps.clock, 'Partner B');
    const token = `clock-skew-token-${String(tokens).padStart(4, '0')}`;
    await connectChannelAccount({ ...app.deps, clock: dayBehind(), secrets }, app.demoForceId, apiChannel(), { label: 'Partner B again', config: { token }, actor: SYSTEM });
    expect((await offsets(connected.id)).updated).toBeLessThan(60_000);
  });

  it('stores-the-database-s-time-when-a-node-a-day-ahead-renames-an-account', async () => {
    const connected = await connect(app.deps.clock, 'Partner C');
    await updateChannelAccount({ ...app.deps, clock: dayAhead(), secrets }, app.demoForceId, connected.id, { label: 'Partner C renamed', version: connected.version, actor: SYSTEM });
    expect((await offsets(connected.id)).updated).toBeLessThan(60_000);
  });

  it('stores-the-database-s-time-when-a-node-a-day-behind-connects-an-account-again-with-new-credentials', async () => {
    const connected = await connect(app.deps.clock, 'Partner D');
    await reconnectChannelAccount({ ...app.deps, clock: dayBehind(), secrets }, app.demoForceId, connected.id, {
      label: 'Partner D rotated',
      config: { token: 'clock-skew-token-rotated' },
      version: connected.version,
      actor: SYSTEM,
    });
    expect((await offsets(connected.id)).updated).toBeLessThan(60_000);
  });

  // Last: the accounts are sealed under another key from here on.
  it('stores-the-database-s-time-when-a-node-a-day-ahead-reseals-an-account-under-a-new-key', async () => {
    const connected = await connect(app.deps.clock, 'Partner E');
    const rotated = new SecretBox('a-new-key-for-the-clock-skew-test-0210', [app.config.secretsKey]);
    const report = await resealChannelAccounts(app.database.db, dayAhead(), rotated);
    expect(report.resealed).toBeGreaterThan(0);
    expect((await offsets(connected.id)).updated).toBeLessThan(60_000);
  });
});
