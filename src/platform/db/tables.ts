import type { ColumnType, Generated } from 'kysely';
import type { Json, JsonValue, Timestamp } from './column-types.ts';
import type { CaseTables } from './case-tables.ts';
import type { ControlRoomTables } from './control-room-tables.ts';
import type { OutboxTables } from './outbox-tables.ts';
import type { ChannelTables } from './channel-tables.ts';
import type { IntegrationTokenTables } from './integration-token-tables.ts';

export type { JsonValue, OutboxAlternative, OutboxChannel } from './column-types.ts';

/** Row types of every table, as the query layer sees them. Only repositories use these. */
export interface Tables extends CaseTables, ChannelTables, ControlRoomTables, OutboxTables, IntegrationTokenTables {
  forces: {
    id: string;
    slug: string;
    code: string;
    name: string;
    created_at: Generated<Date>;
    settings: ColumnType<{ [key: string]: JsonValue }, string | undefined, string>;
  };
  staff: {
    id: string;
    force_id: string;
    email: string;
    name: string;
    role: string;
    password_hash: string;
    is_active: Generated<boolean>;
    created_at: Generated<Date>;
    /** Set with a one-time password; only change-password, me and logout work until it is cleared. */
    must_change_password: Generated<boolean>;
    password_changed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    deactivated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** Counts the changes of the role (decision 0085). */
    role_version: Generated<number>;
  };
  staff_sessions: {
    id: string;
    force_id: string;
    staff_id: string;
    csrf_token: string;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
  events: {
    force_id: string;
    seq: number;
    id: string;
    occurred_at: Timestamp;
    actor_type: 'staff' | 'public' | 'system';
    actor_id: string | null;
    type: string;
    subject_type: string;
    subject_id: string;
    data: Json<{ [key: string]: JsonValue }>;
    prev_hash: string;
    hash: string;
  };
  event_chain_heads: { force_id: string; last_seq: number; last_hash: string };
  jobs: {
    id: string;
    force_id: string;
    type: string;
    payload: Json<{ [key: string]: JsonValue }>;
    idempotency_key: string;
    state: 'pending' | 'running' | 'done' | 'dead';
    attempts: Generated<number>;
    max_attempts: number;
    run_at: Timestamp;
    locked_until: ColumnType<Date | null, Date | null, Date | null>;
    last_error: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
    /** Counted up by every claim (decision 0165): a run's writes to its job hold only while the token is still the one it claimed. */
    claim_token: Generated<number>;
  };
  reference_counters: { force_id: string; scope: string; year: number; last_value: number };
  /** A repair of stored data a migration asked for, run at start in TypeScript (decision 0161). */
  data_repairs: { name: string; requested_at: Generated<Date>; done_at: ColumnType<Date | null, Date | null, Date | null>; report: Json<{ [key: string]: JsonValue }> | null };
  people: { id: string; force_id: string; display_name: string | null; created_at: Timestamp };
  person_links: {
    id: string;
    force_id: string;
    person_id: string;
    linked_person_id: string;
    reason: string;
    /** Null for a link migration 0072 made between two spellings of one email address. */
    linked_by: string | null;
    linked_at: Timestamp;
    unlinked_by: string | null;
    unlinked_at: ColumnType<Date | null, Date | null, Date | null>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0168); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  identities: {
    id: string;
    force_id: string;
    person_id: string;
    kind: string;
    value: string;
    created_at: Timestamp;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0168); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  triage_rule_sets: { force_id: string; version: number; is_active: boolean; created_at: Timestamp };
  triage_rules: { id: string; force_id: string; version: number; phrase: string; category: string; weight: number };
  received_reports: {
    id: string;
    force_id: string;
    submission_id: string;
    reference: string;
    payload: Json<{ [key: string]: JsonValue }>;
    received_at: Timestamp;
    attempts: Generated<number>;
    last_error: Generated<string | null>;
    /** After a failed attempt, not before this time; null: now. */
    next_attempt_at: Generated<Date | null>;
  };
  contacts: {
    id: string;
    force_id: string;
    reference: string;
    channel: string;
    status: 'open' | 'closed';
    person_id: string | null;
    summary: string;
    location: string | null;
    occurred_text: string | null;
    priority: number;
    score: number;
    triage: Json<{ [key: string]: JsonValue }> | null;
    rule_set_version: number | null;
    received_at: Timestamp;
    thread_key: Generated<string | null>;
    channel_account_id: Generated<string | null>;
    meta: ColumnType<{ [key: string]: JsonValue }, string | undefined, string>;
    closed_at: ColumnType<Date | null, Date | null, Date | null>;
    outcome: string | null;
    queue_id: Generated<string | null>;
    enqueued_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    assigned_staff_id: Generated<string | null>;
    assigned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    is_threat_to_life: Generated<boolean>;
    required_skills: ColumnType<string[], string[] | undefined, string[]>;
    preferred_skills: ColumnType<string[], string[] | undefined, string[]>;
    excluded_staff_ids: ColumnType<string[], string[] | undefined, string[]>;
  };
  queues: {
    id: string;
    force_id: string;
    key: string;
    name: string;
    description: Generated<string>;
    required_skills: ColumnType<string[], string[] | undefined, string[]>;
    is_control_room: Generated<boolean>;
    is_default: Generated<boolean>;
    sla: Json<{ [key: string]: JsonValue }>;
    warn_at_percent: Generated<number>;
    position: number;
    created_at: Timestamp;
    /** Counts the changes (decision 0084). */
    version: Generated<number>;
  };
  queue_rules: {
    id: string;
    force_id: string;
    queue_id: string;
    position: number;
    channels: string[] | null;
    categories: string[] | null;
    priorities: number[] | null;
  };
  channel_sla_targets: {
    force_id: string;
    channel: 'chat' | 'sms' | 'social' | 'email' | 'portal' | 'voice';
    first_response_minutes: number | null;
    next_response_minutes: number | null;
    updated_at: Timestamp;
  };
  /** How many times a force's whole list was changed (decision 0084); no row: version 1. */
  list_versions: { force_id: string; list: 'queue_rules' | 'channel_sla_targets' | 'journey_rule_order'; version: number };
  sms_opt_outs: {
    id: Generated<string>;
    force_id: string;
    phone_number: string;
    /** The force's number a keyword was texted to; null for one staff recorded. */
    channel_account_id: string | null;
    opted_out_at: Timestamp;
    /** How it was made: the person's own STOP, or by staff (decision 0071). */
    source: ColumnType<'keyword' | 'staff', 'keyword' | 'staff' | undefined, 'keyword' | 'staff'>;
    recorded_by: string | null;
    reason: string | null;
  };
  staff_routing: {
    staff_id: string;
    force_id: string;
    skills: ColumnType<string[], string[] | undefined, string[]>;
    capacity: Json<{ [key: string]: JsonValue }>;
    presence: 'available' | 'busy' | 'away' | 'offline';
    presence_changed_at: Timestamp;
    idle_since: Timestamp;
    last_seen_at: Timestamp;
    updated_at: Timestamp;
    /** Counts the changes of skills and capacity, never of presence (decision 0085). */
    profile_version: Generated<number>;
  };
  sla_clocks: {
    id: string;
    force_id: string;
    contact_id: string;
    queue_id: string;
    kind: 'first_response' | 'next_response' | 'resolution';
    priority: number;
    started_at: Timestamp;
    warn_at: Timestamp;
    due_at: Timestamp;
    stopped_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    stop_reason: ColumnType<string | null, string | null | undefined, string | null>;
    warned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    breached_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The order clocks were started in: breaks ties of start time (decision 0178); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  alerts: {
    id: string;
    force_id: string;
    kind: 'threat_to_life' | 'sla_breach' | 'response_breach' | 'victim_updates_unopened';
    /** The contact an alert is about; null for an incident's missed response target or a case's. */
    contact_id: string | null;
    clock_id: string | null;
    incident_id: ColumnType<string | null, string | null | undefined, never>;
    /** The case whose Victims' Code clocks could not be opened (decision 0123). */
    case_id: ColumnType<string | null, string | null | undefined, never>;
    /** Changed only to the clock a regrade carried the breach onto (the alert follows its breach). */
    response_clock_id: ColumnType<string | null, string | null | undefined, string>;
    message: string;
    raised_at: Timestamp;
    acknowledged_by: ColumnType<string | null, string | null | undefined, string | null>;
    acknowledged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    acknowledgement_note: ColumnType<string | null, string | null | undefined, string | null>;
    /** When a case's alert was put right (its clocks opened) before a supervisor acknowledged it (decision 0128). */
    put_right_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  messages: {
    id: string;
    force_id: string;
    contact_id: string;
    direction: 'inbound' | 'outbound';
    channel: string;
    body: string;
    provider_message_id: string | null;
    author_staff_id: string | null;
    created_at: Timestamp;
    delivery_status: string | null;
    inbound_request_id: Generated<string | null>;
    delivery_error: Generated<string | null>;
    meta: ColumnType<{ [key: string]: JsonValue }, string | undefined, string>;
    /** The account an inbound message came in on: provider ids are unique per account. */
    channel_account_id: Generated<string | null>;
    /** An inbound message's sender and body, hashed: a provider id reused for a different message keeps both (decision 0054). */
    content_hash: Generated<string | null>;
    /** An operator's private reply to a Meta comment: the comment's id (one per comment, decision 0109). */
    private_reply_to: Generated<string | null>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
    /** When the person sent an inbound message, as its provider says, where believable (decision 0172); null when unknown. */
    sent_at: ColumnType<Date | null, Date | null | undefined, never>;
    /**
     * The person an inbound message's sender resolved to (decision 0195); null for outbound messages
     * and for every one stored before it (the report page proves those it shows as it reads them).
     */
    sender_person_id: ColumnType<string | null, string | null | undefined, never>;
    /**
     * The provider account an outbound message was sent through, as its reports name it (Twilio's
     * Account SID, 0104); null for a provider with none, and for one sent before 0104 (decision 0202).
     */
    sent_through_account: ColumnType<string | null, string | null | undefined, string | null>;
  };
  portal_codes: {
    id: string;
    force_id: string;
    /** The report a code opens; null for a code that opens a case (then `case_id` and `person_id`). */
    contact_id: string | null;
    case_id: ColumnType<string | null, string | null | undefined, string | null>;
    /** The victim a case code was sent to: the session it opens is theirs. */
    person_id: ColumnType<string | null, string | null | undefined, string | null>;
    code_hash: string;
    attempts: Generated<number>;
    expires_at: Timestamp;
    used_at: ColumnType<Date | null, Date | null, Date | null>;
    created_at: Timestamp;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0168); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  /** A reporter's sign-in to their report's page (decision 0167): the cookie naming it holds only while this row is here. */
  portal_report_sign_ins: {
    /** The id of the code that opened it. */
    id: string;
    force_id: string;
    contact_id: string;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
  chat_sessions: {
    id: string;
    force_id: string;
    channel_account_id: string;
    token_hash: string;
    created_at: Timestamp;
    last_seen_at: Timestamp;
  };
  thrive_assessments: {
    id: string;
    force_id: string;
    contact_id: string;
    assessor_staff_id: string;
    assessed_at: Timestamp;
    elements: Json<{ [key: string]: JsonValue }>;
    reassess_after_minutes: number;
    reassessment_due_at: Timestamp;
    reassessment_flagged_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  contact_grades: {
    id: string;
    force_id: string;
    contact_id: string;
    grade: 'immediate' | 'priority' | 'scheduled' | 'resolution_without_deployment';
    previous_grade: string | null;
    reason: string | null;
    graded_by: string;
    graded_at: Timestamp;
    target_minutes: number | null;
    target_at: ColumnType<Date | null, Date | null, Date | null>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
}

