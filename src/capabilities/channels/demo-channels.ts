import type { ServiceDeps } from '../../platform/deps.ts';
import type { ForceId } from '../../platform/ids.ts';
import type { SecretBox } from '../../platform/secrets.ts';
import { connectChannelAccount, listChannelAccounts } from './channel-accounts.service.ts';
import { WEBHOOKS } from './registry.ts';

/** Connects every channel to the demo force with its fixed, documented demo values, once. */
export async function seedDemoChannels(deps: ServiceDeps & { secrets: SecretBox }, forceId: ForceId): Promise<void> {
  const connected = new Set((await listChannelAccounts(deps, forceId)).map((account) => account.channel));
  for (const { adapter } of WEBHOOKS) {
    if (adapter.demoConfig === undefined || connected.has(adapter.name)) continue;
    await connectChannelAccount(deps, forceId, adapter, {
      label: `Demo ${adapter.label}`,
      config: adapter.demoConfig,
      actor: { type: 'system', id: null },
    });
  }
}
