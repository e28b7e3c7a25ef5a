import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildApiDocument } from '../src/http-api.ts';

/** Where the console's copy of the API document and the types generated from it live. */
export const API_DOCUMENT_FILE = fileURLToPath(new URL('../web/console/src/api/openapi.json', import.meta.url));
export const API_TYPES_FILE = fileURLToPath(new URL('../web/console/src/api/schema.ts', import.meta.url));

const TYPES_HEADER = `// Generated from the server's routes by \`npm run api:generate\`: do not edit by hand.
// A route's request and response schemas (zod, through the route helper) are the source; change
// them, then run \`npm run api:generate\` and commit this file with openapi.json beside it.
// test/api/openapi-contract.test.ts fails while either file is out of date.

`;

export type ApiFiles = { document: string; types: string };

/** The API document (JSON text) and the TypeScript types openapi-typescript makes of it. */
export async function renderApiFiles(): Promise<ApiFiles> {
  const document = `${JSON.stringify(await buildApiDocument(), null, 2)}\n`;
  // Defaults make a field optional in requests, as the server fills them in.
  const ast = await openapiTS(document, { defaultNonNullable: false, silent: true });
  return { document, types: TYPES_HEADER + astToString(ast) };
}
