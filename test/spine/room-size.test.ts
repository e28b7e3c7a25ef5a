import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A capability's file past 400 lines is doing several jobs (docs/ARCHITECTURE.md): split it by job.

const CAPABILITIES = fileURLToPath(new URL('../../src/capabilities/', import.meta.url));
const MAX_LINES = 400;

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

describe('the size of capability files', () => {
  it('keeps-every-file-under-src-capabilities-within-400-lines', () => {
    const files = listFiles(CAPABILITIES);
    expect(files.length).toBeGreaterThan(50);
    const tooLong = files
      .map((file) => ({ file: path.relative(CAPABILITIES, file), lines: readFileSync(file, 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ file, lines }) => `${file}: ${lines} lines`);
    expect(tooLong).toEqual([]);
  });
});
