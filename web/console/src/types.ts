// Shapes of the JSON returned by the Bluelamp server (see the API contract).

export type Role =
  | 'call_handler'
  | 'digital_desk_operator'
  | 'dispatcher'
  | 'supervisor'
  | 'investigator'
  | 'force_admin';

export type Permission =
  | 'contacts:read'
  | 'contacts:reply'
  | 'contacts:close'
  | 'cases:create'
  | 'outbox:read'
  | 'jobs:manage'
  | 'audit:verify'
  /** Set one's own presence, take a waiting contact, be given work. */
  | 'queue:work'
  /** Move a contact to the control-room queue. */
  | 'contacts:escalate'
  /** Watch every queue and person live, push and take back contacts, acknowledge alerts. */
  | 'routing:supervise'
  /** Change queues' SLA targets and staff skills and capacity. */
  | 'routing:manage'
  /** List the force's staff, reset their passwords, deactivate and reactivate them. */
  | 'staff:manage';

export interface StaffUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  forceId: string;
  forceName: string;
  permissions: string[];
  /** Signed in with a one-time password: nothing else works until it is changed. */
  mustChangePassword?: boolean;
}

/** A member of staff as a force admin sees them (GET /api/staff). */
export interface StaffAccount {
  id: string;
  name: string;
  email: string;
  role: Role;
  isActive: boolean;
  mustChangePassword: boolean;
  deactivatedAt: string | null;
  passwordChangedAt: string | null;
  createdAt: string;
}

export interface Session {
  user: StaffUser;
  csrfToken: string;
}

export type Priority = 1 | 2 | 3 | 4;

/** Copied from the server's triage engine, for lists (like the routing board) that carry only the number. */
export const PRIORITY_LABELS: Record<Priority, string> = {
  1: 'Immediate risk',
  2: 'High',
  3: 'Standard',
  4: 'Low',
};

export interface ContactSummary {
  id: string;
  reference: string;
  channel: string;
  status: 'open' | 'closed';
  priority: Priority;
  priorityLabel: string;
  score: number;
  summary: string;
  personName: string | null;
  receivedAt: string;
  queueName: string | null;
  assignedToId: string | null;
  assignedToName: string | null;
  isThreatToLife: boolean;
  /** The contact's earliest-due running SLA clock, if any. */
  sla: { kind: string; dueAt: string; warnAt: string; state: SlaState } | null;
}

export interface ContactRecord extends ContactSummary {
  outcome: string | null;
  closedAt: string | null;
  caseId: string | null;
  caseReference: string | null;
}

export interface ContactMessage {
  id: string;
  direction: 'inbound' | 'outbound';
  body: string;
  createdAt: string;
  authorName: string | null;
  channel: string;
  deliveryStatus: string | null;
  /** The provider's reason when a reply could not be delivered (or is being retried). */
  deliveryError: string | null;
}

export interface TriageMatch {
  ruleId: string;
  phrase: string;
  category: string;
  weight: number;
  messageId: string;
  /** UTF-16 offset into the message body (inclusive). */
  start: number;
  /** UTF-16 offset into the message body (exclusive). */
  end: number;
  matchedText: string;
}

export interface Triage {
  score: number;
  priority: Priority;
  priorityLabel: string;
  ruleSetVersion: number;
  matches: TriageMatch[];
  contributions: { label: string; points: number }[];
  explanation: string[];
}

export interface EarlierContact {
  id: string;
  reference: string;
  channel: string;
  status: string;
  receivedAt: string;
  summary: string;
}

export interface Person {
  id: string;
  name: string | null;
  email: string | null;
  earlierContacts: EarlierContact[];
}

export interface TimelineEntry {
  seq: number;
  type: string;
  at: string;
  actor: string;
  summary: string;
}

export interface ContactDetail {
  contact: ContactRecord;
  messages: ContactMessage[];
  triage: Triage | null;
  person: Person | null;
  timeline: TimelineEntry[];
  routing: ContactRouting;
}

export type CloseOutcome =
  | 'advice_given'
  | 'referred'
  | 'no_further_action'
  | 'duplicate'
  | 'crime_recorded'
  | 'incident_created';

