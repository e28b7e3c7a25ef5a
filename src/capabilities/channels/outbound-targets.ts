import { AppError, type FieldIssue } from '../../platform/errors.ts';
import { isOutboundRefusal, type OutboundGuard } from '../../platform/http/outbound-guard.ts';
import { ChannelSendError, settingIssue, type AnyChannelAdapter } from './channel.ts';

/**
 * Refuses a channel configuration whose URLs the server must not reach, with each bad setting
 * named (400). A host that does not resolve now is accepted: it is checked again before every
 * send, and DNS may simply not be reachable from where the admin saved it.
 */
export async function assertOutboundTargetsAllowed(guard: OutboundGuard, adapter: AnyChannelAdapter, config: unknown): Promise<void> {
  const fields: FieldIssue[] = [];
  for (const target of adapter.outboundTargets?.(config) ?? []) {
    try {
      await guard.check(target.url);
    } catch (error) {
      if (isOutboundRefusal(error)) fields.push(settingIssue(adapter, target.field.split('.'), error.message));
    }
  }
  if (fields.length > 0) {
    const summary = fields.map((field) => `${field.path} ${field.message}`).join('; ');
    throw new AppError('validation_failed', `refused outbound URL: ${summary}`, { fields });
  }
}

/**
 * Checks a stored configuration's URLs again just before a send (DNS may have changed, or the
 * allow-list shrunk): a refusal fails the send for good, with the setting and the reason. Returns
 * the address approved for each setting, which the send must connect to (a second lookup could
 * answer differently).
 */
export async function checkOutboundTargetsBeforeSend(guard: OutboundGuard, adapter: AnyChannelAdapter, config: unknown): Promise<Map<string, string>> {
  const approved = new Map<string, string>();
  for (const target of adapter.outboundTargets?.(config) ?? []) {
    if (target.isForReceiving) continue;
    try {
      approved.set(target.field, (await guard.check(target.url)).address);
    } catch (error) {
      if (isOutboundRefusal(error)) throw new ChannelSendError(`refused to connect: ${target.field} ${error.message}`, true);
      throw error;
    }
  }
  return approved;
}
