import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import type { StaffRole } from '../../src/platform/auth/permissions.ts';

/**
 * The role matrix of every staff route, written out by hand: this is the policy, so a change to a
 * route's permission or to a role's permissions has to change this table too.
 */
const ROLE_EMAILS: Record<StaffRole, string> = {
  call_handler: 'handler@demo.police.uk',
  digital_desk_operator: 'desk@demo.police.uk',
  dispatcher: 'dispatch@demo.police.uk',
  supervisor: 'supervisor@demo.police.uk',
  investigator: 'investigator@demo.police.uk',
  force_admin: 'admin@demo.police.uk',
};
const ALL_ROLES = Object.keys(ROLE_EMAILS) as StaffRole[];
const CONTACT_WORKERS: StaffRole[] = ['call_handler', 'digital_desk_operator', 'supervisor'];
const INCIDENT_WRITERS: StaffRole[] = [...CONTACT_WORKERS, 'dispatcher'];
const CASE_WORKERS: StaffRole[] = ['supervisor', 'investigator'];
const DISPATCHERS: StaffRole[] = ['dispatcher', 'supervisor'];
const UNIT_MANAGERS: StaffRole[] = ['supervisor', 'force_admin'];

/** An id that is well formed but names nothing, so permitted actions get as far as 404. */
const MISSING_ID = '00000000-0000-4000-8000-00000000dead';

type StaffRouteCase = {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** As in the route file, with `:id`. */
  url: string;
  allowed: StaffRole[];
  /** What a permitted role gets for the request below. */
  allowedStatus: number;
  payload?: object;
  query?: string;
};

/** A complete, valid THRIVE assessment, so permitted roles get as far as the missing contact. */
const THRIVE_PAYLOAD = Object.fromEntries(
  (
    [
      ['threat', 'low'],
      ['harm', 'low'],
      ['risk', 'low'],
      ['investigation', 'none'],
      ['vulnerability', 'none'],
      ['engagement', 'engaged'],
    ] as const
  ).map(([element, rating]) => [element, { rating, rationale: 'Checked with the caller.' }]),
);

