import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from './column-types.ts';

/** Row types of the control room: areas, incidents and their clocks and lists, units and their positions. Part of `Tables` (tables.ts). */
export interface ControlRoomTables {
  areas: {
    id: string;
    force_id: string;
    name: string;
    kind: 'district' | 'beat';
    setting: 'urban' | 'rural';
    geometry: Json<{ type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] }>;
    created_at: Timestamp;
    /** Set when a force admin removed it (decision 0098): left out of look-ups, kept for the incidents that name it. */
    removed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  incident_numbers: {
    force_id: string;
    last_number: number;
  };
  incidents: {
    id: string;
    force_id: string;
    number: number;
    type: string;
    summary: string;
    location_text: string | null;
    lat: number | null;
    lon: number | null;
    district_id: string | null;
    beat_id: string | null;
    grade: 'immediate' | 'priority' | 'scheduled' | 'resolution_without_deployment' | null;
    required_capabilities: string[];
    status: 'open' | 'dispatched' | 'en_route' | 'on_scene' | 'resolved' | 'closed' | 'cancelled' | 'resolved_without_deployment';
    closing_code: string | null;
    created_by: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
    ended_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
  };
  response_targets: {
    force_id: string;
    grade: 'immediate' | 'priority' | 'scheduled' | 'resolution_without_deployment';
    setting: 'urban' | 'rural';
    deploy_minutes: number | null;
    arrive_minutes: number | null;
    updated_at: Timestamp;
  };
  breach_reasons: {
    id: string;
    force_id: string;
    code: string;
    label: string;
    is_active: ColumnType<boolean, boolean | undefined, boolean>;
    position: ColumnType<number, number | undefined, number>;
    created_at: Timestamp;
  };
  response_clocks: {
    id: string;
    force_id: string;
    incident_id: string;
    kind: 'deploy' | 'arrive';
    grade: 'immediate' | 'priority' | 'scheduled' | 'resolution_without_deployment';
    setting: 'urban' | 'rural';
    target_minutes: number;
    measured_from: Timestamp;
    started_at: Timestamp;
    warn_at: Timestamp;
    due_at: Timestamp;
    stopped_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    stop_reason: ColumnType<'dispatched' | 'arrived' | 'regraded' | 'ended' | null, 'dispatched' | 'arrived' | 'regraded' | 'ended' | null | undefined, 'dispatched' | 'arrived' | 'regraded' | 'ended' | null>;
    warned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    breached_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    breach_reason_code: ColumnType<string | null, string | null | undefined, string | null>;
    breach_reason_text: ColumnType<string | null, string | null | undefined, string | null>;
    breach_reason_by: ColumnType<string | null, string | null | undefined, string | null>;
    breach_reason_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The order clocks were started in: breaks ties of start time (decision 0178); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  incident_types: {
    id: string;
    force_id: string;
    code: string;
    label: string;
    category: 'public_safety_welfare' | 'crime' | 'anti_social_behaviour' | 'transport';
    is_active: ColumnType<boolean, boolean | undefined, boolean>;
    created_at: Timestamp;
  };
  closing_codes: {
    id: string;
    force_id: string;
    code: string;
    label: string;
    is_active: ColumnType<boolean, boolean | undefined, boolean>;
    created_at: Timestamp;
  };
  incident_contacts: {
    id: string;
    force_id: string;
    incident_id: string;
    contact_id: string;
    linked_by: string | null;
    linked_at: Timestamp;
    unlinked_by: ColumnType<string | null, string | null | undefined, string | null>;
    unlinked_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  };
  incident_notes: {
    id: string;
    force_id: string;
    incident_id: string;
    body: string;
    author_id: string | null;
    created_at: Timestamp;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0168); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  units: {
    id: string;
    force_id: string;
    call_sign: string;
    type: string;
    capabilities: string[];
    home_station: string | null;
    home_area_id: string | null;
    status: 'available' | 'dispatched' | 'en_route' | 'on_scene' | 'returning' | 'unavailable' | 'off_duty' | 'retired';
    status_reason: string | null;
    incident_id: string | null;
    created_at: Timestamp;
    updated_at: Timestamp;
  };
  unit_positions_latest: {
    unit_id: string;
    force_id: string;
    lat: number;
    lon: number;
    recorded_at: Timestamp;
    received_at: Timestamp;
  };
  /** Accepted positions kept for the force's retention; degrees × 10^7 as integers (migration 0033). */
  unit_position_history: {
    unit_id: string;
    recorded_at: Timestamp;
    force_id: string;
    lat_e7: number;
    lon_e7: number;
  };
  unit_assignments: {
    id: string;
    force_id: string;
    unit_id: string;
    incident_id: string;
    assigned_by: string | null;
    assigned_at: Timestamp;
    cleared_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The order units were sent in: breaks ties of assigned time (decision 0178); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
}
