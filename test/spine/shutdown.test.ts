import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freePort, seededEnv } from '../cli-kit.ts';
import { createTestApp } from '../helpers.ts';
import { stopAndExit } from '../../src/main.ts';
import { createLogger } from '../../src/platform/logging/logger.ts';

// The server stopped by SIGTERM as a supervisor stops it, as a real process from the build
// (test/build-server.ts, run by the global setup), with a request in progress when it is told to;
// and what that process runs when stopping overruns its limit, here in the test's own process.
const CLI = path.resolve('bin/bluelamp.js');

type Running = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** Starts the program and resolves once it says it is running. */
function start(script: string, env: Record<string, string>): Promise<Running> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, 'start'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Bluelamp is running')) resolve({ child, output: () => out, exited });
    });
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    void exited.then((code) => reject(new Error(`exited ${code} before it served: ${out}`)));
  });
}

/** `promise`, or a failure naming what did not happen within `ms`. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A webhook POST over a connection of its own, sent as far as its headers: the server's
 * `100 Continue` shows it has taken the request in hand; `sendBody` sends the rest, and `answer`
 * is everything the server wrote until it closed the connection.
 */
async function postInProgress(port: number): Promise<{ sendBody: () => void; answer: Promise<string>; socket: Socket }> {
  const body = JSON.stringify({ messageId: randomUUID(), from: { phone: '+447700900123', name: 'A' }, body: 'sent as the server stops' });
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  const continued = new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString();
      if (received.startsWith('HTTP/1.1 100')) resolve();
    });
    socket.on('error', reject);
  });
  socket.write(
    [
      'POST /api/channels/api/messages HTTP/1.1',
      `host: 127.0.0.1:${port}`,
      'content-type: application/json',
      'authorization: Bearer demo-api-token',
      `content-length: ${Buffer.byteLength(body)}`,
      'expect: 100-continue',
      'connection: keep-alive',
      '',
      '',
    ].join('\r\n'),
  );
  await within(5_000, continued, 'the 100 Continue');
  return { sendBody: () => socket.write(body), answer, socket };
}

/**
 * A portal report over a connection of its own, sent only as far as its first header line: the
 * connection is busy (not idle), so the server's close keeps it; `finish` sends the rest.
 */
async function reportStarted(port: number): Promise<{ finish: () => void; answer: Promise<string> }> {
  const form = await fetch(`http://127.0.0.1:${port}/report/details`);
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c?.startsWith('bl_csrf='));
  const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!csrfCookie || !csrfToken) throw new Error('could not read the report form');
  const body = new URLSearchParams({
    csrfToken,
    submissionId: randomUUID(),
    whatHappened: 'Someone smashed the bus shelter glass as the server was stopping.',
    where: 'Acacia Avenue, Demoton',
    when: 'Just now',
    name: 'Stop Watch',
    email: 'stop.watch@example.org',
  }).toString();
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(received)));
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  await new Promise<void>((resolve, reject) => socket.write('POST /report/details HTTP/1.1\r\n', (error) => (error ? reject(error) : resolve())));
  const rest = [
    `host: 127.0.0.1:${port}`,
    'content-type: application/x-www-form-urlencoded',
    `cookie: ${csrfCookie}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: keep-alive',
    '',
    body,
  ].join('\r\n');
  return { finish: () => socket.write(rest), answer };
}

/** The console's live stream, open as a signed-in call handler's; resolves once it says hello. */
async function openLiveStream(port: number): Promise<WebSocket> {
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'handler@demo.police.uk', password: 'demo-password' }),
  });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const live = new WebSocket(`ws://127.0.0.1:${port}/api/live`, { headers: { cookie } });
  await new Promise((resolve, reject) => {
    live.once('message', resolve);
    live.once('error', reject);
  });
  return live;
}

