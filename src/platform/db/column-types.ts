// The column types every table's row type is written with.
import type { ColumnType, JSONColumnType } from 'kysely';

/** Timestamps come back as Date and may be written as Date. */
export type Timestamp = ColumnType<Date, Date, Date>;
export type Json<T extends object | null> = JSONColumnType<T, string, string>;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
