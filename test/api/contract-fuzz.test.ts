import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_DOCUMENT_FILE } from '../../scripts/api-contract.ts';
import { ROLE_PERMISSIONS, STAFF_ROLES, type Permission, type StaffRole } from '../../src/platform/auth/permissions.ts';
import { DEMO_ACCOUNTS } from '../../src/capabilities/admin/forces.service.ts';
import { createTestApp, signIn, submitPublicReport, type TestApp } from '../helpers.ts';
import type { Operation, Schema } from './openapi-shapes.ts';

/**
 * Every operation in the generated API contract, as a role allowed to call it, gets malformed
 * path parameters, query values and bodies: each answer is a 4xx in the error shape or a success,
 * never a 5xx. The list of operations comes from the contract, so a route added later is covered
 * without anyone remembering to add it here. hostile-input.test.ts checks the answers in detail
 * for the routes the public and staff use most.
 */


/** Marks where a raw value goes in a body's text. */
const HOLE = '@@hole@@';
/** Well formed, names nothing: where a real record is not at hand, the request gets as far as 404. */
const MISSING_ID = '00000000-0000-4000-8000-00000000dead';

/** A minimal value of a schema: required properties only, the first of an enum. */
function sample(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return 'x';
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return sample(choice.find((s) => s.type !== 'null') ?? choice[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (type === 'object' || schema.properties) {
    const required = new Set(schema.required ?? []);
    return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([key]) => required.has(key)).map(([key, s]) => [key, sample(s, depth + 1)]));
  }
  if (type === 'array') return Array.from({ length: schema.minItems ?? 1 }, () => sample(schema.items, depth + 1));
  if (type === 'integer' || type === 'number') return schema.minimum ?? 1;
  if (type === 'boolean') return true;
  if (schema.format === 'uuid') return MISSING_ID;
  if (schema.format === 'date-time') return '2026-01-02T10:00:00.000Z';
  if (schema.format === 'email') return 'someone@example.org';
  return 'x'.repeat(Math.max(1, schema.minLength ?? 1));
}

const BAD_PATH_VALUES = ['not-an-id', 'a'.repeat(3000), '%E0%A4%A', '%00', '-1', '99999999999999999999', '2147483648', '9007199254740991'];
const BAD_QUERY_VALUES = ['x', '-1', '99999999999999999999', '2147483648', '9007199254740991', '%00', '%E0%A4%A', 'a'.repeat(5000)];
const BAD_RAW_BODIES = ['{', '[]', 'null', '"text"', '{"a":'.repeat(5000), '\u0000'];
/** Each replaces one property of an otherwise valid body. */
const BAD_FIELD_VALUES: unknown[] = ['\u0000', 'nul\u0000inside', 'lone \ud800 surrogate', 'x'.repeat(300_000), -1, 1e308, 0.5, 2147483648, 9007199254740991, [], {}, null, true, '', '2026-02-30T25:61:00Z', [[[]]]];
/**
 * Written into a body as they are, in place of one property's value: what JSON can say and a
 * JavaScript value built by hand cannot be sent as (a list nested too deep to stringify, a number
 * too large to be finite), and dates beyond the ones the database keeps.
 */
const BAD_RAW_FIELD_VALUES = ['['.repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), '1e400', '-0', '9223372036854775808', '"0000-01-01T00:00:00Z"', '"+275760-09-13T00:00:00.000Z"'];
/** Each replaces one property of the first item (or the object) under a property that holds them. */
const BAD_INNER_VALUES = ['"\u0000"', '""', '[]', '{}', 'null', '-1', ...BAD_RAW_FIELD_VALUES];

const document = JSON.parse(readFileSync(API_DOCUMENT_FILE, 'utf8')) as { paths: Record<string, Record<string, Operation>> };
const emailOf = new Map(DEMO_ACCOUNTS.map((account) => [account.role, account.email]));

/** The demo role that may call an operation, or null for public operations. */
function roleFor(permission: string | undefined): StaffRole | null {
  if (!permission || permission === 'public') return null;
  if (permission === 'signed-in') return 'call_handler';
  const role = STAFF_ROLES.find((r) => ROLE_PERMISSIONS[r].includes(permission as Permission));
  if (!role) throw new Error(`no demo role holds ${permission}`);
  return role;
}

