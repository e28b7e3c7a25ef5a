// Live queue, routing and alert updates over a WebSocket at /api/live, with reconnect and backoff.
import { createContext, useContext, useEffect, useRef } from 'react';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export type LiveEvent =
  | { type: 'queue.changed'; contactId: string | null }
  /** Assignments, presence or queues changed. */
  | { type: 'routing.changed' }
  | { type: 'alert.raised'; alertId: string; kind: string; contactId: string | null }
  | { type: 'alert.acknowledged'; alertId: string }
  | { type: 'hello' }
  /**
   * Events may have been missed, so refetch: emitted locally after the socket reconnects, and
   * sent by the server after its own database listener reconnects.
   */
  | { type: 'resync' };

export type LiveListener = (event: LiveEvent) => void;

export function liveUrl(loc: Location = window.location): string {
  const protocol = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${loc.host}/api/live`;
}

export function parseLiveEvent(data: unknown): LiveEvent | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  if (record.type === 'queue.changed') {
    return { type: 'queue.changed', contactId: typeof record.contactId === 'string' ? record.contactId : null };
  }
  if (record.type === 'routing.changed') return { type: 'routing.changed' };
  if (record.type === 'alert.raised' && typeof record.alertId === 'string') {
    return {
      type: 'alert.raised',
      alertId: record.alertId,
      kind: typeof record.kind === 'string' ? record.kind : 'unknown',
      contactId: typeof record.contactId === 'string' ? record.contactId : null,
    };
  }
  if (record.type === 'alert.acknowledged' && typeof record.alertId === 'string') {
    return { type: 'alert.acknowledged', alertId: record.alertId };
  }
  if (record.type === 'hello') return { type: 'hello' };
  if (record.type === 'resync') return { type: 'resync' };
  return null;
}

/** Exponential backoff with jitter: ~1s, 2s, 4s ... capped at 30s. */
export function backoffDelay(attempt: number): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

export class LiveClient {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: number | undefined;
  private stopped = true;
  private hasOpened = false;
  private readonly listeners = new Set<LiveListener>();
  private readonly statusListeners = new Set<(status: LiveStatus) => void>();
  status: LiveStatus = 'offline';

  constructor(private readonly url: string) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    window.clearTimeout(this.timer);
    const socket = this.socket;
    this.socket = null;
    socket?.close(1000, 'client closing');
    this.setStatus('offline');
  }

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener: (status: LiveStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private readonly reconnectNow = (): void => {
    if (this.stopped || this.socket) return;
    window.clearTimeout(this.timer);
    this.connect();
  };

  private connect(): void {
    this.setStatus(this.hasOpened ? 'reconnecting' : 'connecting');
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setStatus('live');
      if (this.hasOpened) this.emit({ type: 'resync' });
      this.hasOpened = true;
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket !== socket) return;
      const event = parseLiveEvent(message.data);
      if (event) this.emit(event);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
    // Errors are always followed by a close event; nothing else to do here.
    socket.onerror = () => undefined;
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus('reconnecting');
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      if (!this.stopped && !this.socket) this.connect();
    }, delay);
  }

  private emit(event: LiveEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (err) {
        console.error('live listener failed', err);
      }
    }
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}

export interface LiveContextValue {
  status: LiveStatus;
  subscribe: (listener: LiveListener) => () => void;
}

export const LiveContext = createContext<LiveContextValue>({
  status: 'offline',
  subscribe: () => () => undefined,
});

/** Calls the latest `handler` for every live event while the component is mounted. */
export function useLiveEvent(handler: LiveListener): void {
  const { subscribe } = useContext(LiveContext);
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => subscribe((event) => ref.current(event)), [subscribe]);
}
