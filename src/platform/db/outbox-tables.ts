import type { ColumnType, Generated } from 'kysely';
import type { OutboxAlternative, Timestamp } from './column-types.ts';

/** Row types of what the force sends: the outbox and the templates its messages are written from. Part of `Tables` (tables.ts). */
export interface OutboxTables {
  outbox: {
    id: string;
    force_id: string;
    channel: string;
    recipient: string;
    subject: string;
    body: string;
    purpose: string;
    contact_id: string | null;
    case_id: string | null;
    status: 'pending' | 'sent' | 'delivered' | 'failed' | 'held' | 'suppressed';
    attempts: Generated<number>;
    last_error: string | null;
    idempotency_key: string;
    created_at: Timestamp;
    sent_at: ColumnType<Date | null, Date | null, Date | null>;
    /** The channels still to try, in order, when this one fails for good (issue 12). */
    alternatives: ColumnType<OutboxAlternative[], string | undefined, string>;
    not_before: ColumnType<Date | null, Date | null | undefined, Date | null>;
    person_id: string | null;
    provider_message_id: string | null;
    delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** How often the message has moved to its next channel (0029), or been sent again from its first (0041). */
    fallbacks: Generated<number>;
    /** Every channel the message was written for when queued, first choice first, as it was then (0041). */
    channels: ColumnType<OutboxAlternative[], string | undefined, string>;
    /** The order rows were stored in: breaks ties of time in lists read by time (decision 0157); null for rows stored before it. */
    seq: ColumnType<number | null, never, never>;
    /** Counted up by each delivery run that takes the message to send: its outcomes record only while it is theirs (0075). */
    send_token: Generated<number>;
    /** The job whose run took the message to send and has not recorded its outcome yet; null when none (0075). */
    sending_job_id: ColumnType<string | null, string | null | undefined, string | null>;
    /** When that run took it (0075). */
    sending_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** The send token of the taking whose outcome was unknown when the message was failed for it; null otherwise (0088). */
    in_doubt_token: ColumnType<number | null, number | null | undefined, number | null>;
    /** When the run of that taking recorded, late, that the provider took it (0088). */
    sent_after_all_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** When the provider says it reached the person after all (or when we heard, if it gave no time) (0088). */
    delivered_after_all_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** When the provider says it did not reach the person after all (or when we heard, if it gave no time) (0091). */
    undelivered_after_all_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
    /** Why it did not, in the provider's words as staff read them (0091). */
    undelivered_after_all_reason: ColumnType<string | null, string | null | undefined, string | null>;
    /** The provider account the last run that took it handed it to (Twilio's Account SID); null for none or before 0098 (decision 0184). */
    sent_through_account: ColumnType<string | null, string | null | undefined, string | null>;
  };
  message_templates: {
    id: string;
    force_id: string;
    key: string;
    channel: string;
    locale: Generated<string>;
    subject: string;
    body: string;
    /** Counts the saves; earlier texts are in message_template_versions. */
    version: Generated<number>;
  };
  /** Addresses a force trusts with more portal acknowledgements a day (migration 0079, decision 0166). */
  acknowledgement_trusted_addresses: {
    id: string;
    force_id: string;
    /** As `normaliseEmail` gives it. */
    address: string;
    added_by: string;
    added_at: Timestamp;
  };
}
