import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.ts';
import { staffSocketRoute } from '../http/routes.ts';
import type { LiveHub, LiveMessage } from './live.ts';

/** Every message a console hears on the live stream. */
export const consoleLiveMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('hello') }).describe('sent once, when the stream opens'),
    z.object({ type: z.literal('queue.changed'), contactId: z.string(), reference: z.string().optional() }),
    z.object({ type: z.literal('routing.changed') }).describe('assignments, presence or queues changed'),
    z.object({ type: z.literal('alert.raised'), alertId: z.string(), kind: z.string(), contactId: z.string() }),
    z.object({ type: z.literal('alert.acknowledged'), alertId: z.string() }),
    z.object({ type: z.literal('case.victim_updates_changed'), caseId: z.string() }).describe("a case's Victims' Code clocks changed: opened, due soon, breached or met"),
    z.object({ type: z.literal('resync') }).describe('messages may have been missed: refetch what is shown'),
  ])
  .meta({ id: 'LiveMessage' });

/** What reaches a console: everything but the messages meant for the server itself. */
type ConsoleMessage = Exclude<LiveMessage, { type: 'staff.sessions_ended' }>;
// A live message the schema above does not describe fails to compile here.
const toConsole = (message: ConsoleMessage): z.output<typeof consoleLiveMessage> => message;

/**
 * The live stream of queue changes for signed-in staff of one force. The session cookie
 * authenticates it; a cross-site page cannot open it because the Origin must be our own host.
 */
export function registerLiveRoute(app: FastifyInstance, deps: ServiceDeps, hub: LiveHub): void {
  staffSocketRoute(app, deps, {
    url: '/api/live',
    permission: 'contacts:read',
    audit: 'live.subscribe',
    summary: "The live stream of the force's queue changes (a WebSocket of JSON messages)",
    tags: ['live'],
    messages: consoleLiveMessage,
    refuse: (request) =>
      isSameOrigin(request.headers.origin, request.headers.host)
        ? null
        : { status: 403, code: 'forbidden', message: 'Cross-site live connections are refused' },
    handler: ({ socket, staff, send }) => {
      const unsubscribe = hub.subscribe(staff.forceId, (message) => {
        if (message.type === 'staff.sessions_ended') {
          // An ended session must stop hearing the force's queue at once, not when it next reconnects.
          if (message.staffId === staff.staffId && message.keptSessionId !== staff.sessionId) socket.close(4401, 'session ended');
          return;
        }
        send(toConsole(message));
      });
      send({ type: 'hello' });
      socket.on('message', () => {
        // The stream is one-way; anything a client sends is ignored.
      });
      socket.on('close', unsubscribe);
    },
  });
}

function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser, or a same-origin request that omitted it
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
