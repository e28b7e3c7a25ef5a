// Thin JSON client for the Bluelamp API. Same origin, cookie session, CSRF header on POST.
import type {
  AlertView,
  AssignedFilter,
  AuditVerifyResult,
  CloseOutcome,
  ContactDetail,
  ContactMessage,
  ContactRecord,
  ContactSummary,
  Job,
  JobState,
  MyRouting,
  OutboxMessage,
  Presence,
  RoutingBoard,
  Session,
  StaffAccount,
} from './types';

export interface FieldError {
  path: string;
  message: string;
}

/** Anything the UI can show in an error summary. */
export interface UiError {
  message: string;
  fields: FieldError[];
}

export class ApiError extends Error implements UiError {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];

  constructor(status: number, code: string, message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
  }
}

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any authenticated request answers 401 (session expired or revoked). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

export function toUiError(err: unknown): UiError {
  if (err instanceof ApiError) return err;
  return { message: 'Something went wrong. Try again.', fields: [] };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseFields(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  const fields: FieldError[] = [];
  for (const item of value as unknown[]) {
    if (isRecord(item) && typeof item.message === 'string') {
      fields.push({ path: typeof item.path === 'string' ? item.path : '', message: item.message });
    }
  }
  return fields;
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Your session has ended. Sign in again.';
  if (status === 403) return 'You do not have permission to do that.';
  if (status === 404) return 'That record could not be found.';
  if (status === 409) return 'That change conflicts with the current state. Refresh and try again.';
  if (status === 429) return 'Too many attempts. Wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on the server. Try again.';
  return 'The request could not be completed.';
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return (await res.json()) as unknown;
  } catch {
    return null;
  }
}

interface RequestOptions {
  signal?: AbortSignal;
  /** When false, a 401 is reported to the caller instead of ending the session. */
  sessionRequired?: boolean;
}

async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', signal: options.signal };
  if (method === 'POST') {
    headers['content-type'] = 'application/json';
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    // Always send a JSON body: an empty body with a JSON content type is rejected by Fastify.
    init.body = JSON.stringify(body ?? {});
  }

  let res: Response;
  const sentAt = Date.now();
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  noteServerDate(res.headers.get('date'), sentAt, Date.now());

  const data = await readBody(res);
  if (res.ok) return data as T;

  const error = isRecord(data) && isRecord(data.error) ? data.error : {};
  const apiError = new ApiError(
    res.status,
    typeof error.code === 'string' ? error.code : `http_${res.status}`,
    typeof error.message === 'string' && error.message ? error.message : fallbackMessage(res.status),
    parseFields(error.fields),
  );
  if (res.status === 401 && options.sessionRequired !== false) unauthorizedHandler?.();
  throw apiError;
}

// --- the server's clock ----------------------------------------------------------
// SLA deadlines are the server's; a staff PC's clock can be minutes out, which matters when a
// target is two minutes. Each response's Date header (whole seconds) bounds the difference between
// the two clocks; successive bounds are intersected and the middle of what remains is used.

let offsetBounds: { low: number; high: number } | null = null;

function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  // The server stamped the response at some moment in [server, server + 1 s) of its clock,
  // while this browser's clock was between sentAt and receivedAt.
  const low = server - receivedAt;
  const high = server + 1000 - sentAt;
  if (offsetBounds && low <= offsetBounds.high && high >= offsetBounds.low) {
    offsetBounds = { low: Math.max(low, offsetBounds.low), high: Math.min(high, offsetBounds.high) };
  } else {
    // The first reading, or one of the clocks was changed: start again.
    offsetBounds = { low, high };
  }
}

/** The server's clock minus this browser's, in ms (0 until a response has been seen). */
export function serverClockOffset(): number {
  return offsetBounds ? Math.round((offsetBounds.low + offsetBounds.high) / 2) : 0;
}

const enc = encodeURIComponent;

// --- auth ---------------------------------------------------------------------

export function login(email: string, password: string): Promise<Session> {
  return request<Session>('POST', '/api/auth/login', { email, password }, { sessionRequired: false });
}

export function logout(): Promise<null> {
  return request<null>('POST', '/api/auth/logout', {}, { sessionRequired: false });
}

export function fetchSession(signal?: AbortSignal): Promise<Session> {
  return request<Session>('GET', '/api/auth/me', undefined, { signal, sessionRequired: false });
}

