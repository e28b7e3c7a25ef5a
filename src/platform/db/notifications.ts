import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { CONNECT_TIMEOUT_MS, DEFAULT_LIVENESS, KEEPALIVE_IDLE_MS, endClient, guardClient, type Liveness } from './postgres-pool.ts';

// Notifications between processes (LISTEN/NOTIFY) and within one: the subscribers of this
// process, the connection that LISTENs for them, and how it comes back when it is lost.

/**
 * The state of the connection that LISTENs. `down` means notifications from other processes are
 * not arriving (this process's own still are, locally); `reason` says why, for /readyz.
 */
export type ListenerState = { status: 'listening' | 'down'; since: Date; reason?: string };

/** What a subscriber to a NOTIFY channel is told: each payload, and each time the listener came back. */
export type ListenOptions = {
  /**
   * Called when notifications may have been missed: after the listener reconnected (anything sent
   * while it was down is gone), or when this process lost its connection during a COMMIT that
   * notified this channel. The subscriber catches up (re-reads, re-sweeps, asks consoles to refetch).
   */
  onReconnect?: () => void;
};

/** Waits before reconnect attempt `attempt` (1, 2, ...); tests pass one they release by hand. */
export type Backoff = (attempt: number) => Promise<void>;

/** Milliseconds before reconnect attempt `attempt`: doubling from half a second, capped at 30 s, half of it random. */
export function listenerBackoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** The production backoff: sleeps `listenerBackoffMs(attempt)` without keeping the process alive. */
export const defaultListenerBackoff: Backoff = (attempt) =>
  new Promise((resolve) => setTimeout(resolve, listenerBackoffMs(attempt)).unref());

/** One subscriber to one channel. */
export type Subscription = { onPayload: (payload: string) => void; options: ListenOptions };

/**
 * The subscribers of this process, by channel, and this process's origin id. Notifications carry
 * the id of the process that sent them (`bl1:<origin>:<payload>`), so the echo of one already
 * delivered locally is recognised and dropped: nothing arrives twice.
 */
export class LocalBus {
  readonly origin = randomBytes(6).toString('hex');
  private readonly channels = new Map<string, Set<Subscription>>();

  /** Adds a subscriber; the returned function removes it and says whether the channel is now unheard. */
  add(channel: string, subscription: Subscription): () => boolean {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
    }
    set.add(subscription);
    const owned = set;
    return () => {
      owned.delete(subscription);
      if (owned.size === 0 && this.channels.get(channel) === owned) this.channels.delete(channel);
      return !this.channels.has(channel);
    };
  }

  /** The channels someone in this process listens to (LISTENed again after a reconnection). */
  get channelNames(): string[] {
    return [...this.channels.keys()];
  }

  /** Hands a payload to every subscriber of the channel; one failing subscriber never stops the rest. */
  deliver(channel: string, payload: string): void {
    for (const subscription of [...(this.channels.get(channel) ?? [])]) {
      try {
        subscription.onPayload(payload);
      } catch {
        // A subscriber's own failure is its concern; the others still hear.
      }
    }
  }

  /** A NOTIFY from the database: dropped when this process sent it (already delivered locally). */
  deliverRemote(channel: string, raw: string): void {
    const match = /^bl1:([0-9a-f]+):/.exec(raw);
    if (match && match[1] === this.origin) return;
    this.deliver(channel, match ? raw.slice(match[0].length) : raw);
  }

  /** Tells the subscribers of the given channels (all, by default) to catch up on what they missed. */
  catchUp(channels: Iterable<string> = this.channels.keys()): void {
    for (const channel of [...channels]) {
      for (const subscription of [...(this.channels.get(channel) ?? [])]) {
        try {
          subscription.options.onReconnect?.();
        } catch {
          // As above.
        }
      }
    }
  }
}

/** The LISTEN connection's sign of life (named, so a statement count can leave it out). */
export const HEARTBEAT_SQL = '/* listener heartbeat */ select 1';

