import type { ColumnType, Generated } from 'kysely';
import type { Json, Timestamp } from './column-types.ts';

/** One weekly window in which a victim may be contacted, in Europe/London time. */
export type SafeWindowRow = { days: string[]; from: string; to: string };

/** Row types of the case side: cases, the people on them, the force's crime and outcome lists, and victims' journeys. Part of `Tables` (tables.ts). */
export interface CaseTables {
  cases: {
    id: string;
    force_id: string;
    reference: string;
    contact_id: string | null;
    person_id: string | null;
    status: 'recorded' | 'allocated' | 'under_investigation' | 'charged' | 'closed';
    created_at: Timestamp;
    created_by: string | null;
    crime_type: string | null;
    summary: Generated<string>;
    suspect_stage: Generated<'none' | 'identified' | 'arrested' | 'interviewed'>;
    charged: Generated<boolean>;
    outcome_code: string | null;
    closed_reason: string | null;
    officer_in_case: string | null;
    team: string | null;
    records_system: string | null;
    records_reference: string | null;
    records_updated_at: Timestamp | null;
    /** The records system's own status code, as last applied. */
    records_status: Generated<string | null>;
    updated_at: Timestamp;
  };
  crime_types: {
    force_id: string;
    code: string;
    group_label: string;
    label: string;
    label_cy: string;
    position: Generated<number>;
    active: Generated<boolean>;
  };
  case_outcome_types: {
    force_id: string;
    code: string;
    label: string;
    label_cy: string;
    position: Generated<number>;
    active: Generated<boolean>;
  };
  case_people: {
    id: string;
    force_id: string;
    case_id: string;
    person_id: string | null;
    role: 'victim' | 'witness' | 'suspect';
    name: string;
    enhanced_rights: Generated<boolean>;
    added_at: Timestamp;
    removed_at: Timestamp | null;
    /** When the records system first listed this removed victim again (decision 0080). */
    listed_after_removal_at: Generated<Date | null>;
    records_reference: Generated<string | null>;
    email: Generated<string | null>;
    phone: Generated<string | null>;
    language: Generated<string | null>;
    /** A victim's postal address (decision 0136): all three or none. */
    postal_lines: Generated<string[] | null>;
    postal_town: Generated<string | null>;
    postal_postcode: Generated<string | null>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  records_code_mappings: {
    force_id: string;
    kind: 'status' | 'crime_type';
    system: string;
    code: string;
    moves: Json<string[]>;
    outcome_code: string | null;
    crime_type: string | null;
    reason: string | null;
    reason_cy: string | null;
    label: Generated<string>;
  };
  online_report_processing: {
    contact_id: string;
    force_id: string;
    case_id: string;
    received_at: Timestamp;
    drafted_at: Timestamp;
    suggested_crime_type: string | null;
    suggestion_reasons: Json<SuggestionReason[]>;
    processed_due_at: Timestamp;
    classified_due_at: Timestamp;
    processed_at: Timestamp | null;
    processed_by: string | null;
    classified_at: Timestamp | null;
    classified_by: string | null;
    crime_type: string | null;
    processed_breached_at: Timestamp | null;
    classified_breached_at: Timestamp | null;
  };
  /** Victims' Code clocks: one per victim per milestone they must be told of (and per victim for the support referral). */
  victim_updates: {
    id: string;
    force_id: string;
    case_id: string;
    case_person_id: string | null;
    victim_key: string;
    person_id: string | null;
    duty: 'arrest' | 'charge' | 'released_under_investigation' | 'bail' | 'out_of_court_disposal' | 'no_further_action' | 'not_investigated' | 'referral';
    milestone_event_id: string;
    milestone_type: string;
    milestone_at: Timestamp;
    /** When the duty to this victim began, which its times count from: the milestone, or their later addition (migration 0068). */
    counted_from: Timestamp;
    enhanced_rights: boolean;
    working_days: number;
    due_at: Timestamp;
    warn_at: Timestamp;
    warned_at: Timestamp | null;
    satisfied_at: Timestamp | null;
    how: 'journey' | 'phone' | 'visit' | 'letter' | 'email' | 'referred' | 'declined' | 'withdrawn' | null;
    outbox_id: string | null;
    informed_by: string | null;
    note: string | null;
    breached_at: Timestamp | null;
    created_at: Timestamp;
  };
  /** Self-service answers for the public, in English and Welsh (migration 0032). */
  help_articles: {
    id: string;
    force_id: string;
    slug: string;
    title: string;
    title_cy: string;
    body: string;
    body_cy: string;
    /** Case event types whose updates link to the article. */
    milestone_types: ColumnType<string[], string | undefined, string>;
    published: Generated<boolean>;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  /** One satisfaction answer per victim and case, given at closure (migration 0032). */
  case_surveys: {
    force_id: string;
    case_id: string;
    person_id: string;
    score: number;
    team: string | null;
    answered_at: Timestamp;
  };
  journey_rules: {
    id: string;
    force_id: string;
    milestone: string;
    crime_type: string | null;
    victim_category: Generated<'all' | 'standard' | 'enhanced' | 'domestic_abuse'>;
    outcome_codes: string[] | null;
    template_key: string;
    delay_minutes: Generated<number>;
    delay_from: Generated<'milestone' | 'at'>;
    statutory: Generated<boolean>;
    fallback: Generated<boolean>;
    active: Generated<boolean>;
    position: Generated<number>;
    created_at: Timestamp;
    /** Counts the rule's changes and switches off and on (decision 0079); a new order leaves it alone. */
    version: Generated<number>;
  };
  victim_contact_preferences: {
    force_id: string;
    case_id: string;
    victim_id: string;
    channels: string[];
    language: 'en' | 'cy' | null;
    safe_windows: Json<SafeWindowRow[]>;
    never_sms: boolean;
    portal_only: boolean;
    opt_out_non_statutory: boolean;
    domestic_abuse: boolean;
    updated_at: Timestamp;
    updated_by: string | null;
  };
  journey_sends: {
    force_id: string;
    idempotency_key: string;
    case_id: string;
    victim_id: string;
    rule_id: string;
    template_key: string;
    outcome: 'queued' | 'suppressed';
    reason: string | null;
    created_at: Timestamp;
    /** What its rule was when the decision was taken (null only for a rule missing when migration 0066 ran). */
    rule_milestone: string | null;
    rule_delay_from: 'milestone' | 'at' | null;
    rule_delay_minutes: number | null;
  };
  /** A victim's sign-in to their case page (decision 0158): the cookie naming it holds only while this row is here. */
  portal_case_sign_ins: {
    /** The id of the code that opened it. */
    id: string;
    force_id: string;
    case_id: string;
    person_id: string;
    /** The victim row it was granted under (decision 0155); null for a reporter with none. */
    victim_row_id: string | null;
    created_at: Timestamp;
    expires_at: Timestamp;
  };
  message_template_versions: {
    force_id: string;
    key: string;
    channel: string;
    locale: string;
    version: number;
    subject: string;
    body: string;
    replaced_at: Timestamp;
    replaced_by: ColumnType<string | null, string | null | undefined, string | null>;
  };
}

/** One reason for a suggested crime type: the words (or triage category) that pointed to it. */
export type SuggestionReason = { crimeType: string; cue: string; weight: number };