/** Changes the signed-in person's password; a refusal names each field (body.currentPassword, body.newPassword). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await request('POST', '/api/auth/password', { currentPassword, newPassword });
}

// --- staff accounts (force admin) ------------------------------------------------

export async function listStaffAccounts(signal?: AbortSignal): Promise<StaffAccount[]> {
  const data = await request<{ staff: StaffAccount[] }>('GET', '/api/staff', undefined, { signal });
  return data.staff;
}

/** Returns the new one-time password: the only time it is ever shown. */
export async function resetStaffPassword(staffId: string): Promise<{ oneTimePassword: string; sessionsEnded: number }> {
  return request('POST', `/api/staff/${enc(staffId)}/reset-password`, {});
}

export async function deactivateStaff(staffId: string, reason?: string): Promise<{ sessionsEnded: number; returnedContacts: number }> {
  return request('POST', `/api/staff/${enc(staffId)}/deactivate`, reason ? { reason } : {});
}

export async function reactivateStaff(staffId: string): Promise<void> {
  await request('POST', `/api/staff/${enc(staffId)}/reactivate`, {});
}

// --- contacts -----------------------------------------------------------------

export async function listOpenContacts(signal?: AbortSignal, assigned: AssignedFilter = 'any'): Promise<ContactSummary[]> {
  const data = await request<{ contacts: ContactSummary[] }>('GET', `/api/contacts?status=open&assigned=${enc(assigned)}`, undefined, { signal });
  return data.contacts;
}

export function getContact(id: string, signal?: AbortSignal): Promise<ContactDetail> {
  return request<ContactDetail>('GET', `/api/contacts/${enc(id)}`, undefined, { signal });
}

export async function sendReply(id: string, body: string): Promise<ContactMessage> {
  const data = await request<{ message: ContactMessage }>('POST', `/api/contacts/${enc(id)}/replies`, { body });
  return data.message;
}

export async function closeContact(id: string, outcome: CloseOutcome, note?: string): Promise<ContactRecord> {
  const payload: { outcome: CloseOutcome; note?: string } = { outcome };
  if (note) payload.note = note;
  const data = await request<{ contact: ContactRecord }>('POST', `/api/contacts/${enc(id)}/close`, payload);
  return data.contact;
}

export async function createCase(id: string): Promise<{ id: string; reference: string }> {
  const data = await request<{ case: { id: string; reference: string } }>('POST', `/api/contacts/${enc(id)}/case`, {});
  return data.case;
}

// --- admin --------------------------------------------------------------------

export async function listOutbox(signal?: AbortSignal): Promise<OutboxMessage[]> {
  const data = await request<{ messages: OutboxMessage[] }>('GET', '/api/outbox', undefined, { signal });
  return data.messages;
}

export async function listJobs(state: JobState, signal?: AbortSignal): Promise<Job[]> {
  const data = await request<{ jobs: Job[] }>('GET', `/api/jobs?state=${enc(state)}`, undefined, { signal });
  return data.jobs;
}

export async function retryJob(id: string): Promise<Job> {
  const data = await request<{ job: Job }>('POST', `/api/jobs/${enc(id)}/retry`, {});
  return data.job;
}

export function verifyAudit(signal?: AbortSignal): Promise<AuditVerifyResult> {
  return request<AuditVerifyResult>('GET', '/api/audit/verify', undefined, { signal });
}

// --- THRIVE and grading ------------------------------------------------------

export function getThrive(id: string, signal?: AbortSignal): Promise<import('./types').ThriveView> {
  return request('GET', `/api/contacts/${enc(id)}/thrive`, undefined, { signal });
}

export function submitThrive(
  id: string,
  assessment: Record<import('./types').ThriveElement, import('./types').ThriveElementValue>,
): Promise<import('./types').ThriveView> {
  return request('POST', `/api/contacts/${enc(id)}/thrive`, assessment);
}

export async function listGrades(signal?: AbortSignal): Promise<import('./types').GradeDefinition[]> {
  const data = await request<{ grades: import('./types').GradeDefinition[] }>('GET', '/api/grades', undefined, { signal });
  return data.grades;
}

export function getGrade(id: string, signal?: AbortSignal): Promise<import('./types').GradeView> {
  return request('GET', `/api/contacts/${enc(id)}/grade`, undefined, { signal });
}

