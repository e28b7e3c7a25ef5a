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

  it('counts-a-mailbox-s-age-from-the-freshest-poll-of-that-mailbox-by-any-worker-and-from-its-own-when-the-database-does-not-answer', async () => {
    const clock = fixedClock(new Date('2026-03-01T08:00:00Z'));
    const health = new MailPollerHealth(clock);
    let stored: ReadonlyMap<string, { mailboxKey: string | null; lastSuccessAgeSeconds: number | null }> | null = null;
    const registry = new Registry();
    registerMailPollerMetrics(registry, health, () => Promise.resolve(stored));
    const age = async () => /channel_account_id="a"} (\d+)/.exec(await registry.getSingleMetricAsString('bluelamp_imap_last_success_age_seconds'))?.[1];
    health.watch([{ channelAccountId: 'a', mailboxKey: 'ka' }]);
    health.recordSuccess('a');
    clock.advance(600_000);

    // Another worker polled the same mailbox a minute ago: its poll is the freshest.
    stored = new Map([['a', { mailboxKey: 'ka', lastSuccessAgeSeconds: 60 }]]);
    expect(await age()).toBe('60');
    // A stored poll older than this process's own does not make the mailbox look staler.
    stored = new Map([['a', { mailboxKey: 'ka', lastSuccessAgeSeconds: 4200 }]]);
    expect(await age()).toBe('600');
    // A stored poll of the mailbox the settings named before is not this mailbox's.
    stored = new Map([['a', { mailboxKey: 'k-old', lastSuccessAgeSeconds: 1 }]]);
    expect(await age()).toBe('600');
    // The database did not answer in time: this process's own figure.
    stored = null;
    expect(await age()).toBe('600');
    // A success stamped before decision 0207 by a node whose clock ran ahead is in the database's
    // future: it says nothing about when the mailbox was last read, so it cannot make it look fresh.
    stored = new Map([['a', { mailboxKey: 'ka', lastSuccessAgeSeconds: -86_000 }]]);
    expect(await age()).toBe('600');
  });

  it('starts-an-account-afresh-when-its-settings-name-another-mailbox', async () => {
    const clock = fixedClock(new Date('2026-03-01T08:00:00Z'));
    const health = new MailPollerHealth(clock);
    const registry = new Registry();
    registerMailPollerMetrics(registry, health);
    health.watch([{ channelAccountId: 'a', mailboxKey: 'ka' }]);
    health.recordSuccess('a');
    clock.advance(60_000);
    health.recordFailure('a', 'auth', false);
    clock.advance(60_000);

    // The same mailbox again: nothing is forgotten.
    health.watch([{ channelAccountId: 'a', mailboxKey: 'ka' }]);
    expect(health.mailboxes()[0]).toMatchObject({ consecutiveFailures: 1, lastSuccessAt: new Date('2026-03-01T08:00:00Z') });

    // Another mailbox: the old one's success and failures are not its own; its age counts from now.
    health.watch([{ channelAccountId: 'a', mailboxKey: 'kb' }]);
    expect(health.mailboxes()[0]).toMatchObject({ mailboxKey: 'kb', consecutiveFailures: 0, lastSuccessAt: null, failingSince: null, watchedSince: new Date('2026-03-01T08:02:00Z') });
    expect(health.summary()).toEqual({ mailboxes: 1, failing: 0, restartNeeded: false });
    clock.advance(30_000);
    expect(await registry.getSingleMetricAsString('bluelamp_imap_last_success_age_seconds')).toContain('channel_account_id="a"} 30');
  });
});
