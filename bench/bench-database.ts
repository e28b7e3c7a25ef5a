import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createBenchDatabase } from '../test/helpers.ts';

/**
 * Where a benchmark's app keeps its data: a scratch PostgreSQL database when DATABASE_URL is set,
 * otherwise a fresh PGlite folder. `env` goes into loadConfig; `remove` drops what was made.
 */
export async function benchDatabase(): Promise<{ env: Record<string, string>; remove: () => Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const scratch = await createBenchDatabase();
    return { env: { DATABASE_URL: scratch.url }, remove: () => scratch.drop() };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bluelamp-bench-'));
  return { env: { DATA_DIR: dataDir }, remove: async () => rmSync(dataDir, { recursive: true, force: true }) };
}
