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
