import type { FastifyInstance } from 'fastify';
import type { ServiceDeps } from '../deps.ts';
import { loadStaff } from '../http/routes.ts';
import { roleHasPermission } from '../auth/permissions.ts';
import type { LiveHub } from './live.ts';

/**
 * The live stream of queue changes for signed-in staff of one force. The session cookie
 * authenticates it; a cross-site page cannot open it because the Origin must be our own host.
 */
export function registerLiveRoute(app: FastifyInstance, deps: ServiceDeps, hub: LiveHub): void {
  app.get(
    '/api/live',
    {
      websocket: true,
      schema: { hide: true },
      config: { permission: 'contacts:read', audit: 'live.subscribe' },
      preValidation: async (request, reply) => {
        if (!isSameOrigin(request.headers.origin, request.headers.host)) {
          return reply.status(403).send({ error: { code: 'forbidden', message: 'Cross-site live connections are refused' } });
        }
        const staff = await loadStaff(deps, request);
        if (!staff) return reply.status(401).send({ error: { code: 'unauthenticated', message: 'You need to sign in' } });
        if (staff.mustChangePassword) {
          return reply.status(403).send({ error: { code: 'password_change_required', message: 'Change your one-time password first' } });
        }
        if (!roleHasPermission(staff.role, 'contacts:read')) {
          return reply.status(403).send({ error: { code: 'forbidden', message: 'Your role does not allow this' } });
        }
      },
    },
    (socket, request) => {
      const staff = request.staff;
      if (!staff) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      const unsubscribe = hub.subscribe(staff.forceId, (message) => {
        if (message.type === 'staff.sessions_ended') {
          // An ended session must stop hearing the force's queue at once, not when it next reconnects.
          if (message.staffId === staff.staffId && message.keptSessionId !== staff.sessionId) socket.close(4401, 'session ended');
          return;
        }
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
      });
      socket.send(JSON.stringify({ type: 'hello' }));
      socket.on('message', () => {
        // The stream is one-way; anything a client sends is ignored.
      });
      socket.on('close', unsubscribe);
    },
  );
}

function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true; // not a browser, or a same-origin request that omitted it
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
