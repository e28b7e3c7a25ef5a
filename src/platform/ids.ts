import { randomUUID } from 'node:crypto';

declare const brand: unique symbol;
/** A string that the type system keeps apart from other ids. */
export type Branded<T, Name extends string> = T & { readonly [brand]: Name };

export type ForceId = Branded<string, 'ForceId'>;
export type StaffId = Branded<string, 'StaffId'>;
export type PersonId = Branded<string, 'PersonId'>;
export type ContactId = Branded<string, 'ContactId'>;
export type MessageId = Branded<string, 'MessageId'>;
export type CaseId = Branded<string, 'CaseId'>;
export type JobId = Branded<string, 'JobId'>;

/** A new random id of the given kind. */
export function newId<T extends Branded<string, string>>(): T {
  return randomUUID() as T;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True when `value` looks like one of our ids (all ids are UUIDs). */
export function isId(value: string): boolean {
  return UUID.test(value);
}
