// The column types every table's row type is written with.
import type { ColumnType, JSONColumnType } from 'kysely';

/** Timestamps come back as Date and may be written as Date. */
export type Timestamp = ColumnType<Date, Date, Date>;
export type Json<T extends object | null> = JSONColumnType<T, string, string>;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** One more channel an outbox message may go by, rendered for it, tried when the channel before fails for good. */
export type OutboxChannel = 'email' | 'sms' | 'portal' | 'letter';
export type OutboxAlternative = { channel: OutboxChannel; recipient: string; subject: string; body: string };
