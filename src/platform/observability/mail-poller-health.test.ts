import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../clock.ts';
import { MailPollerHealth, registerMailPollerMetrics } from './mail-poller-health.ts';

describe('mail poller health', () => {
  it('forgets-a-mailbox-no-longer-polled-so-a-disabled-one-does-not-alarm', async () => {
    const clock = fixedClock(new Date('2026-03-01T08:00:00Z'));
    const health = new MailPollerHealth(clock);
    const registry = new Registry();
    registerMailPollerMetrics(registry, health);
    health.watch([{ channelAccountId: 'a', mailboxKey: 'ka' }, { channelAccountId: 'b', mailboxKey: 'kb' }]);
    health.recordFailure('a', 'auth', false);
    clock.advance(30_000);
    health.recordFailure('b', 'connect', true);
    expect(health.summary()).toEqual({ mailboxes: 2, failing: 2, restartNeeded: true, failingSince: '2026-03-01T08:00:00.000Z' });
    clock.advance(90_000);
    expect(await registry.getSingleMetricAsString('bluelamp_imap_last_success_age_seconds')).toContain('channel_account_id="a"} 120');

    health.watch([{ channelAccountId: 'a', mailboxKey: 'ka' }]);
    expect(health.summary()).toEqual({ mailboxes: 1, failing: 1, restartNeeded: false, failingSince: '2026-03-01T08:00:00.000Z' });
    const failing = await registry.getSingleMetricAsString('bluelamp_imap_failing');
    expect(failing).toContain('channel_account_id="a",reason="auth"} 1');
    expect(failing).not.toContain('"b"');
    // Failed polls already counted stay counted: a counter never goes down.
    expect(await registry.getSingleMetricAsString('bluelamp_imap_poll_failures_total')).toContain('reason="connect"} 1');
  });
});
