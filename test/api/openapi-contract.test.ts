import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_DOCUMENT_FILE, API_TYPES_FILE, renderApiFiles, type ApiFiles } from '../../scripts/api-contract.ts';
import { API_TAGS } from '../../src/platform/http/api-document.ts';
import { PERMISSIONS } from '../../src/platform/auth/permissions.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

type Operation = {
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  'x-permission'?: string;
  'x-websocket'?: boolean;
  'x-integration-token'?: string;
};
type Document = { paths: Record<string, Record<string, Operation>> };

const KNOWN_PERMISSIONS = new Set<string>(['public', 'signed-in', ...PERMISSIONS]);
const TAG_NAMES = new Set<string>(API_TAGS.map((tag) => tag.name));

function operationsOf(document: Document): { label: string; method: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({ label: `${method.toUpperCase()} ${path}`, method, operation })),
  );
}

const hasSchema = (response: Operation['responses'][string] | undefined) =>
  Object.values(response?.content ?? {}).some((media) => media.schema !== undefined);

/**
 * The files as `npm run api:generate` writes them: rendered in a fresh process, as the command
 * does, so that nothing another test file loaded into this worker (the suite shares modules between
 * files) can change what is compared with the files on disk.
 */
async function renderedAsTheCommandDoes(): Promise<ApiFiles> {
  const render = "const m = await import('./scripts/api-contract.ts'); process.stdout.write(JSON.stringify(await m.renderApiFiles()));";
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', render], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ApiFiles;
}

/** Where two texts first differ, as a line of each, to say what is out of date. */
function firstDifference(onDisk: string, rendered: string): string {
  const [a, b] = [onDisk.split('\n'), rendered.split('\n')];
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}: on disk ${JSON.stringify(a[at] ?? '(end)')}, rendered ${JSON.stringify(b[at] ?? '(end)')}`;
}

describe('the API contract', () => {
  let generated: ApiFiles;
  let document: Document;

  beforeAll(async () => {
    generated = await renderApiFiles();
    document = JSON.parse(generated.document) as Document;
  });

  it('has-current-generated-files: openapi.json and schema.ts match the routes (run `npm run api:generate`)', async () => {
    const [documentOnDisk, typesOnDisk, rendered] = await Promise.all([readFile(API_DOCUMENT_FILE, 'utf8'), readFile(API_TYPES_FILE, 'utf8'), renderedAsTheCommandDoes()]);
    expect(documentOnDisk === rendered.document, `web/console/src/api/openapi.json is out of date (${firstDifference(documentOnDisk, rendered.document)}): run \`npm run api:generate\``).toBe(true);
    expect(typesOnDisk === rendered.types, `web/console/src/api/schema.ts is out of date (${firstDifference(typesOnDisk, rendered.types)}): run \`npm run api:generate\``).toBe(true);
  });

  it('gives-every-operation-a-success-schema-an-operation-id-a-tag-and-a-permission', () => {
    const operations = operationsOf(document);
    expect(operations.length).toBeGreaterThan(50);
    const ids = new Map<string, string>();
    for (const { label, operation } of operations) {
      const successes = Object.entries(operation.responses).filter(([status]) => /^2/.test(status) || (status === '101' && operation['x-websocket']));
      // A 204 has no body by definition; every other success states its body's schema.
      expect(successes.some(([status, response]) => status === '204' || hasSchema(response)), `${label} has no success response with a schema`).toBe(true);
      expect(operation.operationId, `${label} has no operationId`).toMatch(/^[a-z][A-Za-z0-9]+$/);
      const id = operation.operationId ?? '';
      expect(ids.get(id), `${label} reuses the operationId of ${ids.get(id)}`).toBeUndefined();
      ids.set(id, label);
      expect(operation.tags?.length, `${label} has no tag`).toBe(1);
      expect(TAG_NAMES.has(operation.tags?.[0] ?? ''), `${label} has a tag not in API_TAGS`).toBe(true);
      expect(KNOWN_PERMISSIONS.has(operation['x-permission'] ?? ''), `${label} declares no known permission`).toBe(true);
    }
  });

  it('describes-every-error-with-the-one-error-body', () => {
    for (const { label, operation } of operationsOf(document)) {
      for (const status of ['4XX', '5XX']) {
        const response = operation.responses[status];
        // Metrics answer their own 401 in text; everything else of theirs is JSON as below.
        expect(response, `${label} declares no ${status} response`).toBeDefined();
        if (!label.endsWith(' /metrics')) {
          expect(response?.content?.['application/json']?.schema, `${label} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
        }
      }
    }
  });

  /** The routes an integration calls with its bearer token, and whose token; every other route ignores one (decision 0203). */
  const TAKES_INTEGRATION_TOKEN = new Map([
    ['POST /api/units/positions', 'tracking'],
    ['POST /api/integrations/records/cases', 'records'],
  ]);

  it('asks-staff-operations-for-the-session-and-changes-for-the-csrf-token-too, and integration operations for their bearer token', () => {
    for (const { label, method, operation } of operationsOf(document)) {
      const permission = operation['x-permission'];
      const integration = TAKES_INTEGRATION_TOKEN.get(label);
      expect(operation['x-integration-token'], `${label} names the wrong integration token`).toBe(integration);
      const expected: Record<string, string[]>[] = permission === 'public' ? [] : method === 'get' ? [{ session: [] }] : [{ session: [], csrf: [] }];
      // The records system posts with its token only; vehicle tracking's feed in place of a session.
      if (integration) expected.push({ integrationToken: [] });
      if (expected.length === 0) expect(operation.security, `${label} is public but asks for a credential`).toBeUndefined();
      else expect(operation.security, label).toEqual(expected);
    }
  });

  describe('served by the running product', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await createTestApp({ env: { METRICS_TOKEN: 'a-metrics-token-for-the-contract-test' } });
    });
    afterAll(() => app.close());

    it('serves-the-same-document-as-the-one-generated-without-a-database', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual(document);
    });
  });
});
