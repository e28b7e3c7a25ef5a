import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './column-types.ts';

/** Row types of the case side: cases, the people on them, and the force's crime and outcome lists. Part of `Tables` (tables.ts). */
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
}