describe('stopping the server', () => {
  it('answers-a-request-in-progress-and-exits-at-once-instead-of-holding-its-connection', { timeout: 60_000 }, async () => {
    const { env, cleanup } = await seededEnv('shutdown');
    const port = await freePort();
    let running: Running | null = null;
    try {
      running = await start(CLI, { ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_FEEDER_INTERVAL_S: '0' });
      const live = await openLiveStream(port);
      const post = await postInProgress(port);
      const report = await reportStarted(port);

      running.child.kill('SIGTERM');
      // The server closes the consoles' sockets as its close begins: the request's body comes after.
      await within(5_000, new Promise((resolve) => live.once('close', resolve)), 'the live stream closing');
      post.sendBody();
      // A report whose request reaches the server only now is taken and answered as any other
      // (the database stays open until every request is answered), not refused with a bare 503
      // that would lose what the person wrote.
      report.finish();
      const reportAnswer = await within(5_000, report.answer, 'the report answered and its connection closing');
      expect(reportAnswer).toMatch(/^HTTP\/1\.1 200 /);
      expect(reportAnswer.toLowerCase()).toContain('\r\nconnection: close\r\n');
      expect(reportAnswer).toMatch(/data-testid="reference"[^>]*>\s*[A-Z]+-\d{4}-\d{6}/);

      // Answered, and told the connection ends with it: the server closes it rather than keeping
      // it alive for a next request (which held the stop for the keep-alive timeout, 72 s).
      const answer = await within(5_000, post.answer, 'the answer and the connection closing');
      const final = answer.slice(answer.indexOf('\r\n\r\n') + 4);
      expect(final).toMatch(/^HTTP\/1\.1 202 /);
      expect(final.toLowerCase()).toContain('\r\nconnection: close\r\n');

      expect(await within(5_000, running.exited, 'the exit')).toBe(0);
      expect(running.output()).toContain('"msg":"shut down"');
      running = null;
    } finally {
      running?.child.kill('SIGKILL');
      await running?.exited;
      await cleanup();
    }
  });

  it('exits-1-naming-what-it-waited-for-when-stopping-overruns-its-limit', { timeout: 60_000 }, async () => {
    // What the process runs on SIGTERM (stopAndExit), on the product served on a real port here,
    // with a limit of one second instead of the product's: the process itself, stopped and exiting
    // 0, is the test above, so a second process would only prove again that it can start.
    let output = '';
    const logger = createLogger('info', { write: (line: string) => void (output += line) });
    const app = await createTestApp({ overrides: { logger } });
    let stopping: Promise<void> | undefined;
    let post: Awaited<ReturnType<typeof postInProgress>> | undefined;
    try {
      const http = app.http;
      if (!http) throw new Error('no HTTP server');
      await http.listen({ port: 0, host: '127.0.0.1' });
      const address = http.server.address();
      if (typeof address !== 'object' || address === null) throw new Error('not listening');
      // A request whose body never comes holds the HTTP server's close (until the request timeout, 60 s).
      post = await postInProgress(address.port);

      // The overrun's timer is the test's: it fires once the stop is waiting for the HTTP server, so
      // no limit is waited out, and the message must still name the step it was waiting for.
      let fireOverrun: (() => void) | undefined;
      let armedFor: number | undefined;
      const after = (ms: number, fire: () => void) => ((armedFor = ms), (fireOverrun = fire), () => (fireOverrun = undefined));
      let reachedHttp!: () => void;
      const atHttpServer = new Promise<void>((resolve) => (reachedHttp = resolve));
      const watched = { close: (onStep?: (step: string) => void) => app.close((step) => (onStep?.(step), step.startsWith('the HTTP server') && reachedHttp())) };
      const exits: number[] = [];
      const exited = new Promise<number>((resolve) => {
        stopping = stopAndExit('SIGTERM', { app: watched, log: logger }, { limitMs: 1000, after, exit: (code) => (exits.push(code), resolve(code)) });
      });
      await within(10_000, atHttpServer, 'the stop reaching the HTTP server');
      expect(armedFor).toBe(1000);
      if (!fireOverrun) throw new Error('the overrun was cancelled although the HTTP server is still closing');
      fireOverrun();
      expect(await within(10_000, exited, 'the exit')).toBe(1);
      expect(exits).toEqual([1]);
      expect(output).toContain('shutdown did not finish in 1 s; exiting while waiting for the HTTP server');
    } finally {
      // The held request ends, so the close the overrun gave up on finishes before the next test.
      post?.socket.destroy();
      await (stopping ?? app.close());
    }
  });
});
