// Live queue, routing, alert and control-room updates over a WebSocket at /api/live, with reconnect and backoff.
// The messages are the server's LiveMessage (in the API document); what each one invalidates is in
// api/live-sync.ts.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { LiveMessage } from './api/types.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/**
 * Called with each message from the server, and with `resync` emitted here after the socket
 * reconnects (the server sends it too, after its own database listener reconnects): events may
 * have been missed.
 */
export type LiveListener = (message: LiveMessage) => void;

export function liveUrl(loc: Location = window.location): string {
  const protocol = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${loc.host}/api/live`;
}

/** A record a form edits from the version it was opened at, as live messages name it. */
export type EditedRecord = Extract<LiveMessage, { type: 'record.changed' }>['record'];
// Every one the API names, or this fails to compile.
const EDITED_RECORDS: Record<EditedRecord, true> = { journey_rule: true, template: true, queue: true, queue_rules: true, channel_targets: true, staff_role: true, staff_profile: true, channel_account: true };
const isEditedRecord = (value: unknown): value is EditedRecord => typeof value === 'string' && Object.hasOwn(EDITED_RECORDS, value);
/** What happened to a letter of the print queue, as live messages name it. */
type PrintQueueChange = Extract<LiveMessage, { type: 'print_queue.changed' }>['change'];
// Every one the API names, or this fails to compile.
const PRINT_QUEUE_CHANGES: Record<PrintQueueChange, true> = { queued: true, printed: true, withdrawn: true, overtaken: true };
const isPrintQueueChange = (value: unknown): value is PrintQueueChange => typeof value === 'string' && Object.hasOwn(PRINT_QUEUE_CHANGES, value);

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A frame as a LiveMessage, or null when it is not one this console knows. */
export function parseLiveEvent(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('type' in value)) return null;
  const record: Partial<Record<string, unknown>> = { ...value };
  switch (record.type) {
    case 'hello':
    case 'routing.changed':
    case 'journey_rules.changed':
    case 'resync':
      return { type: record.type };
    case 'queue.changed': {
      const contactId = text(record.contactId);
      const reference = text(record.reference);
      if (!contactId) return null;
      return reference ? { type: 'queue.changed', contactId, reference } : { type: 'queue.changed', contactId };
    }
    case 'alert.raised': {
      const alertId = text(record.alertId);
      const contactId = text(record.contactId);
      const incidentId = text(record.incidentId);
      const caseId = text(record.caseId);
      const kind = text(record.kind) ?? 'unknown';
      if (!alertId) return null;
      if (contactId) return { type: 'alert.raised', alertId, contactId, kind };
      if (incidentId) return { type: 'alert.raised', alertId, incidentId, kind };
      if (caseId) return { type: 'alert.raised', alertId, caseId, kind };
      return null;
    }
    case 'incidents.changed': {
      const incidentId = text(record.incidentId);
      return incidentId ? { type: 'incidents.changed', incidentId } : null;
    }
    case 'units.changed': {
      const unitId = text(record.unitId);
      return unitId ? { type: 'units.changed', unitId } : null;
    }
    case 'alert.acknowledged': {
      const alertId = text(record.alertId);
      const caseId = text(record.caseId);
      if (!alertId) return null;
      return caseId ? { type: 'alert.acknowledged', alertId, caseId } : { type: 'alert.acknowledged', alertId };
    }
    case 'alert.put_right': {
      const alertId = text(record.alertId);
      const caseId = text(record.caseId);
      return alertId && caseId ? { type: 'alert.put_right', alertId, caseId } : null;
    }
    case 'record.changed': {
      const edited = record.record;
      if (!isEditedRecord(edited)) return null;
      const id = text(record.id);
      const byStaffId = text(record.byStaffId);
      return { type: 'record.changed', record: edited, ...(id ? { id } : {}), ...(byStaffId ? { byStaffId } : {}) };
    }
    case 'areas.changed': {
      const byStaffId = text(record.byStaffId);
      return byStaffId ? { type: 'areas.changed', byStaffId } : { type: 'areas.changed' };
    }
    case 'case.victim_updates_changed': {
      const caseId = text(record.caseId);
      return caseId ? { type: 'case.victim_updates_changed', caseId } : null;
    }
    case 'print_queue.changed': {
      const letterId = text(record.letterId);
      const caseId = text(record.caseId);
      const byStaffId = text(record.byStaffId);
      if (!isPrintQueueChange(record.change)) return null;
      // A case's letters overtaken name the case (decision 0156); every other change names its letter.
      if (record.change === 'overtaken') return caseId ? { type: 'print_queue.changed', caseId, change: 'overtaken' } : null;
      if (!letterId) return null;
      return { type: 'print_queue.changed', letterId, change: record.change, ...(byStaffId ? { byStaffId } : {}) };
    }
    default:
      return null;
  }
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

  private emit(event: LiveMessage): void {
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
