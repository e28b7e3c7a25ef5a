import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { StoredMailPoll, StoredMailPollsReader } from './stored-mail-polls.ts';

/**
 * Why a poll of a mailbox failed, in words that carry nothing of the server's answer (which may
 * echo a user name or worse): `connect` (the host, the network, TLS, the greeting), `auth` (the
 * server refused the login), `fetch` (a command on the mailbox, or the poll's deadline), `store`
 * (the database would not take a mail), `module_not_loaded` (the IMAP client or the mail parser
 * would not load, decision 0148: the mail stays unseen).
 */
export type MailPollFailure = 'connect' | 'auth' | 'fetch' | 'store' | 'module_not_loaded';

const FAILURES: readonly MailPollFailure[] = ['connect', 'auth', 'fetch', 'store', 'module_not_loaded'];

/** One mailbox's poller as this process sees it; times come from the board's clock. */
export type MailPollerState = {
  channelAccountId: string;
  /** Which mailbox the account's settings name (an opaque digest): a stored poll of another mailbox is not this one's. */
  mailboxKey: string;
  /** When this process began polling it: the age of its last success counts from here until it has one. */
  watchedSince: Date;
  lastSuccessAt: Date | null;
  consecutiveFailures: number;
  lastFailure: MailPollFailure | null;
  /** The first of the current run of failures; null while the last poll succeeded. */
  failingSince: Date | null;
  /** The last failure was a library Node keeps failing to load: only a restart clears it. */
  isRestartNeeded: boolean;
};

/** What `/readyz` may tell anyone: counts, never a force or a mailbox (decision 0153). */
export type MailPollersSummary = { mailboxes: number; failing: number; restartNeeded: boolean; failingSince?: string };

/**
 * The health of this process's mailbox pollers (decision 0153), kept in memory: the poller records
 * each poll's outcome here, `/readyz` reads a summary and `/metrics` the state of each mailbox.
 */
export class MailPollerHealth {
  private readonly states = new Map<string, MailPollerState>();
  private readonly failureCounts = new Map<MailPollFailure, number>();
  private pollers = 0;

  constructor(private readonly clock: Clock) {}

  /** A poller polls with this board until the function it returns is called (its close). */
  attach(): () => void {
    this.pollers += 1;
    let isAttached = true;
    return () => {
      if (isAttached) this.pollers -= 1;
      isAttached = false;
    };
  }

  /** Whether a poller runs in this process: without one, readiness says nothing of mailboxes. */
  get isPolling(): boolean {
    return this.pollers > 0;
  }

  /**
   * The mailboxes to poll now: new ones are watched from now, those gone (disabled, removed) are
   * forgotten, and an account whose settings now name another mailbox starts afresh (the old
   * mailbox's successes and failures are not the new one's, decisions 0181 and 0197).
   */
  watch(mailboxes: readonly { channelAccountId: string; mailboxKey: string }[]): void {
    const wanted = new Map(mailboxes.map((mailbox) => [mailbox.channelAccountId, mailbox.mailboxKey]));
    for (const id of this.states.keys()) if (!wanted.has(id)) this.states.delete(id);
    for (const [id, mailboxKey] of wanted) {
      if (this.states.get(id)?.mailboxKey !== mailboxKey) this.states.set(id, { ...this.fresh(id), mailboxKey });
    }
  }

  /** Records a poll that ended well: the run of failures ends. */
  recordSuccess(channelAccountId: string): void {
    const state = this.stateOf(channelAccountId);
    Object.assign(state, { lastSuccessAt: this.clock.now(), consecutiveFailures: 0, failingSince: null, isRestartNeeded: false });
  }

  /** Records a failed poll and why; the failures counter counts it. */
  recordFailure(channelAccountId: string, failure: MailPollFailure, isRestartNeeded: boolean): void {
    const state = this.stateOf(channelAccountId);
    state.consecutiveFailures += 1;
    state.lastFailure = failure;
    state.failingSince ??= this.clock.now();
    state.isRestartNeeded = isRestartNeeded;
    this.failureCounts.set(failure, (this.failureCounts.get(failure) ?? 0) + 1);
  }

  /** Each mailbox's state, copies. */
  mailboxes(): MailPollerState[] {
    return [...this.states.values()].map((state) => ({ ...state }));
  }

  /** Failed polls so far, by why. */
  failureTotals(): ReadonlyMap<MailPollFailure, number> {
    return new Map(this.failureCounts);
  }

