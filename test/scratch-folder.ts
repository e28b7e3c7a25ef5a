import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Where tests make the PGlite data folders the product opens on disk: a memory file system where
// the machine has one (/dev/shm on Linux), else the system's temporary folder. The product flushes
// every commit of a folder on disk (decision 0051); on a disk that discards freed blocks, a folder
// so flushed took about 2 s to delete, with the test's worker waiting on the disk, not working, for
// every folder a test made. Nothing a test shows depends on the folder's disk: the flushes are still
// made (and counted: pglite-durability.test.ts), what a killed process wrote outlives it as on a
// disk, and a full disk is made by the test itself (test/fixtures/fill-the-disk.ts).
const MEMORY_FOLDER = '/dev/shm';

function scratchRoot(): string {
  try {
    accessSync(MEMORY_FOLDER, constants.W_OK);
    return MEMORY_FOLDER;
  } catch {
    return tmpdir();
  }
}

/** A new, empty folder for a test's data, named with `prefix`; the caller removes it. */
export function makeScratchFolder(prefix: string): string {
  return mkdtempSync(path.join(scratchRoot(), prefix));
}