/**
 * One connection that LISTENs on every channel this process subscribes to. When it is lost
 * (failover, restart, a terminated backend, a network reset) it reconnects with capped, jittered
 * backoff, LISTENs again, and tells every subscriber to catch up on what it missed. It is asked
 * for a sign of life every `heartbeatMs`; one that goes silent is cut and treated as lost (decision 0053).
 */
export class PostgresListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnecting: Promise<void> | null = null;
  private closed = false;
  /** The heartbeat of the current connection, stopped when the connection is lost or closed. */
  private heartbeatTimer: NodeJS.Timeout | null = null;
  state: ListenerState = { status: 'listening', since: new Date() };

  constructor(
    private readonly url: string,
    private readonly bus: LocalBus,
    private readonly backoff: Backoff,
    private readonly onState: (state: ListenerState) => void,
    private readonly liveness: Liveness = DEFAULT_LIVENESS,
  ) {}

  /** Asks the connection for a sign of life every `heartbeatMs`; no answer in time cuts it (guardClient), which reconnects. */
  private heartbeat(client: pg.Client): void {
    this.stopHeartbeat();
    const timer = setInterval(() => {
      client.query(HEARTBEAT_SQL).catch(() => {
        // The connection's own 'error' or 'end' reports the loss.
      });
    }, this.liveness.heartbeatMs);
    timer.unref();
    this.heartbeatTimer = timer;
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** LISTENs on a channel; the first call connects, and fails if the database cannot be reached. */
  async listen(channel: string): Promise<void> {
    if (!this.client && !this.connecting && !this.reconnecting) {
      await this.connect();
      return;
    }
    await this.connecting;
    // While down, the channel is LISTENed on reconnection (every channel of the bus is).
    const client = this.client;
    if (client) await client.query(`listen ${pg.escapeIdentifier(channel)}`).catch(() => {});
  }

  async unlisten(channel: string): Promise<void> {
    const client = this.client;
    if (client) await client.query(`unlisten ${pg.escapeIdentifier(channel)}`).catch(() => {});
  }

  private connect(): Promise<void> {
    const attempt = (async () => {
      const client = new pg.Client({ connectionString: this.url, keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
      guardClient(client, this.liveness);
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client, new Error('connection ended')));
      client.on('notification', (message) => {
        if (message.payload !== undefined) this.bus.deliverRemote(message.channel, message.payload);
      });
      try {
        await client.connect();
        const channels = this.bus.channelNames;
        if (channels.length > 0) await client.query(channels.map((name) => `listen ${pg.escapeIdentifier(name)}`).join('; '));
      } catch (error) {
        client.removeAllListeners('end');
        await endClient(client);
        throw error;
      }
      if (this.closed) {
        await endClient(client);
        return;
      }
      this.client = client;
      this.heartbeat(client);
    })();
    this.connecting = attempt.finally(() => (this.connecting = null));
    return this.connecting;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.stopHeartbeat();
    client.removeAllListeners('notification');
    void endClient(client);
    this.setState({ status: 'down', since: new Date(), reason: describe(error) });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnecting) return;
    this.reconnecting = this.reconnect();
  }

  private async reconnect(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt += 1) {
      await this.backoff(attempt);
      if (this.closed) break;
      try {
        await this.connect();
      } catch (error) {
        this.state = { ...this.state, reason: describe(error) };
        continue;
      }
      // Lost again straight away: keep trying.
      if (!this.client) continue;
      this.reconnecting = null;
      this.setState({ status: 'listening', since: new Date() });
      this.bus.catchUp();
      return;
    }
    this.reconnecting = null;
  }

  private setState(state: ListenerState): void {
    this.state = state;
    try {
      this.onState(state);
    } catch {
      // Reporting the state must never stop the reconnection.
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // A reconnection waiting on its backoff stops when it wakes; it is not awaited here.
    await this.connecting?.catch(() => {});
    const client = this.client;
    this.client = null;
    // Stopped now, not at its next beat: until then it would hold the listener and its app.
    this.stopHeartbeat();
    if (client) await endClient(client);
  }
}

/** A short reason for /readyz and the logs: the error's message, never a connection string. */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/\S+/gi, '[database url]').slice(0, 200);
}
