import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServiceDeps } from '../deps.ts';
import { roleHasPermission, type Permission, type StaffRole } from '../auth/permissions.ts';
import { staffSocketRoute } from '../http/routes.ts';
import { findLiveSession } from '../auth/sessions.ts';
import { EDITED_RECORDS, PRINT_QUEUE_CHANGES, type EditedRecord, type LiveHub, type LiveMessage } from './live.ts';

/** Every message a console hears on the live stream. */
export const consoleLiveMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('hello') }).describe('sent once, when the stream opens'),
    z.object({ type: z.literal('queue.changed'), contactId: z.string(), reference: z.string().optional() }),
    z.object({ type: z.literal('routing.changed') }).describe('assignments, presence or queues changed'),
    z
      .object({ type: z.literal('alert.raised'), alertId: z.string(), kind: z.string(), contactId: z.string().optional(), incidentId: z.string().optional(), caseId: z.string().optional() })
      .describe("an alert for supervisors, about a contact (contactId), an incident's missed response target (incidentId) or a case whose Victims' Code clocks could not be opened (caseId)"),
    z.object({ type: z.literal('alert.acknowledged'), alertId: z.string(), caseId: z.string().optional() }).describe("an alert was acknowledged; a case's alert names its case (caseId)"),
    z
      .object({ type: z.literal('alert.put_right'), alertId: z.string(), caseId: z.string() })
      .describe("the alert of a case whose Victims' Code clocks could not be opened was put right (the clocks are open now); it waits for a supervisor's acknowledgement"),
    z.object({ type: z.literal('incidents.changed'), incidentId: z.string() }).describe('an incident changed: its status, grade, units, countdown (warned, breached) or breach reasons'),
    z.object({ type: z.literal('units.changed'), unitId: z.string() }).describe("a unit's status or details changed (positions send nothing)"),
    z.object({ type: z.literal('case.victim_updates_changed'), caseId: z.string() }).describe("a case's Victims' Code clocks changed: opened, due soon, breached or met"),
    z
      .object({ type: z.literal('areas.changed'), byStaffId: z.string().optional() })
      .describe("a force admin imported, renamed, re-set or removed areas (by this member of staff): lists and maps of the force's areas refetch them"),
    z
      .object({ type: z.literal('print_queue.changed'), change: z.enum(PRINT_QUEUE_CHANGES), letterId: z.string().optional(), caseId: z.string().optional(), byStaffId: z.string().optional() })
      .describe(
        'a letter (letterId) joined the print queue (queued), or left it, marked printed and posted or withdrawn, by this member of staff (none when the system withdrew it); or a milestone of a case (caseId) overtook what its letters tell (overtaken): they are not to be posted',
      ),
    z.object({ type: z.literal('journey_rules.changed') }).describe("a force admin added, changed, switched off or on, or reordered the force's journey rules"),
    z
      .object({ type: z.literal('record.changed'), record: z.enum(EDITED_RECORDS), id: z.string().optional(), byStaffId: z.string().optional() })
      .describe('a record edited from the version opened (a journey rule, a template, a queue, the queue rules, the channel targets, a role, a routing profile) was changed, by this member of staff'),
    z.object({ type: z.literal('resync') }).describe('messages may have been missed: refetch what is shown'),
  ])
  .meta({ id: 'LiveMessage' });

/** What reaches a console: everything but the messages meant for the server itself. */
type ConsoleMessage = Exclude<LiveMessage, { type: 'staff.sessions_ended' | 'staff.session_ended' }>;

/** How often an open stream checks that its session has not expired (a message due to it is checked first anyway). */
export const LIVE_SESSION_CHECK_MS = 30_000;

/** Whether a message says the session behind a stream has ended (signed out, or ended with the person's other sessions). */
export function endsSession(message: LiveMessage, session: { staffId: string; sessionId: string }): boolean {
  if (message.type === 'staff.session_ended') return message.sessionId === session.sessionId;
  if (message.type === 'staff.sessions_ended') return message.staffId === session.staffId && message.keptSessionId !== session.sessionId;
  return false;
}
// A live message the schema above does not describe fails to compile here.
const toConsole = (message: ConsoleMessage): z.output<typeof consoleLiveMessage> => message;

/**
 * The permission a member of staff needs to hear a message, beyond the one that opens the stream
 * (`contacts:read`): the control room's messages name incidents and units, which only staff who
 * may see incidents are told of; a case's alerts only supervisors who may list alerts; a change of
 * journey rules goes to those who may read them. Null: everyone on the stream hears it.
 */
