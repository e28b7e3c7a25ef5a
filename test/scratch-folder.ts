import { accessSync, constants, mkdtempSync, statfsSync } from 'node:fs';
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
/**
 * What the memory file system must have free to be used: the template's folders and a few copies
 * of about 45 MB each at once, with room to spare (a container's /dev/shm is often 64 MB).
 */
const MEMORY_FOLDER_MIN_FREE_BYTES = 2 * 1024 ** 3;

function chooseScratchRoot(): string {
  try {
    accessSync(MEMORY_FOLDER, constants.W_OK);
    const stats = statfsSync(MEMORY_FOLDER);
    if (stats.bavail * stats.bsize >= MEMORY_FOLDER_MIN_FREE_BYTES) return MEMORY_FOLDER;
  } catch {
    // No memory file system here: the temporary folder below.
  }
  return tmpdir();
}

let scratchRoot: string | undefined;

/** A new, empty folder for a test's data, named with `prefix`; the caller removes it. */
export function makeScratchFolder(prefix: string): string {
  scratchRoot ??= chooseScratchRoot();
  return mkdtempSync(path.join(scratchRoot, prefix));
}