export const CLOSE_OUTCOMES: ReadonlyArray<{ value: CloseOutcome; label: string }> = [
  { value: 'advice_given', label: 'Advice given' },
  { value: 'referred', label: 'Referred to another agency' },
  { value: 'no_further_action', label: 'No further action' },
  { value: 'duplicate', label: 'Duplicate of another contact' },
  { value: 'crime_recorded', label: 'Crime recorded' },
  { value: 'incident_created', label: 'Incident created' },
];

export interface OutboxMessage {
  id: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  status: 'pending' | 'sent' | 'failed' | 'held';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export type JobState = 'pending' | 'running' | 'done' | 'dead';

export const JOB_STATES: readonly JobState[] = ['pending', 'running', 'done', 'dead'];

export interface Job {
  id: string;
  type: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  runAt: string;
  createdAt: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBroken: null | { seq: number; reason: string };
}

export function can(user: StaffUser, permission: Permission): boolean {
  return user.permissions.includes(permission);
}

// --- THRIVE and grading (see docs/thrive-and-grading.md) -----------------------

export type ThriveElement = 'threat' | 'harm' | 'risk' | 'investigation' | 'vulnerability' | 'engagement';

export const THRIVE_ELEMENTS: ReadonlyArray<{ key: ThriveElement; label: string; ratings: readonly string[] }> = [
  { key: 'threat', label: 'Threat', ratings: ['none', 'low', 'medium', 'high'] },
  { key: 'harm', label: 'Harm', ratings: ['none', 'low', 'medium', 'high'] },
  { key: 'risk', label: 'Risk', ratings: ['none', 'low', 'medium', 'high'] },
  { key: 'investigation', label: 'Investigation', ratings: ['none', 'required', 'urgent'] },
  { key: 'vulnerability', label: 'Vulnerability', ratings: ['none', 'possible', 'confirmed'] },
  { key: 'engagement', label: 'Engagement', ratings: ['engaged', 'reluctant', 'unable'] },
];

export interface ThriveElementValue {
  rating: string;
  rationale: string;
}

export interface ThriveAssessment {
  id: string;
  assessedAt: string;
  assessor: { id: string; name: string };
  elements: Record<ThriveElement, ThriveElementValue>;
  reassessmentDueAt: string;
}

export interface ThriveDraftElement {
  rating: string | null;
  suggestedBy: string[];
}

export interface ThriveView {
  contactId: string;
  latest: ThriveAssessment | null;
  history: ThriveAssessment[];
  draft: Record<ThriveElement, ThriveDraftElement>;
  reassessAfterMinutes: number;
  reassessmentDueAt: string | null;
  isOverdue: boolean;
  isReassessmentFlagged: boolean;
}

export type Grade = 'immediate' | 'priority' | 'scheduled' | 'resolution_without_deployment';

export interface GradeDefinition {
  grade: Grade;
  label: string;
  description: string;
  targetMinutes: number | null;
}

export interface GradeRecord {
  id: string;
  grade: Grade;
  previousGrade: Grade | null;
  reason: string | null;
  gradedAt: string;
  gradedBy: { id: string; name: string };
  targetMinutes: number | null;
  targetAt: string | null;
}

export interface GradeView {
  contactId: string;
  current: GradeRecord | null;
  history: GradeRecord[];
  isTargetBreached: boolean;
}

/** True when the signed-in member of staff holds a permission the `Permission` union does not list yet. */
export function hasPermission(user: StaffUser, permission: string): boolean {
  return user.permissions.includes(permission);
}

// --- triage rules (see docs/triage.md) ------------------------------------------

export interface TriageRuleSetSummary {
  version: number;
  isActive: boolean;
  createdAt: string;
  ruleCount: number;
  variantCount: number;
}

export interface TriageRuleInput {
  phrase: string;
  variants: string[];
  category: string;
  weight: number;
}

export interface TriageRuleView extends TriageRuleInput {
  id: string;
}

export interface TriageMatchView {
  ruleId: string;
  phrase: string;
  category: string;
  weight: number;
  start: number;
  end: number;
  matchedText: string;
  treatment: 'counted' | 'reported' | 'negated' | 'repeat';
  negatedBy?: string;
}

export interface TriageResultView {
  score: number;
  priority: 1 | 2 | 3 | 4;
  priorityLabel: string;
  ruleSetVersion: number;
  matches: TriageMatchView[];
  categories: string[];
  contributions: { label: string; points: number; signal: string }[];
  explanation: string[];
}

// --- routing, SLA clocks and alerts (see docs/routing.md) -------------------------

export type SlaState = 'running' | 'warning' | 'breached' | 'met' | 'missed' | 'cancelled';

export type Presence = 'available' | 'busy' | 'away' | 'offline';

export const PRESENCES: ReadonlyArray<{ value: Presence; label: string }> = [
  { value: 'available', label: 'Available' },
  { value: 'busy', label: 'Busy' },
  { value: 'away', label: 'Away' },
  { value: 'offline', label: 'Offline' },
];

export function presenceLabel(presence: string): string {
  return PRESENCES.find((p) => p.value === presence)?.label ?? presence;
}

/** Copied from the server's routing engine (SKILL_LABELS); unknown skills fall back to humanize(). */
export const SKILL_LABELS: Readonly<Record<string, string>> = {
  control_room: 'Control room',
  domestic_abuse: 'Domestic abuse trained',
  child_protection: 'Child protection',
  mental_health: 'Mental health',
  hate_crime: 'Hate crime',
  social_media: 'Social media',
  welsh: 'Welsh speaker',
  bsl: 'BSL',
};

/** What a member of staff's capacity is counted in (the server's CAPACITY_CLASSES, in its order). */
export const CAPACITY_CLASSES = ['call', 'chat', 'social', 'sms', 'email', 'online'] as const;
export type CapacityClass = (typeof CAPACITY_CLASSES)[number];

export type AlertKind = 'threat_to_life' | 'sla_breach';

export interface AlertView {
  id: string;
  kind: AlertKind;
  contactId: string;
  contactReference: string;
  message: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  note: string | null;
}

export interface SlaClockView {
  id: string;
  kind: string;
  label: string;
  queueId: string;
  priority: number;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  stoppedAt: string | null;
  stopReason: string | null;
  state: SlaState;
  /** Until due (negative once overdue) when the server read it; for a stopped clock, how early (+) or late (−) it stopped. */
  remainingMs: number;
}

export interface ContactRouting {
  queue: { id: string; key: string; name: string; isControlRoom: boolean } | null;
  assignedTo: { id: string; name: string } | null;
  assignedAt: string | null;
  enqueuedAt: string | null;
  isThreatToLife: boolean;
  requiredSkills: string[];
  preferredSkills: string[];
  clocks: SlaClockView[];
  alerts: AlertView[];
  /** Set when this contact is a callback someone asked for. */
  callback: { forContactId: string | null; forReference: string | null; number: string | null } | null;
}

export interface MyRouting {
  presence: Presence;
  presenceSince: string | null;
  skills: string[];
  capacity: Partial<Record<CapacityClass, number>>;
  load: Partial<Record<CapacityClass, number>>;
}

export interface BoardQueue {
  id: string;
  key: string;
  name: string;
  isControlRoom: boolean;
  requiredSkills: string[];
  waiting: number;
  assigned: number;
  oldestWaitingSince: string | null;
  threatToLifeWaiting: number;
  sla: { running: number; warning: number; breached: number };
}

export interface BoardContact {
  id: string;
  reference: string;
  channel: string;
  priority: Priority;
  isThreatToLife: boolean;
  queueName: string | null;
  assignedAt: string | null;
  enqueuedAt: string | null;
  slaState: SlaState | null;
  nextDueAt: string | null;
}

export interface BoardStaff {
  id: string;
  name: string;
  role: string;
  presence: Presence;
  presenceSince: string | null;
  /** Available but the console has not been heard from lately: not given work until it is. */
  isStale: boolean;
  skills: string[];
  capacity: Partial<Record<CapacityClass, number>>;
  load: Partial<Record<CapacityClass, number>>;
  contacts: BoardContact[];
}

export interface RoutingBoard {
  /** The server's time when the board was read. */
  at: string;
  queues: BoardQueue[];
  staff: BoardStaff[];
  waiting: BoardContact[];
  alerts: AlertView[];
}

export type AssignedFilter = 'any' | 'me' | 'unassigned';