const STAFF_ROUTES: StaffRouteCase[] = [
  { method: 'GET', url: '/api/contacts', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'GET', url: '/api/contacts/search', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'GET', url: '/api/contacts/:id', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'GET', url: '/api/attachments/:id', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/attachments/:id/retry', allowed: CONTACT_WORKERS, allowedStatus: 404 },
  { method: 'POST', url: '/api/contacts/:id/replies', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { body: 'Hello' } },
  { method: 'POST', url: '/api/contacts/:id/close', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { outcome: 'advice_given' } },
  { method: 'POST', url: '/api/contacts/:id/reopen', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { reason: 'more to say' } },
  { method: 'POST', url: '/api/contacts/:id/case', allowed: [...CONTACT_WORKERS, 'investigator'], allowedStatus: 404, payload: {} },
  { method: 'GET', url: '/api/outbox', allowed: ['supervisor', 'force_admin'], allowedStatus: 200 },
  { method: 'GET', url: '/api/sms-opt-outs', allowed: ['supervisor', 'force_admin'], allowedStatus: 200 },
  { method: 'POST', url: '/api/sms-opt-outs', allowed: ['supervisor', 'force_admin'], allowedStatus: 400, payload: { number: 'not a number', reason: 'Asked by phone' } },
  { method: 'POST', url: '/api/sms-opt-outs/lift', allowed: ['supervisor', 'force_admin'], allowedStatus: 409, payload: { number: '07700 900999', reason: 'Asked for texts again' } },
  { method: 'POST', url: '/api/outbox/:id/send-again', allowed: ['supervisor', 'force_admin'], allowedStatus: 404 },
  { method: 'POST', url: '/api/outbox/:id/withdraw', allowed: ['supervisor', 'investigator', 'force_admin'], allowedStatus: 404, payload: { reason: 'Not safe to send' } },
  { method: 'GET', url: '/api/jobs', allowed: ['force_admin'], allowedStatus: 200, query: '?state=dead' },
  { method: 'POST', url: '/api/jobs/:id/retry', allowed: ['force_admin'], allowedStatus: 404 },
  { method: 'GET', url: '/api/outbox/letters', allowed: CASE_WORKERS, allowedStatus: 200 },
  { method: 'POST', url: '/api/outbox/letters/:id/printed', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'GET', url: '/api/audit/verify', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'GET', url: '/api/people', allowed: ALL_ROLES, allowedStatus: 200, query: '?kind=email&value=nobody%40example.org' },
  { method: 'GET', url: '/api/people/:id', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/people/:id/links', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { personId: '00000000-0000-4000-8000-00000000beef', reason: 'same phone number' } },
  { method: 'POST', url: '/api/people/:id/links/:linkId/unlink', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { reason: 'not the same' } },
  { method: 'GET', url: '/api/channels', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'POST', url: '/api/channels', allowed: ['force_admin'], allowedStatus: 400, payload: { channel: 'no-such-channel', label: 'x', config: {} } },
  { method: 'GET', url: '/api/channels/kinds', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'GET', url: '/api/channels/inbound', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'POST', url: '/api/channels/inbound/:id/replay', allowed: ['force_admin'], allowedStatus: 404 },
  { method: 'GET', url: '/api/contacts/:id/thrive', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/contacts/:id/thrive', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: THRIVE_PAYLOAD },
  { method: 'GET', url: '/api/grades', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'GET', url: '/api/contacts/:id/grade', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/contacts/:id/grade', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { grade: 'scheduled' } },
  { method: 'GET', url: '/api/routing/board', allowed: ['supervisor'], allowedStatus: 200 },
  { method: 'GET', url: '/api/me/routing', allowed: CONTACT_WORKERS, allowedStatus: 200 },
  { method: 'POST', url: '/api/me/presence', allowed: CONTACT_WORKERS, allowedStatus: 200, payload: { presence: 'away' } },
  { method: 'POST', url: '/api/me/heartbeat', allowed: CONTACT_WORKERS, allowedStatus: 204, payload: {} },
  { method: 'POST', url: '/api/routing/staff/:id/presence', allowed: ['supervisor'], allowedStatus: 404, payload: { presence: 'offline' } },
  { method: 'POST', url: '/api/routing/staff/:id/profile', allowed: ['supervisor', 'force_admin'], allowedStatus: 404, payload: { skills: ['welsh'] } },
  { method: 'POST', url: '/api/contacts/:id/take', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: {} },
  { method: 'POST', url: '/api/contacts/:id/assign', allowed: ['supervisor'], allowedStatus: 404, payload: { staffId: '00000000-0000-4000-8000-00000000beef' } },
  { method: 'POST', url: '/api/contacts/:id/take-back', allowed: ['supervisor'], allowedStatus: 404, payload: {} },
  { method: 'POST', url: '/api/contacts/:id/escalate', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { reason: 'THRIVE found a risk to life' } },
  { method: 'POST', url: '/api/contacts/:id/callback', allowed: CONTACT_WORKERS, allowedStatus: 404, payload: { number: '+447700900123' } },
  { method: 'GET', url: '/api/alerts', allowed: ['supervisor'], allowedStatus: 200 },
  { method: 'POST', url: '/api/alerts/:id/acknowledge', allowed: ['supervisor'], allowedStatus: 404, payload: {} },
  { method: 'GET', url: '/api/queues', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'GET', url: '/api/channel-sla-targets', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'PUT', url: '/api/channel-sla-targets', allowed: ['supervisor', 'force_admin'], allowedStatus: 400, payload: {} },
  { method: 'POST', url: '/api/queues/:id', allowed: ['supervisor', 'force_admin'], allowedStatus: 404, payload: { warnAtPercent: 80 } },
  { method: 'POST', url: '/api/queues/rules', allowed: ['supervisor', 'force_admin'], allowedStatus: 400, payload: { rules: [{ queueId: '00000000-0000-4000-8000-00000000beef' }] } },
  { method: 'POST', url: '/api/queues/:id/default', allowed: ['supervisor', 'force_admin'], allowedStatus: 404, payload: {} },
  // Triage rules: ':version' is not replaced by concreteUrl, so permitted roles get 400 (not a number).
  { method: 'GET', url: '/api/triage/rule-sets', allowed: ['supervisor', 'force_admin'], allowedStatus: 200 },
  { method: 'GET', url: '/api/triage/rule-sets/:version', allowed: ['supervisor', 'force_admin'], allowedStatus: 400 },
  { method: 'POST', url: '/api/triage/rule-sets', allowed: ['supervisor', 'force_admin'], allowedStatus: 400, payload: { rules: [{ phrase: '', category: 'weapons', weight: 1 }] } },
  { method: 'POST', url: '/api/triage/rule-sets/:version/activate', allowed: ['supervisor', 'force_admin'], allowedStatus: 400 },
  { method: 'POST', url: '/api/triage/try', allowed: ['supervisor', 'force_admin'], allowedStatus: 200, payload: { text: 'he has a knife' } },
  { method: 'GET', url: '/api/force/settings', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'POST', url: '/api/force/settings', allowed: ['force_admin'], allowedStatus: 200, payload: { reopenClosedWithinHours: 48 } },
  { method: 'GET', url: '/api/force/trusted-addresses', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'POST', url: '/api/force/trusted-addresses', allowed: ['force_admin'], allowedStatus: 400, payload: { address: 'not an address' } },
  { method: 'POST', url: '/api/force/trusted-addresses/remove', allowed: ['force_admin'], allowedStatus: 409, payload: { address: 'nobody@example.org' } },
  { method: 'GET', url: '/api/auth/me', allowed: ALL_ROLES, allowedStatus: 200 },
  // Logout ends the session it is called with; it is exercised per role with a fresh session.
  { method: 'POST', url: '/api/auth/logout', allowed: ALL_ROLES, allowedStatus: 204 },
  // A wrong current password gets as far as the check, and changes nothing.
  { method: 'POST', url: '/api/auth/password', allowed: ALL_ROLES, allowedStatus: 400, payload: { currentPassword: 'not-the-password', newPassword: 'a long enough passphrase' } },
  { method: 'GET', url: '/api/staff', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'POST', url: '/api/staff/:id/reset-password', allowed: ['force_admin'], allowedStatus: 404, payload: {} },
  { method: 'POST', url: '/api/staff/:id/deactivate', allowed: ['force_admin'], allowedStatus: 404, payload: {} },
  { method: 'POST', url: '/api/staff/:id/reactivate', allowed: ['force_admin'], allowedStatus: 404, payload: {} },
  { method: 'GET', url: '/api/cases', allowed: CASE_WORKERS, allowedStatus: 200 },
  { method: 'POST', url: '/api/cases', allowed: CASE_WORKERS, allowedStatus: 201, payload: { summary: 'A case recorded by the permission test' } },
  { method: 'GET', url: '/api/cases/catalogues', allowed: CASE_WORKERS, allowedStatus: 200 },
  { method: 'GET', url: '/api/cases/:id', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'POST', url: '/api/cases/:id/milestones', allowed: CASE_WORKERS, allowedStatus: 404, payload: { type: 'investigate' } },
  { method: 'GET', url: '/api/cases/:id/messages', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'GET', url: '/api/cases/:id/appointments', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'GET', url: '/api/cases/:id/conversation', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'POST', url: '/api/cases/:id/conversation/replies', allowed: CASE_WORKERS, allowedStatus: 404, payload: { contactId: '00000000-0000-4000-8000-000000000000', body: 'Thank you' } },
  { method: 'GET', url: '/api/online-reports/queue', allowed: CASE_WORKERS, allowedStatus: 200 },
  { method: 'GET', url: '/api/online-reports/dashboard', allowed: CASE_WORKERS, allowedStatus: 200 },
  { method: 'POST', url: '/api/online-reports/:id/process', allowed: CASE_WORKERS, allowedStatus: 404, payload: {} },
  { method: 'POST', url: '/api/online-reports/:id/classify', allowed: CASE_WORKERS, allowedStatus: 404, payload: { crimeType: 'THF-BRE' } },
  { method: 'GET', url: '/api/integrations/records/tokens', allowed: ['force_admin'], allowedStatus: 200 },
  // An empty label is refused (400) after the permission check, so no token is made.
  { method: 'POST', url: '/api/integrations/records/tokens', allowed: ['force_admin'], allowedStatus: 400, payload: { label: '' } },
  { method: 'POST', url: '/api/integrations/records/tokens/rotate', allowed: ['force_admin'], allowedStatus: 400, payload: { label: '' } },
  { method: 'POST', url: '/api/integrations/records/tokens/:id/revoke', allowed: ['force_admin'], allowedStatus: 404, payload: {} },
  { method: 'GET', url: '/api/integrations/tracking/tokens', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'POST', url: '/api/integrations/tracking/tokens', allowed: ['force_admin'], allowedStatus: 400, payload: { label: '' } },
  { method: 'POST', url: '/api/integrations/tracking/tokens/:id/revoke', allowed: ['force_admin'], allowedStatus: 404, payload: {} },
  { method: 'GET', url: '/api/integrations/records/mapping', allowed: ['force_admin'], allowedStatus: 200 },
  { method: 'PUT', url: '/api/integrations/records/mapping', allowed: ['force_admin'], allowedStatus: 400, payload: { statuses: [{ system: '*', code: 'X', moves: ['close'] }] } },
  { method: 'GET', url: '/api/cases/victim-updates', allowed: CASE_WORKERS, allowedStatus: 200 },
  { method: 'GET', url: '/api/cases/:id/victim-updates', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'POST', url: '/api/cases/:id/victim-updates/:updateId/informed', allowed: CASE_WORKERS, allowedStatus: 404, payload: { how: 'phone' } },
  { method: 'GET', url: '/api/reports/victims-code', allowed: ['supervisor'], allowedStatus: 200 },
  // Without from and to, permitted roles get as far as validation (400).
  { method: 'GET', url: '/api/reports/satisfaction', allowed: CASE_WORKERS, allowedStatus: 400 },
  { method: 'GET', url: '/api/help-articles', allowed: ['force_admin'], allowedStatus: 200 },
  // An article without its Welsh, so permitted roles get as far as validation and add nothing.
  { method: 'POST', url: '/api/help-articles', allowed: ['force_admin'], allowedStatus: 400, payload: { slug: 'x', title: 'x', body: 'x' } },
  { method: 'POST', url: '/api/help-articles/:id', allowed: ['force_admin'], allowedStatus: 404, payload: { published: false } },
  { method: 'POST', url: '/api/cases/:id/people', allowed: CASE_WORKERS, allowedStatus: 404, payload: { role: 'witness', name: 'A Witness' } },
  { method: 'PATCH', url: '/api/cases/:id/people/:casePersonId', allowed: CASE_WORKERS, allowedStatus: 404, payload: { enhancedRights: true } },
  { method: 'DELETE', url: '/api/cases/:id/people/:casePersonId', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'GET', url: '/api/cases/:id/victims/:victimId/preferences', allowed: CASE_WORKERS, allowedStatus: 404 },
  { method: 'PUT', url: '/api/cases/:id/victims/:victimId/preferences', allowed: CASE_WORKERS, allowedStatus: 404, payload: { channels: ['portal'], language: null, safeWindows: [], neverSms: true, portalOnly: true, optOutNonStatutory: false, domesticAbuse: true } },
  // An invalid new member of staff, so permitted roles get as far as validation and add nobody.
  { method: 'POST', url: '/api/staff', allowed: ['force_admin'], allowedStatus: 400, payload: { name: '', email: 'x', role: 'call_handler' } },
  { method: 'POST', url: '/api/staff/:id/role', allowed: ['force_admin'], allowedStatus: 404, payload: { role: 'investigator' } },
  { method: 'POST', url: '/api/channels/:id', allowed: ['force_admin'], allowedStatus: 404, payload: { isEnabled: true } },
  { method: 'GET', url: '/api/channels/:id/settings', allowed: ['force_admin'], allowedStatus: 404 },
  { method: 'GET', url: '/api/channels/:id/mailbox', allowed: ['force_admin'], allowedStatus: 404 },
  { method: 'POST', url: '/api/channels/:id/reconnect', allowed: ['force_admin'], allowedStatus: 404, payload: { label: 'x', config: {} } },
  { method: 'GET', url: '/api/templates', allowed: ['force_admin'], allowedStatus: 200 },
  // ':key' is not replaced by concreteUrl, so permitted roles get 400 (not a template key).
  { method: 'POST', url: '/api/templates/:key', allowed: ['force_admin'], allowedStatus: 400, payload: { locale: 'en', subject: 'S', body: '{{body}}' } },
  { method: 'POST', url: '/api/templates/:key/preview', allowed: ['force_admin'], allowedStatus: 400, payload: { subject: 'S', body: '{{body}}' } },
  { method: 'GET', url: '/api/templates/:key/versions', allowed: ['force_admin'], allowedStatus: 400, query: '?locale=en' },
  { method: 'POST', url: '/api/templates/:key/test-send', allowed: ['force_admin'], allowedStatus: 400, payload: { locale: 'en' } },
  { method: 'GET', url: '/api/journey-rules', allowed: ['supervisor', 'investigator', 'force_admin'], allowedStatus: 200 },
  // An empty rule, so permitted roles get as far as validation and add nothing.
  { method: 'POST', url: '/api/journey-rules', allowed: ['force_admin'], allowedStatus: 400, payload: {} },
  { method: 'POST', url: '/api/journey-rules/:id', allowed: ['force_admin'], allowedStatus: 404, payload: { delayMinutes: 5 } },
  { method: 'POST', url: '/api/journey-rules/:id/active', allowed: ['force_admin'], allowedStatus: 404, payload: { active: false } },
  // A list that leaves every rule out is refused, so the order is unchanged.
  { method: 'PUT', url: '/api/journey-rules/order', allowed: ['force_admin'], allowedStatus: 400, payload: { ruleIds: [MISSING_ID] } },
  { method: 'GET', url: '/api/incidents', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'POST', url: '/api/incidents', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { type: 'crime', contactIds: ['00000000-0000-4000-8000-00000000beef'] } },
  { method: 'GET', url: '/api/incidents/:id', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'PATCH', url: '/api/incidents/:id', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { summary: 'Man now seen with a knife' } },
  { method: 'GET', url: '/api/incidents/:id/eido', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/incidents/:id/contacts', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { contactId: '00000000-0000-4000-8000-00000000beef' } },
  { method: 'POST', url: '/api/incidents/:id/contacts/:contactId/unlink', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { reason: 'not the same event' } },
  { method: 'POST', url: '/api/incidents/:id/notes', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { body: 'Caller rang back' } },
  { method: 'PUT', url: '/api/incidents/:id/location', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { locationText: 'Castle Meadow' } },
  { method: 'GET', url: '/api/incidents/:id/recommendation', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/incidents/:id/dispatch', allowed: DISPATCHERS, allowedStatus: 404, payload: { unitIds: ['00000000-0000-4000-8000-00000000beef'] } },
  { method: 'POST', url: '/api/incidents/:id/status', allowed: DISPATCHERS, allowedStatus: 404, payload: { move: 'resolve' } },
  { method: 'GET', url: '/api/incidents/nearby', allowed: ALL_ROLES, allowedStatus: 200, query: '?lat=52.63&lon=1.29&type=crime' },
  { method: 'POST', url: '/api/incidents/:id/merge', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { intoIncidentId: '00000000-0000-4000-8000-00000000beef' } },
  { method: 'POST', url: '/api/incidents/:id/grade', allowed: INCIDENT_WRITERS, allowedStatus: 404, payload: { grade: 'immediate' } },
  { method: 'POST', url: '/api/incidents/:id/clocks/:clockId/breach-reason', allowed: DISPATCHERS, allowedStatus: 404, payload: { reasonCode: 'other', text: 'x' } },
  { method: 'GET', url: '/api/response-targets', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'GET', url: '/api/reports/response', allowed: ['supervisor', 'force_admin'], allowedStatus: 200 },
  { method: 'GET', url: '/api/reports/response.csv', allowed: ['supervisor', 'force_admin'], allowedStatus: 200 },
  // Empty lists are refused (400) after the permission check, so these change nothing.
  { method: 'PUT', url: '/api/response-targets', allowed: ['force_admin'], allowedStatus: 400, payload: { targets: [] } },
  { method: 'GET', url: '/api/breach-reasons', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'PUT', url: '/api/breach-reasons', allowed: ['force_admin'], allowedStatus: 400, payload: { entries: [] } },
  { method: 'GET', url: '/api/closing-codes', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'PUT', url: '/api/closing-codes', allowed: ['force_admin'], allowedStatus: 400, payload: { entries: [] } },
  { method: 'GET', url: '/api/incident-types', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'PUT', url: '/api/incident-types', allowed: ['force_admin'], allowedStatus: 400, payload: { entries: [] } },
  { method: 'GET', url: '/api/units', allowed: ALL_ROLES, allowedStatus: 200 },
  // An invalid unit, so permitted roles get as far as validation and add nothing.
  { method: 'POST', url: '/api/units', allowed: UNIT_MANAGERS, allowedStatus: 400, payload: { callSign: '', type: 'response' } },
  { method: 'GET', url: '/api/units/:id', allowed: ALL_ROLES, allowedStatus: 404 },
  { method: 'POST', url: '/api/units/:id', allowed: UNIT_MANAGERS, allowedStatus: 404, payload: { type: 'dog' } },
  { method: 'POST', url: '/api/units/:id/status', allowed: DISPATCHERS, allowedStatus: 404, payload: { status: 'en_route' } },
  { method: 'POST', url: '/api/units/:id/retire', allowed: UNIT_MANAGERS, allowedStatus: 404, payload: { reason: 'Sold at auction' } },
  { method: 'POST', url: '/api/units/:id/reinstate', allowed: UNIT_MANAGERS, allowedStatus: 404 },
  { method: 'GET', url: '/api/units/:id/positions', allowed: ALL_ROLES, allowedStatus: 404 },
  // A position for a unit the force does not have: refused with its reason, nothing stored.
  { method: 'POST', url: '/api/units/positions', allowed: DISPATCHERS, allowedStatus: 400, payload: { positions: [{ unitId: '00000000-0000-4000-8000-00000000beef', lat: 52.6, lon: 1.3, recordedAt: '2026-01-01T00:00:00Z' }] } },
  { method: 'GET', url: '/api/areas', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'GET', url: '/api/map', allowed: ALL_ROLES, allowedStatus: 200 },
  { method: 'POST', url: '/api/areas/import/preview', allowed: ['force_admin'], allowedStatus: 400, payload: {} },
  { method: 'POST', url: '/api/areas/import', allowed: ['force_admin'], allowedStatus: 400, payload: {} },
  { method: 'POST', url: '/api/areas/:id', allowed: ['force_admin'], allowedStatus: 404, payload: { setting: 'rural' } },
  { method: 'POST', url: '/api/areas/:id/remove', allowed: ['force_admin'], allowedStatus: 404, payload: {} },
  // The live WebSocket: a plain GET passes the same checks as the upgrade, then finds nothing to
  // answer (test/skeleton opens the socket itself).
  { method: 'GET', url: '/api/live', allowed: ALL_ROLES, allowedStatus: 404 },
];

/** Documented operations that are deliberately open to anyone. */
const PUBLIC_OPERATIONS = [
  'POST /api/auth/login',
  // For load balancers and clients: liveness, readiness, and the API document.
  'GET /healthz',
  'GET /readyz',
  'GET /api/openapi.json',
  // The chat widget's visitors: the session's own token guards its history and socket.
  'POST /chat/sessions',
  'GET /chat/sessions/{sessionId}/messages',
  'GET /chat/socket',
  // The force's records system: its bearer token, not a member of staff (test/cases/records-integration.test.ts refuses missing, wrong and revoked tokens).
  'POST /api/integrations/records/cases',
];
// Channel endpoints authenticate the provider (signature or token), not a member of staff; each
// channel's contract tests cover refusing unsigned and wrongly signed requests.
const isChannelEndpoint = (operation: string) => / \/(webhooks|api\/channels)\//.test(operation);

const concreteUrl = (route: StaffRouteCase) =>
  route.url.replace(':id', MISSING_ID).replace(':linkId', MISSING_ID).replace(':contactId', MISSING_ID).replace(':clockId', MISSING_ID).replace(':updateId', MISSING_ID).replace(':victimId', MISSING_ID).replace(':casePersonId', MISSING_ID) + (route.query ?? '');
const label = (route: { method: string; url: string }) => `${route.method} ${route.url}`;
type ErrorBody = { error: { code: string; message: string } };

describe('staff route permissions', () => {
  let app: TestApp;
  const sessions = new Map<StaffRole, Awaited<ReturnType<typeof signIn>>>();

  beforeAll(async () => {
    app = await createTestApp();
    for (const role of ALL_ROLES) sessions.set(role, await signIn(app, ROLE_EMAILS[role]));
  });
  afterAll(() => app.close());

  describe('without a session', () => {
    for (const route of STAFF_ROUTES) {
      it(`rejects-anonymous ${label(route)} with 401`, async () => {
        const response = await app.inject({
          method: route.method,
          url: concreteUrl(route),
          ...(route.payload ? { payload: route.payload } : {}),
        });
        expect(response.statusCode).toBe(401);
        expect(response.json<ErrorBody>().error.code).toBe('unauthenticated');
      });

      it(`rejects-anonymous ${label(route)} with 401 before looking at a malformed request`, async () => {
        const response = await app.inject({
          method: route.method,
          url: route.url.replace(':id', 'not-a-uuid').replace(':linkId', 'not-a-uuid') + '?state=bogus&status=bogus&limit=-1',
          ...(route.method !== 'GET' ? { payload: { unexpected: 'x'.repeat(100) } } : {}),
        });
        // Authentication runs before validation, so an anonymous caller learns nothing about the input.
        expect(response.statusCode).toBe(401);
        expect(response.json<ErrorBody>().error.code).toBe('unauthenticated');
      });
    }
  });

  describe('by role', () => {
    for (const route of STAFF_ROUTES) {
      for (const role of ALL_ROLES) {
        const isAllowed = route.allowed.includes(role);
        const name = isAllowed
          ? `lets ${role} through ${label(route)} (${route.allowedStatus})`
          : `denies-${role} ${label(route)} with 403`;
        it(name, async () => {
          const session = route.url === '/api/auth/logout' ? await signIn(app, ROLE_EMAILS[role]) : sessions.get(role);
          if (!session) throw new Error(`no session for ${role}`);
          const response = await app.inject({
            method: route.method,
            url: concreteUrl(route),
            headers: session.headers,
            ...(route.payload ? { payload: route.payload } : {}),
          });
          if (isAllowed) {
            expect(response.statusCode, response.body).toBe(route.allowedStatus);
          } else {
            expect(response.statusCode, response.body).toBe(403);
            expect(response.json<ErrorBody>().error.code).toBe('forbidden');
          }
        });
      }
    }

    it('denies-without-doing-anything: a forbidden reply stores nothing even on a real contact', async () => {
      const report = await submitPublicReport(app.deps, app.demoForceId, {
        submissionId: 'permissions-forbidden-reply',
        whatHappened: 'My shed was broken into',
        where: 'Allotments',
        when: 'this morning',
        name: null,
        email: 'shed@example.org',
      });
      for (const role of ['dispatcher', 'force_admin', 'investigator'] as const) {
        const session = sessions.get(role)!;
        const reply = await app.inject({
          method: 'POST',
          url: `/api/contacts/${report.contactId}/replies`,
          headers: session.headers,
          payload: { body: `Reply from ${role}` },
        });
        expect(reply.statusCode).toBe(403);
        const close = await app.inject({
          method: 'POST',
          url: `/api/contacts/${report.contactId}/close`,
          headers: session.headers,
          payload: { outcome: 'no_further_action' },
        });
        expect(close.statusCode).toBe(403);
      }
      const dispatcher = sessions.get('dispatcher')!;
      const caseAttempt = await app.inject({
        method: 'POST',
        url: `/api/contacts/${report.contactId}/case`,
        headers: dispatcher.headers,
        payload: {},
      });
      expect(caseAttempt.statusCode).toBe(403);
      const detail = await app.inject({ method: 'GET', url: `/api/contacts/${report.contactId}`, headers: dispatcher.headers });
      expect(detail.statusCode).toBe(200);
      const body = detail.json<{ contact: { status: string; caseId: string | null }; messages: { direction: string }[] }>();
      expect(body.contact.status).toBe('open');
      expect(body.contact.caseId).toBeNull();
      expect(body.messages.filter((m) => m.direction === 'outbound')).toHaveLength(0);
    });
  });

  describe('the OpenAPI document', () => {
    const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

    it('lists-every-staff-route-with-session-security-and-csrf-on-changes', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      const doc = response.json<{ paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>> }>();
      for (const route of STAFF_ROUTES) {
        const operation = doc.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
        expect(operation, `${label(route)} is not in the OpenAPI document`).toBeDefined();
        const security = route.method === 'GET' ? [{ session: [] }] : [{ session: [], csrf: [] }];
        // The one route an integration may also call with its token (decision 0203) lists that too.
        const alternatives = route.url === '/api/units/positions' ? [...security, { integrationToken: [] }] : security;
        expect(operation?.security, `${label(route)} is documented without session security`).toEqual(alternatives);
      }
    });

    it('has-no-undocumented-or-untested-operations: every documented operation is in this table or explicitly public', async () => {
      const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
        paths: Record<string, Record<string, { security?: unknown[]; 'x-permission'?: string }>>;
      }>();
      const documentedStaff: string[] = [];
      const documentedPublic: string[] = [];
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const [method, operation] of Object.entries(operations)) {
          const key = `${method.toUpperCase()} ${path}`;
          // By permission: the records system's route asks for its bearer token, yet no member of staff may call it.
          (operation['x-permission'] !== 'public' ? documentedStaff : documentedPublic).push(key);
        }
      }
      const tested = STAFF_ROUTES.map((route) => `${route.method} ${toOpenApiPath(route.url)}`);
      // A new staff route must be added to STAFF_ROUTES (and so get its 401/403 checks).
      expect(documentedStaff.sort()).toEqual([...tested].sort());
      // A new public operation must be a deliberate decision.
      expect(documentedPublic.filter((op) => !isChannelEndpoint(op)).sort()).toEqual([...PUBLIC_OPERATIONS].sort());
    });
  });
});