  /**
   * Seconds since a mailbox's last success, this process's or the one `stored` by any worker if it
   * is of the same mailbox and younger (decision 0197); since it was first watched, if neither has
   * one. Each age is read on the one clock that wrote its time (decision 0207): this process's own
   * on its clock, the stored one on the database's, so no skew between the two shifts either. A
   * stored time in the database's future (stamped before 0207 by a node whose clock ran ahead, and
   * kept by failed polls since) is no evidence of a recent poll and is left out.
   */
  lastSuccessAgeSeconds(state: MailPollerState, stored?: StoredMailPoll): number {
    const now = this.clock.now().getTime();
    const ownAge = state.lastSuccessAt ? (now - state.lastSuccessAt.getTime()) / 1000 : null;
    const storedAge = stored?.mailboxKey === state.mailboxKey && (stored.lastSuccessAgeSeconds ?? -1) >= 0 ? stored.lastSuccessAgeSeconds : null;
    const ages = [ownAge, storedAge].filter((age): age is number => age !== null);
    const age = ages.length > 0 ? Math.min(...ages) : (now - state.watchedSince.getTime()) / 1000;
    return Math.max(0, age);
  }

  /** Counts for `/readyz`: how many mailboxes, how many failing, whether any needs a restart. */
  summary(): MailPollersSummary {
    const failing = [...this.states.values()].filter((state) => state.consecutiveFailures > 0);
    const since = failing.map((state) => state.failingSince?.getTime() ?? Number.POSITIVE_INFINITY);
    const earliest = Math.min(...since);
    return {
      mailboxes: this.states.size,
      failing: failing.length,
      restartNeeded: failing.some((state) => state.isRestartNeeded),
      ...(Number.isFinite(earliest) ? { failingSince: new Date(earliest).toISOString() } : {}),
    };
  }

  private fresh(channelAccountId: string): MailPollerState {
    return { channelAccountId, mailboxKey: '', watchedSince: this.clock.now(), lastSuccessAt: null, consecutiveFailures: 0, lastFailure: null, failingSince: null, isRestartNeeded: false };
  }

  private stateOf(channelAccountId: string): MailPollerState {
    let state = this.states.get(channelAccountId);
    if (!state) {
      state = this.fresh(channelAccountId);
      this.states.set(channelAccountId, state);
    }
    return state;
  }
}

/**
 * The pollers' metrics (decision 0153). Mailboxes are labelled by their channel account id, an
 * opaque id as `force_id` is on the checkpoint gauge: never a force's name, an address or a host.
 * The age of the last success counts from the freshest by any worker when `readStored` reads the
 * stored polls (decision 0197); without it, or while the database does not answer, from this process's.
 */
export function registerMailPollerMetrics(registry: Registry, health: MailPollerHealth, readStored?: StoredMailPollsReader): void {
  const registers = [registry];
  const counted = new Map<MailPollFailure, number>();
  new Counter({
    name: 'bluelamp_imap_poll_failures_total',
    help: 'Failed polls of IMAP mailboxes by reason (connect, auth, fetch, store, module_not_loaded)',
    labelNames: ['reason'],
    registers,
    collect() {
      // The board keeps running totals; the counter catches up with them at each scrape.
      for (const reason of FAILURES) {
        const total = health.failureTotals().get(reason) ?? 0;
        this.inc({ reason }, total - (counted.get(reason) ?? 0));
        counted.set(reason, total);
      }
    },
  });
  const perMailbox = (name: string, help: string, read: (state: MailPollerState) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['channel_account_id'],
      registers,
      collect() {
        this.reset();
        for (const state of health.mailboxes()) this.set({ channel_account_id: state.channelAccountId }, read(state));
      },
    });
  new Gauge({
    name: 'bluelamp_imap_last_success_age_seconds',
    help: 'Seconds since the last successful poll of each mailbox this process polls, by any worker (since this process began polling it, if none yet)',
    labelNames: ['channel_account_id'],
    registers,
    async collect() {
      const states = health.mailboxes();
      const stored = readStored && states.length > 0 ? await readStored(states.map((state) => state.channelAccountId)) : null;
      this.reset();
      for (const state of states) this.set({ channel_account_id: state.channelAccountId }, health.lastSuccessAgeSeconds(state, stored?.get(state.channelAccountId)));
    },
  });
  perMailbox('bluelamp_imap_consecutive_failures', 'Polls of each mailbox that failed in a row (0 after a success)', (state) => state.consecutiveFailures);
  new Gauge({
    name: 'bluelamp_imap_failing',
    help: '1 for each mailbox whose last poll failed, labelled with why',
    labelNames: ['channel_account_id', 'reason'],
    registers,
    collect() {
      this.reset();
      for (const state of health.mailboxes()) {
        if (state.consecutiveFailures > 0 && state.lastFailure) this.set({ channel_account_id: state.channelAccountId, reason: state.lastFailure }, 1);
      }
    },
  });
  new Gauge({
    name: 'bluelamp_imap_restart_needed',
    help: '1 when a library the pollers need failed as it loaded and Node keeps that failure: restart the process',
    registers,
    collect() {
      this.set(health.summary().restartNeeded ? 1 : 0);
    },
  });
}
