import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { BUILDERS } from './webhook-requests.ts';

// The rest of a force's day beside the portal reports of `npm run bench -- soak`: messages on the
// other channels (a fifth of them sent twice, as a provider retries), chat visitors talking over
// the chat socket, a call handler answering and closing what is routed to them with the console's
// live feed open, a dispatcher running incidents through their units, a supervisor reading the
// boards and reports, and colleagues signing in and out. Every answer is counted by workload; a 5xx
// or a request that got no answer is a failure.

const CHANNELS = ['api', 'sms_twilio', 'sms_notify', 'meta', 'x'] as const;

export type SoakWork = {
  /** Answers by workload and status, e.g. `handler 200`. */
  answers: Map<string, number>;
  /** 5xx answers and requests that got none, with where they went (first 20). */
  failures: string[];
  failureCount: number;
  /** Provider ids the server acknowledged (2xx), by channel, each sent once or twice. */
  acknowledged: Map<string, Set<string>>;
  /** Chat messages acknowledged on the socket (`sessionId:clientId`, as stored). */
  chatAcknowledged: Set<string>;
  /** Replies chat visitors heard on their open sockets. */
  chatRepliesHeard: number;
  /** Frames the handler's console live feed received. */
  liveFrames: number;
};

type Staff = { cookie: string; csrf: string };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startSoakWork(base: string, running: () => boolean): { work: SoakWork; done: Promise<void> } {
  const work: SoakWork = { answers: new Map(), failures: [], failureCount: 0, acknowledged: new Map(), chatAcknowledged: new Set(), chatRepliesHeard: 0, liveFrames: 0 };
  const count = (workload: string, status: number | string, where: string) => {
    const key = `${workload} ${status}`;
    work.answers.set(key, (work.answers.get(key) ?? 0) + 1);
    if (typeof status === 'string' || status >= 500) {
      work.failureCount += 1;
      if (work.failures.length < 20) work.failures.push(`${workload}: ${where} → ${status}`);
    }
  };

  /** One request, counted; the parsed JSON body of a 2xx answer, else null. */
  const call = async (workload: string, method: string, path: string, options: { staff?: Staff; body?: unknown; headers?: Record<string, string>; raw?: string } = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.staff) {
      headers.cookie = options.staff.cookie;
      if (method !== 'GET') headers['x-csrf-token'] = options.staff.csrf;
    }
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${base}${path}`, { method, headers, body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)) }).catch(
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    if (typeof response === 'string') {
      count(workload, 'no answer', `${method} ${path}`);
      return null;
    }
    count(workload, response.status, `${method} ${path}`);
    const text = await response.text();
    if (response.status >= 300) return null;
    return { json: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown>, headers: response.headers };
  };

  const signIn = async (workload: string, who: string): Promise<Staff | null> => {
    const answer = await call(workload, 'POST', '/api/auth/login', { body: { email: `${who}@demo.police.uk`, password: 'demo-password' } });
    const cookie = answer?.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('bl_session='));
    return answer && cookie ? { cookie, csrf: String(answer.json.csrfToken) } : null;
  };

  const channels = async () => {
    for (let i = 0; running(); i += 1) {
      const channel = CHANNELS[i % CHANNELS.length] ?? 'api';
      const built = BUILDERS[channel]?.(base);
      if (!built) return;
      const sends = i % 5 === 0 ? 2 : 1;
      for (let n = 0; n < sends; n += 1) {
        const answer = await call('channels', 'POST', built.path, { headers: built.headers, raw: built.body });
        if (answer) {
          const ids = work.acknowledged.get(channel) ?? new Set<string>();
          ids.add(built.providerId);
          work.acknowledged.set(channel, ids);
        }
      }
      await pause(150);
    }
  };

  const chatVisitor = async () => {
    while (running()) {
      const session = await call('chat', 'POST', '/chat/sessions', { body: { widgetKey: 'demo-chat' }, headers: { origin: base } });
      if (!session) {
        await pause(2000);
        continue;
      }
      const sessionId = String(session.json.sessionId);
      const socket = new WebSocket(`${base.replace('http', 'ws')}/chat/socket?widgetKey=demo-chat`, { headers: { origin: base } });
      socket.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as { type: string; clientId?: string };
        if (frame.type === 'ack' && frame.clientId) work.chatAcknowledged.add(`${sessionId}:${frame.clientId}`);
        if (frame.type === 'reply') work.chatRepliesHeard += 1;
      });
      const opened = await new Promise<boolean>((resolve) => {
        socket.once('open', () => resolve(true));
        socket.once('error', () => resolve(false));
      });
      count('chat', opened ? 101 : 'no answer', '/chat/socket');
      if (opened) {
        socket.send(JSON.stringify({ type: 'auth', sessionId, token: session.json.visitorToken }));
        for (let m = 0; m < 4 && running(); m += 1) {
          await pause(1500);
          socket.send(JSON.stringify({ type: 'message', clientId: randomUUID(), text: m === 0 ? 'Hello, my bike was stolen from outside the station' : `More details, part ${m}` }));
        }
        // Time for the handler's reply to reach the open socket before the visitor leaves.
        await pause(8000);
      }
      socket.close();
    }
  };

  const handler = async () => {
    let staff: Staff | null = null;
    let live: WebSocket | null = null;
    let liveOpened = 0;
    while (running()) {
      staff ??= await signIn('handler', 'handler');
      if (!staff) {
        await pause(2000);
        continue;
      }
      // The console's live feed, opened again every minute as a console page reload would.
      if (!live || performance.now() - liveOpened > 60_000) {
        live?.close();
        live = new WebSocket(`${base.replace('http', 'ws')}/api/live`, { headers: { cookie: staff.cookie } });
        live.on('message', () => (work.liveFrames += 1));
        live.on('error', () => count('handler', 'no answer', '/api/live'));
        liveOpened = performance.now();
      }
      await call('handler', 'POST', '/api/me/presence', { staff, body: { presence: 'available' } });
      const mine = await call('handler', 'GET', '/api/contacts?assigned=me&limit=20', { staff });
      // Chats first: their visitors are waiting on an open socket for the reply.
      const contacts = ((mine?.json.contacts ?? []) as { id: string; channel: string }[]).sort((a, b) => Number(b.channel === 'chat') - Number(a.channel === 'chat'));
      for (const contact of contacts.slice(0, 5)) {
        await call('handler', 'POST', `/api/contacts/${contact.id}/replies`, { staff, body: { body: 'Thank you. An officer has read your message and will be in touch.' } });
        await call('handler', 'POST', `/api/contacts/${contact.id}/close`, { staff, body: { outcome: 'advice_given', note: 'Soak test' } });
      }
      if (contacts.length === 0) {
        const waiting = await call('handler', 'GET', '/api/contacts?assigned=unassigned&limit=50', { staff });
        const unassigned = (waiting?.json.contacts ?? []) as { id: string; channel: string }[];
        const first = unassigned.find((c) => c.channel === 'chat') ?? unassigned.find((c) => c.channel !== 'portal');
        if (first) await call('handler', 'POST', `/api/contacts/${first.id}/take`, { staff, body: {} });
      }
      await pause(1000);
    }
    live?.close();
  };

  const dispatcher = async () => {
    let staff: Staff | null = null;
    while (running()) {
      staff ??= await signIn('dispatcher', 'dispatch');
      const units = staff ? await call('dispatcher', 'GET', '/api/units', { staff }) : null;
      const unit = ((units?.json.units ?? []) as { id: string; status: string }[]).find((u) => u.status === 'available');
      const created = staff && unit ? await call('dispatcher', 'POST', '/api/incidents', { staff, body: { type: 'asb_nuisance', summary: 'Group shouting outside the shops', grade: 'priority' } }) : null;
      const incident = created?.json.incident as { id: string } | undefined;
      if (staff && unit && incident) {
        await call('dispatcher', 'POST', `/api/incidents/${incident.id}/dispatch`, { staff, body: { unitIds: [unit.id] } });
        for (const status of ['en_route', 'on_scene', 'clear', 'available']) {
          await pause(500);
          await call('dispatcher', 'POST', `/api/units/${unit.id}/status`, { staff, body: { status } });
        }
        await call('dispatcher', 'POST', `/api/incidents/${incident.id}/status`, { staff, body: { move: 'resolve', closingCode: 'advice' } });
        await call('dispatcher', 'POST', `/api/incidents/${incident.id}/status`, { staff, body: { move: 'close', closingCode: 'advice' } });
        await call('dispatcher', 'GET', '/api/map', { staff });
      }
      await pause(2000);
    }
  };

  const supervisor = async () => {
    let staff: Staff | null = null;
    const reads = ['/api/routing/board', '/api/reports/response', '/api/contacts/search?q=street', '/api/online-reports/dashboard', '/api/outbox', '/api/incidents', '/api/alerts'];
    for (let i = 0; running(); i += 1) {
      staff ??= await signIn('supervisor', 'supervisor');
      if (staff) await call('supervisor', 'GET', reads[i % reads.length] ?? '/api/alerts', { staff });
      await pause(1500);
    }
  };

  const colleagues = async () => {
    while (running()) {
      const staff = await signIn('sign-in', 'desk');
      if (staff) {
        await call('sign-in', 'GET', '/api/auth/me', { staff });
        await call('sign-in', 'POST', '/api/auth/logout', { staff, body: {} });
      }
      await pause(10_000);
    }
  };

  const done = Promise.all([channels(), chatVisitor(), handler(), dispatcher(), supervisor(), colleagues()]).then(() => undefined);
  return { work, done };
}