export function permissionToHear(message: ConsoleMessage): Permission | null {
  switch (message.type) {
    case 'incidents.changed':
    case 'units.changed':
    case 'areas.changed':
      // Those who may read the areas (GET /api/areas): the control room's map and the areas page.
      return 'incidents:read';
    case 'alert.raised':
      // A case's alert is shown only in the supervisors' alert list (GET /api/alerts): those who
      // cannot list alerts are not told that one exists (decision 0128).
      return 'incidentId' in message ? 'incidents:read' : 'caseId' in message ? 'routing:supervise' : null;
    case 'alert.acknowledged':
      return message.caseId !== undefined ? 'routing:supervise' : null;
    case 'alert.put_right':
      return 'routing:supervise';
    case 'journey_rules.changed':
      return 'journeys:read';
    case 'print_queue.changed':
      // Those who may read the print queue (GET /api/outbox/letters): a letter names a victim's case.
      return 'cases:read';
    case 'record.changed':
      return permissionToFollow(message.record);
    default:
      return null;
  }
}

/**
 * Who hears that a record edited from the version opened changed: those who may open a page that
 * follows it (decisions 0096, 0102, 0105). That is those who may change it (a form open on it),
 * except the queue rules and the queues they name: the queue rules page opens read-only to anyone
 * who reads contacts, as `GET /api/queues` does, and follows both, so everyone on the stream hears them.
 */
function permissionToFollow(record: EditedRecord): Permission | null {
  switch (record) {
    case 'queue':
    case 'queue_rules':
      return null;
    case 'journey_rule':
    case 'template':
      return 'force:settings';
    case 'channel_targets':
    case 'staff_profile':
      return 'routing:manage';
    case 'staff_role':
      return 'staff:manage';
    case 'channel_account':
      return 'channels:manage';
  }
}

/** Whether staff of this role hear the message (they are of its force: the hub sends a force's messages only to its own). */
export function isHeardBy(message: ConsoleMessage, role: StaffRole): boolean {
  const needed = permissionToHear(message);
  return needed === null || roleHasPermission(role, needed);
}

/**
 * The live stream of queue, alert and control-room changes for signed-in staff of one force,
 * each message only to the roles allowed to hear it (`permissionToHear`). The session cookie
 * authenticates it; a cross-site page cannot open it because the Origin must be our own host.
 * It lasts no longer than its session: it closes (4401) when the session is signed out or ended,
 * in whichever process, and when the session expires by the clock, checked before every message.
 * Every LIVE_SESSION_CHECK_MS, and when the listener comes back (`resync`), the session is read
 * again, so an end whose notice was missed closes it too, and a new role applies.
 */
export function registerLiveRoute(app: FastifyInstance, deps: ServiceDeps, hub: LiveHub): void {
  staffSocketRoute(app, deps, {
    url: '/api/live',
    permission: 'contacts:read',
    audit: 'live.subscribe',
    summary: "The live stream of the force's queue, alert and control-room changes (a WebSocket of JSON messages)",
    tags: ['live'],
    messages: consoleLiveMessage,
    refuse: (request) =>
      isSameOrigin(request.headers.origin, request.headers.host)
        ? null
        : { status: 403, code: 'forbidden', message: 'Cross-site live connections are refused' },
    handler: ({ socket, staff, send }) => {
      // The role as it now is: a change of role reaches the stream at its next check.
      let role = staff.role;
      const hasExpired = () => deps.clock.now().getTime() >= staff.sessionExpiresAt.getTime();
      const closeIfExpired = (): boolean => {
        if (!hasExpired()) return false;
        socket.close(4401, 'session expired');
        return true;
      };
      // The session read again: one ended while its notice could not arrive (the listener down,
      // another process) is closed here, at the stream's next check or when the listener is back.
      const checkSession = async () => {
        if (closeIfExpired()) return;
        const current = await findLiveSession(deps.db, deps.clock, staff.sessionId).catch(() => undefined);
        if (current === undefined) return; // the database away: checked again next time
        if (current === null) socket.close(4401, 'session ended');
        else if (!roleHasPermission(current.role, 'contacts:read')) socket.close(4403, 'role changed');
        else role = current.role;
      };
      const unsubscribe = hub.subscribe(staff.forceId, (message) => {
        if (message.type === 'staff.sessions_ended' || message.type === 'staff.session_ended') {
          // An ended session must stop hearing the force's queue at once, not when it next reconnects.
          if (endsSession(message, staff)) socket.close(4401, 'session ended');
          return;
        }
        if (closeIfExpired()) return;
        if (message.type === 'resync') void checkSession();
        if (isHeardBy(message, role)) send(toConsole(message));
      });
      // A quiet stream is checked too, so an expired or ended session does not stay connected until something happens.
      const expiryCheck = setInterval(() => void checkSession(), LIVE_SESSION_CHECK_MS);
      expiryCheck.unref();
      send({ type: 'hello' });
      socket.on('message', () => {
        // The stream is one-way; anything a client sends is ignored.
      });
      socket.on('close', () => {
        clearInterval(expiryCheck);
        unsubscribe();
      });
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
