import { z } from 'zod';

// Request fields every capability checks the same way, so each route does not judge them alone.

/**
 * One of our ids in a request: a UUID in any case, handed on lower-cased. PostgreSQL compares uuids
 * without regard to case while services compare ids as strings, so an id that reached a service in
 * upper case was the same row to the database and a different one to the code ("merge an incident
 * into itself" passed the service's check). Every id a route takes goes through this. The overwrite
 * keeps the field a string, so the API document still says `format: uuid`.
 */
export function idField(message?: string) {
  return z.uuid(message).overwrite((value) => value.toLowerCase());
}