describe('every operation in the API contract, given malformed input', () => {
  let app: TestApp;
  const headersOf = new Map<StaffRole, Record<string, string>>();
  /** A real record for the ids under a path, so malformed bodies reach past the lookup. */
  const realIds: [prefix: string, id: string][] = [];

  beforeAll(async () => {
    app = await createTestApp();
    for (const role of STAFF_ROLES) headersOf.set(role, (await signIn(app, emailOf.get(role) ?? '')).headers);
    await submitPublicReport(app.deps, app.demoForceId, { submissionId: 'fuzz-1', whatHappened: 'Someone scratched my car', where: 'Station Road', when: 'Tuesday', name: 'Chris Example', email: 'chris@example.org' });
    await app.reports.settled();
    const created = await app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: headersOf.get('dispatcher'),
      payload: { type: 'crime_violence', summary: 'Fight outside', locationText: 'High Street', lat: 52.1, lon: -1.2 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const lists: [string, string, StaffRole][] = [
      ['/api/contacts/', '/api/contacts', 'supervisor'],
      ['/api/incidents/', '/api/incidents', 'dispatcher'],
      ['/api/units/', '/api/units', 'dispatcher'],
      ['/api/staff/', '/api/staff', 'force_admin'],
      ['/api/routing/staff/', '/api/staff', 'force_admin'],
      ['/api/queues/', '/api/queues', 'force_admin'],
      ['/api/channels/', '/api/channels', 'force_admin'],
      ['/api/help-articles/', '/api/help-articles', 'force_admin'],
    ];
    for (const [prefix, url, role] of lists) {
      const id = firstId((await app.inject({ method: 'GET', url, headers: headersOf.get(role) })).json());
      expect(id, `a record listed at ${url}`).toBeDefined();
      realIds.push([prefix, id ?? MISSING_ID]);
    }
  });
  afterAll(() => app.close());

  it('answers-each-with-a-4xx-in-the-error-shape-or-a-success-never-a-5xx', async () => {
    const failures: string[] = [];
    let sent = 0;
    const send = async (role: StaffRole | null, method: string, url: string, payload?: string, contentType = 'application/json') => {
      sent += 1;
      const headers: Record<string, string> = { ...(role ? headersOf.get(role) : {}) };
      if (payload !== undefined) headers['content-type'] = contentType;
      const response = await app.inject({ method: method as 'POST', url, headers, ...(payload !== undefined ? { payload } : {}) });
      const what = `${role ?? 'public'} ${method} ${url.slice(0, 120)} ${payload?.slice(0, 120) ?? ''}`;
      if (response.statusCode >= 500) failures.push(`${what} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      else if (response.statusCode >= 400 && /json/.test(String(response.headers['content-type']))) {
        const code = response.json<{ error?: { code?: unknown } }>().error?.code;
        if (typeof code !== 'string') failures.push(`${what} → ${response.statusCode} without an error code: ${response.body.slice(0, 200)}`);
      }
    };

    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (operation['x-websocket'] || path === '/api/live') continue;
        const verb = method.toUpperCase();
        const role = roleFor(operation['x-permission']);
        const realId = realIds.filter(([prefix]) => path.startsWith(prefix)).sort((a, b) => b[0].length - a[0].length)[0]?.[1];
        const url = (values: Record<string, string> = {}) =>
          path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? (name === 'version' ? '1' : name === 'key' ? 'acknowledgement' : name === 'id' && realId ? realId : MISSING_ID));
        const schema = operation.requestBody?.content['application/json']?.schema;
        const valid = schema ? sample(schema) : undefined;
        const validText = valid === undefined ? undefined : JSON.stringify(valid);
        const params = operation.parameters ?? [];

        for (const param of params.filter((p) => p.in === 'path')) {
          for (const bad of BAD_PATH_VALUES) await send(role, verb, url({ [param.name]: bad }), verb === 'GET' ? undefined : (validText ?? '{}'));
        }
        for (const param of params.filter((p) => p.in === 'query')) {
          for (const bad of BAD_QUERY_VALUES) await send(role, verb, `${url()}?${param.name}=${bad}`, verb === 'GET' ? undefined : (validText ?? '{}'));
          await send(role, verb, `${url()}?${param.name}=1&${param.name}=2`, verb === 'GET' ? undefined : (validText ?? '{}'));
        }
        if (verb === 'GET') continue;
        for (const raw of BAD_RAW_BODIES) await send(role, verb, url(), raw);
        await send(role, verb, url(), 'hello', 'text/plain');
        if (valid && typeof valid === 'object' && !Array.isArray(valid) && schema?.properties) {
          for (const [key, property] of Object.entries(schema.properties)) {
            for (const bad of BAD_FIELD_VALUES) await send(role, verb, url(), JSON.stringify({ ...valid, [key]: bad }));
            const withHole = JSON.stringify({ ...valid, [key]: HOLE });
            for (const bad of BAD_RAW_FIELD_VALUES) await send(role, verb, url(), withHole.replace(`"${HOLE}"`, bad));
            const held = property.anyOf?.find((s) => s.type !== 'null') ?? property;
            const item = held.items ?? held;
            for (const inner of Object.keys(item.properties ?? {})) {
              const innerText = JSON.stringify({ ...(sample(item) as object), [inner]: HOLE });
              const around = JSON.stringify({ ...valid, [key]: HOLE }).replace(`"${HOLE}"`, held.items ? `[${innerText}]` : innerText);
              for (const bad of BAD_INNER_VALUES) await send(role, verb, url(), around.replace(`"${HOLE}"`, bad));
            }
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(3000);
    expect(failures).toEqual([]);
  });
});

/** The first `id` in a list answer, however it is wrapped. */
function firstId(value: unknown): string | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = firstId(item);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.id === 'string') return record.id;
    for (const item of Object.values(record)) {
      const found = firstId(item);
      if (found) return found;
    }
  }
  return undefined;
}
