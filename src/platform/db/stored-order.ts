import type { OrderByModifiersCallbackExpression } from 'kysely';

/**
 * The direction of a `seq` column in a list read by time (decisions 0157, 0168). Rows stored
 * before a table had its `seq` have none, and were all stored before any row that has one, so
 * among rows that share their time they come first, oldest to newest, and last newest first;
 * PostgreSQL's own default puts a missing value last going up and first going down, the other way
 * round. Use as `.orderBy('seq', storedFirst)`, then the id in the same direction for rows that
 * have none. Not for `events`, whose `seq` is never missing.
 */
export const storedFirst: OrderByModifiersCallbackExpression = (item) => item.asc().nullsFirst();

/** `storedFirst` reversed: the row stored last first, rows stored before the table had a `seq` last. */
export const storedLast: OrderByModifiersCallbackExpression = (item) => item.desc().nullsLast();
