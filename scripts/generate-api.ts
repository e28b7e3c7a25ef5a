import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { API_DOCUMENT_FILE, API_TYPES_FILE, renderApiFiles } from './api-contract.ts';

// `npm run api:generate`: builds the server's routes in this process (no database, no socket),
// writes the OpenAPI document and the console's generated types.
const files = await renderApiFiles();
await mkdir(path.dirname(API_DOCUMENT_FILE), { recursive: true });
await writeFile(API_DOCUMENT_FILE, files.document);
await writeFile(API_TYPES_FILE, files.types);
console.log(`Wrote ${path.relative(process.cwd(), API_DOCUMENT_FILE)} and ${path.relative(process.cwd(), API_TYPES_FILE)}`);
