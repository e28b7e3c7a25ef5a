import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { TestApp } from './helpers.ts';

/** Starts the test app's HTTP server on a free port, so consoles' live sockets can connect; returns its base URL. */
export async function listenForSockets(app: TestApp): Promise<string> {
  const http = app.http;
  if (!http) throw new Error('the test app has no HTTP server');
  await http.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
}

/** A live socket as a console opens it with the session's cookie, keeping every message it hears once it has said hello. */
export async function openLiveSocket<Message extends { type: string } = { type: string }>(base: string, session: { cookie: string }) {
  const messages: Message[] = [];
  const socket = new WebSocket(`${base.replace('http', 'ws')}/api/live`, { headers: { cookie: session.cookie } });
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Message));
  await expect.poll(() => messages.some((m) => m.type === 'hello'), { timeout: 20_000 }).toBe(true);
  return { messages, close: () => socket.close() };
}
