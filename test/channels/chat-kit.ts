import { expect } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocket, type RawData } from 'ws';
import { createTestApp, type TestApp } from '../helpers.ts';

// Chat visitors for tests: a session opened over HTTP, a socket that keeps every frame it gets.

export type Frame = { type: string; [key: string]: unknown };
export type Closed = { code: number; reason: string };
export type ChatSession = { sessionId: string; visitorToken: string };

/** The text of a socket frame, decoded as UTF-8 whichever form of bytes the socket hands over. */
export function frameText(data: RawData): string {
  const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
  return bytes.toString('utf8');
}

/**
 * A visitor's socket: every frame it receives is kept, and `next` waits for the first one (not
 * yet taken) that matches.
 */
export type Visitor = {
  ws: WebSocket;
  frames: Frame[];
  closed: Promise<Closed>;
  /** The HTTP status if the server refused the upgrade. */
  refused: Promise<number | null>;
  opened: Promise<boolean>;
  next(type: string, match?: (frame: Frame) => boolean): Promise<Frame>;
  send(frame: unknown): void;
};

/** The visitors of one chat on one listening server; every socket they open is closed by `terminateAll`. */
export class ChatVisitors {
  private base = '';
  private wsBase = '';
  private readonly visitors: Visitor[] = [];

  constructor(private readonly widgetKey: string) {}

  /** The local port the app listens on. */
  listenOn(port: number): void {
    this.base = `http://127.0.0.1:${port}`;
    this.wsBase = `ws://127.0.0.1:${port}`;
  }

  async openSession(headers: Record<string, string> = {}): Promise<ChatSession> {
    const response = await fetch(`${this.base}/chat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ widgetKey: this.widgetKey }),
    });
    expect(response.status).toBe(201);
    return response.json() as Promise<ChatSession>;
  }

  connect(options: { origin?: string; widgetKey?: string } = {}): Visitor {
    const ws = new WebSocket(`${this.wsBase}/chat/socket?widgetKey=${options.widgetKey ?? this.widgetKey}`, options.origin ? { origin: options.origin } : {});
    const frames: Frame[] = [];
    const taken = new Set<Frame>();
    const listeners = new Set<() => void>();
    ws.on('message', (data) => {
      frames.push(JSON.parse(frameText(data)) as Frame);
      for (const listener of listeners) listener();
    });
    const closed = new Promise<Closed>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    const refused = new Promise<number | null>((resolve) => {
      ws.on('error', (error) => resolve(Number(/Unexpected server response: (\d+)/.exec(error.message)?.[1] ?? 0)));
      ws.on('open', () => resolve(null));
    });
    const opened = refused.then((status) => status === null);
    const visitor: Visitor = {
      ws,
      frames,
      closed,
      refused,
      opened,
      next(type, match = () => true) {
        return new Promise((resolve, reject) => {
          const check = () => {
            const found = frames.find((frame) => !taken.has(frame) && frame.type === type && match(frame));
            if (!found) return false;
            taken.add(found);
            listeners.delete(check);
            clearTimeout(timer);
            resolve(found);
            return true;
          };
          // Resolves as soon as the frame arrives; the limit only turns a missing frame into a
          // readable failure, so it is generous for a busy machine.
          const timer = setTimeout(() => {
            listeners.delete(check);
            reject(new Error(`no ${type} frame; got ${JSON.stringify(frames)}`));
          }, 60_000);
          if (!check()) listeners.add(check);
        });
      },
      send(frame) {
        ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
      },
    };
    this.visitors.push(visitor);
    return visitor;
  }

  /** A new session (or the one given), connected and authenticated; resolves once the history has arrived. */
  async signedIn(session?: ChatSession): Promise<{ visitor: Visitor; session: ChatSession; history: Frame; messages: unknown[] }> {
    const s = session ?? (await this.openSession());
    const visitor = this.connect();
    expect(await visitor.opened).toBe(true);
    visitor.send({ type: 'auth', sessionId: s.sessionId, token: s.visitorToken });
    const history = await visitor.next('history');
    const messages: unknown[] = Array.isArray(history.messages) ? history.messages : [];
    return { visitor, session: s, history, messages };
  }

  terminateAll(): void {
    for (const visitor of this.visitors) visitor.ws.terminate();
  }
}

/** A test app listening on a free port, its chat visitors pointed at it; close with `closeChatApp`. */
export async function openChatApp(visitors: ChatVisitors, options?: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const app = await createTestApp(options);
  if (!app.http) throw new Error('test app has no HTTP server');
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  visitors.listenOn((app.http.server.address() as AddressInfo).port);
  return app;
}

/** Closes the visitors' sockets, then the app. */
export async function closeChatApp(visitors: ChatVisitors, app: TestApp): Promise<void> {
  visitors.terminateAll();
  await app.close();
}
