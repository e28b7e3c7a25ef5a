import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** The document's tags, in the order a reader meets them. Every operation uses one of these. */
export const API_TAGS = [
  { name: 'auth', description: 'Signing in and out, the signed-in member of staff, their password' },
  { name: 'contacts', description: 'The queue of contacts, one contact, replying and closing' },
  { name: 'cases', description: 'Cases opened from contacts, and the online-report processing queue' },
  { name: 'integrations', description: "The force's records system (its case updates, tokens and code mapping) and vehicle tracking's tokens" },
  { name: 'people', description: 'People across channels and the links between their records' },
  { name: 'thrive', description: 'THRIVE risk assessments and grading' },
  { name: 'routing', description: 'Queues, presence, distribution, supervision, alerts, escalation and callbacks' },
  { name: 'triage', description: "The force's triage rules" },
  { name: 'incidents', description: 'Incidents created from contacts or directly, their contacts and running log' },
  { name: 'units', description: 'Units, their details, status and the positions vehicle tracking sends' },
  { name: 'dispatch', description: 'Recommending and dispatching units; units and incidents through their statuses' },
  { name: 'areas', description: "The force's districts and beats, and the base of the dispatcher's map" },
  { name: 'reports', description: "The force's performance reports, as JSON and CSV" },
  { name: 'admin', description: "Staff, settings, jobs, the outbox and the audit chain of a force's administrators" },
  { name: 'channels', description: 'Channel accounts, raw inbound requests, and the webhooks providers call' },
  { name: 'chat', description: "The live chat widget's sessions" },
  { name: 'live', description: 'WebSockets: the live stream of queue changes' },
  { name: 'operations', description: 'Health, readiness, metrics and this document' },
] as const;

export type ApiTag = (typeof API_TAGS)[number]['name'];

const STATUS_TEXT: Record<string, string> = {
  '101': 'Switching Protocols',
  '200': 'OK',
  '201': 'Created',
  '202': 'Accepted',
  '204': 'No Content',
  '302': 'Found',
  '303': 'See Other',
  '400': 'Bad Request',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'Not Found',
  '409': 'Conflict',
  '429': 'Too Many Requests',
  '503': 'Service Unavailable',
  '2XX': 'Success',
  '4XX': 'Refused: the request cannot be served as it is (error.code says why)',
  '5XX': 'Failed, or too busy to serve (error.code says which; a 503 carries Retry-After)',
};

const SCHEMA_REF = '#/components/schemas/';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every component schema named by a `$ref` anywhere inside `value`. */
function collectRefs(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, inner] of Object.entries(value)) {
    if (key === '$ref' && typeof inner === 'string' && inner.startsWith(SCHEMA_REF)) into.add(inner.slice(SCHEMA_REF.length));
    else collectRefs(inner, into);
  }
}

/**
 * Keeps the component schemas the operations use, directly or through one another, by name: the
 * registry lists them in the order their modules were first imported, which is not stable.
 */
function pruneUnusedSchemas(document: Record<string, unknown>): void {
  const components = document.components;
  if (!isRecord(components) || !isRecord(components.schemas)) return;
  const schemas = components.schemas;
  const used = new Set<string>();
  collectRefs(document.paths, used);
  const pending = [...used];
  while (pending.length > 0) {
    const name = pending.pop();
    const found = new Set<string>();
    if (name !== undefined) collectRefs(schemas[name], found);
    for (const next of found) {
      if (!used.has(next)) {
        used.add(next);
        pending.push(next);
      }
    }
  }
  components.schemas = Object.fromEntries(
    Object.entries(schemas)
      .filter(([name]) => used.has(name))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Responses without a description of their own are named by their status. */
function describeResponses(document: Record<string, unknown>): void {
  if (!isRecord(document.paths)) return;
  for (const operations of Object.values(document.paths)) {
    if (!isRecord(operations)) continue;
    for (const operation of Object.values(operations)) {
      if (!isRecord(operation) || !isRecord(operation.responses)) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (isRecord(response) && response.description === 'Default Response' && STATUS_TEXT[status]) response.description = STATUS_TEXT[status];
      }
    }
  }
}

/**
 * Completes the document @fastify/swagger builds from the routes: the named zod schemas become
 * components (only those some operation uses), and every response has a description.
 */
export const completeApiDocument: SwaggerTransformObject = (documentObject) => {
  const document: Record<string, unknown> = { ...jsonSchemaTransformObject(documentObject) };
  pruneUnusedSchemas(document);
  describeResponses(document);
  return document;
};