export function setGrade(id: string, grade: import('./types').Grade, reason?: string): Promise<import('./types').GradeView> {
  const payload: { grade: import('./types').Grade; reason?: string } = { grade };
  if (reason) payload.reason = reason;
  return request('POST', `/api/contacts/${enc(id)}/grade`, payload);
}

// --- triage rules -----------------------------------------------------------------

export function listTriageRuleSets(
  signal?: AbortSignal,
): Promise<{ ruleSets: import('./types').TriageRuleSetSummary[]; categories: string[] }> {
  return request('GET', '/api/triage/rule-sets', undefined, { signal });
}

export async function getTriageRuleSet(version: number, signal?: AbortSignal): Promise<import('./types').TriageRuleView[]> {
  const data = await request<{ ruleSet: { rules: import('./types').TriageRuleView[] } }>('GET', `/api/triage/rule-sets/${version}`, undefined, { signal });
  return data.ruleSet.rules;
}

export async function createTriageRuleSet(rules: import('./types').TriageRuleInput[]): Promise<number> {
  const data = await request<{ version: number }>('POST', '/api/triage/rule-sets', { rules });
  return data.version;
}

export async function activateTriageRuleSet(version: number): Promise<void> {
  await request('POST', `/api/triage/rule-sets/${version}/activate`, {});
}

export async function tryTriage(text: string, version?: number, channel?: string): Promise<import('./types').TriageResultView> {
  const data = await request<{ result: import('./types').TriageResultView }>('POST', '/api/triage/try', {
    text,
    ...(version ? { version } : {}),
    ...(channel ? { channel } : {}),
  });
  return data.result;
}

// --- routing: presence, moving contacts, alerts (see docs/routing.md) -------------------

export function getMyRouting(signal?: AbortSignal): Promise<MyRouting> {
  return request<MyRouting>('GET', '/api/me/routing', undefined, { signal });
}

export async function setMyPresence(presence: Presence, signal?: AbortSignal): Promise<Presence> {
  const data = await request<{ presence: Presence }>('POST', '/api/me/presence', { presence }, { signal });
  return data.presence;
}

/** Tells the server the console is open, which keeps an available person eligible for work. */
export async function sendHeartbeat(): Promise<void> {
  await request<null>('POST', '/api/me/heartbeat', {});
}

export function getRoutingBoard(signal?: AbortSignal): Promise<RoutingBoard> {
  return request<RoutingBoard>('GET', '/api/routing/board', undefined, { signal });
}

/** A supervisor sets someone's presence; going offline returns their contacts to the queue. */
export async function setStaffPresence(staffId: string, presence: Presence): Promise<{ presence: Presence; returnedContacts: number }> {
  return request('POST', `/api/routing/staff/${enc(staffId)}/presence`, { presence });
}

export async function takeContact(contactId: string): Promise<void> {
  await request('POST', `/api/contacts/${enc(contactId)}/take`, {});
}

export async function assignContactTo(contactId: string, staffId: string): Promise<void> {
  await request('POST', `/api/contacts/${enc(contactId)}/assign`, { staffId });
}

export async function takeBackContact(contactId: string, reason?: string): Promise<void> {
  await request('POST', `/api/contacts/${enc(contactId)}/take-back`, reason ? { reason } : {});
}

export async function escalateContact(contactId: string, reason: string): Promise<{ queueId: string; queueName: string }> {
  const data = await request<{ queue: { queueId: string; queueName: string } }>('POST', `/api/contacts/${enc(contactId)}/escalate`, { reason });
  return data.queue;
}

export async function requestCallback(contactId: string, input: { number?: string; note?: string }): Promise<{ id: string; reference: string }> {
  const payload: { number?: string; note?: string } = {};
  if (input.number) payload.number = input.number;
  if (input.note) payload.note = input.note;
  const data = await request<{ callback: { id: string; reference: string } }>('POST', `/api/contacts/${enc(contactId)}/callback`, payload);
  return data.callback;
}

export async function listOpenAlerts(signal?: AbortSignal): Promise<AlertView[]> {
  const data = await request<{ alerts: AlertView[] }>('GET', '/api/alerts', undefined, { signal });
  return data.alerts;
}

export async function acknowledgeAlert(alertId: string, note?: string): Promise<AlertView> {
  const data = await request<{ alert: AlertView }>('POST', `/api/alerts/${enc(alertId)}/acknowledge`, note ? { note } : {});
  return data.alert;
}
