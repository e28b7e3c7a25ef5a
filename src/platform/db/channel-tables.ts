import type { ColumnType, Generated } from 'kysely';
import type { Json, JsonValue, Timestamp } from './column-types.ts';

/** Row types of the channels: the accounts, their mailboxes' health, the raw requests providers send, attachments and delivery receipts waiting for their message. Part of `Tables` (tables.ts). */
export interface ChannelTables {
  channel_accounts: {
    id: string;
    force_id: string;
    channel: string;
    account_key: string;
    label: string;
    config_ciphertext: string;
    is_enabled: Generated<boolean>;
    settings_version: Generated<number>;
    created_at: Timestamp;
    updated_at: Timestamp;
    /** The order accounts were connected in: the first connected of several is the one used (decision 0178); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  /** A polled mailbox's health (decision 0175), written by the IMAP poller when it changes. */
  mailbox_health: {
    channel_account_id: string;
    force_id: string;
    last_success_at: Date | null;
    failing_since: Date | null;
    failure: 'connect' | 'auth' | 'fetch' | 'store' | 'module_not_loaded' | null;
    is_restart_needed: boolean;
    updated_at: Timestamp;
    /** A digest of the mailbox polled (decision 0181); null for a row stored before it was kept. */
    mailbox_key: string | null;
  };
  /** Who polls each mailbox now, until when (decision 0190): one poll of a mailbox at a time across processes. */
  mailbox_poll_leases: {
    channel_account_id: string;
    force_id: string;
    /** The poller holding it: a random id per poller, so a process's own polls and another's tell apart. */
    holder: string;
    expires_at: Timestamp;
  };
  inbound_requests: {
    id: string;
    force_id: string;
    channel: string;
    channel_account_id: string | null;
    received_at: Timestamp;
    method: string;
    url: string;
    headers: Json<{ [key: string]: JsonValue }>;
    raw_body: Buffer;
    status: 'processed' | 'rejected' | 'replayed';
    error: string | null;
    message_count: Generated<number>;
    /** The order rows were stored in: breaks ties of time in the list of requests (decision 0169); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
  };
  attachments: {
    id: string;
    force_id: string;
    message_id: string;
    filename: string | null;
    declared_type: string | null;
    detected_type: string | null;
    size_bytes: number;
    sha256: string;
    content: Buffer | null;
    created_at: Timestamp;
    url: Generated<string | null>;
    /** The SHA-256 (hex) the provider gave with its link, which the download must match. */
    declared_sha256: Generated<string | null>;
    /** Why the download was refused for good (staff read it); null otherwise. */
    refusal: Generated<string | null>;
    /** Whether a refusal was the provider unreachable (staff may try again) or a check (never); null when not refused. */
    refusal_kind: Generated<'unreachable' | 'checks' | null>;
    /** How many times staff asked for a refused download to be tried again. */
    retries: Generated<number>;
  };
  delivery_status_backlog: {
    id: string;
    force_id: string;
    channel: string;
    provider_message_id: string;
    status: string;
    reason: string | null;
    received_at: Timestamp;
    /** When the provider says it happened, if it said (0088). */
    provider_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The provider account whose credentials verified the report (Twilio's Account SID), if the provider has several (0103). */
    reporting_account: ColumnType<string | null, string | null | undefined, string | null>;
  };
}
