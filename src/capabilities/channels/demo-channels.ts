import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { connectChannelAccount, listChannelAccounts } from './channel-accounts.service.ts';
import { listAdapters } from './registry.ts';

/** Connects every channel to the demo force with its fixed, documented demo values, once. */
export async function seedDemoChannels(deps: ServiceDeps & { secrets: SecretBox }, forceId: ForceId): Promise<void> {
  const connected = new Set((await listChannelAccounts(deps, forceId)).map((account) => `${account.channel}:${account.label}`));
  for (const adapter of listAdapters()) {
    for (const account of adapter.demoAccounts ?? []) {
      if (connected.has(`${adapter.name}:${account.label}`)) continue;
      await connectChannelAccount(deps, forceId, adapter, { label: account.label, config: account.config, actor: { type: 'system', id: null } });
    }
  }
}
