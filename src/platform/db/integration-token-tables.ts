import type { ColumnType } from 'kysely';
import type { Timestamp } from './column-types.ts';

/**
 * One credential of a system a force connects (decision 0203): the records system's and vehicle
 * tracking's tokens have this one shape, each kind in its own table (integration-tokens.ts).
 */
export type IntegrationTokenRow = {
  id: string;
  force_id: string;
  label: string;
  token_hash: string;
  token_hint: string;
  created_at: Timestamp;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** The order rows were stored in: breaks ties of time in lists read by time (decision 0168); null for rows stored before it. */
  seq: ColumnType<number | null, never, never>;
};

/** Row types of the integrations' tokens. Part of `Tables` (tables.ts). */
export interface IntegrationTokenTables {
  records_integration_tokens: IntegrationTokenRow;
  tracking_integration_tokens: IntegrationTokenRow;
}

/** The tables of integration tokens: one a kind of integration. */
export type IntegrationTokenTable = keyof IntegrationTokenTables;
