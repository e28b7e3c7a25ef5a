import { closeSync, fdatasyncSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

// Embedded PGlite, as shipped, never flushes anything to disk: it starts PostgreSQL with fsync off
// (`-F`), and its Node file system has no fsync for PostgreSQL to call. A commit then lives in the
// operating system's page cache: it survives the process being killed, not the machine losing
// power or the kernel crashing. A data folder on disk is instead opened as PostgreSQL runs on a
// server (decision 0051): fsync on, the WAL flushed at every commit, data files at checkpoints.

/** The emscripten module as far as this file uses it. */
type EmscriptenModule = {
  NODEFS: {
    realPath(node: unknown): string;
    stream_ops: Record<string, unknown> & { fsync?: (stream: NodefsStream) => number };
  };
};
type NodefsStream = { nfd?: number; node: { mode: number } };

/** PGlite's start-up arguments with fsync on, and the WAL flushed with fsync (see below). */
export const DURABLE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams.filter((param) => param !== '-F'),
  // PostgreSQL's default on Linux, fdatasync, reaches a C library stub that does nothing in
  // PGlite's WebAssembly build; fsync reaches the file system's fsync, which flushes (below).
  '-c',
  'wal_sync_method=fsync',
];

const S_IFDIR = 0o040000;

/** The exit code when the disk fails a flush (sysexits' EX_IOERR). */
export const FLUSH_FAILED_EXIT_CODE = 74;

/**
 * What the durable file system has flushed in this process, for tests and the curious, and the
 * call that flushes a descriptor (tests replace it to make a disk fail).
 */
export const pgliteFlushes = { count: 0, lastPath: '', sync: (fd: number): void => fdatasyncSync(fd) };

/** Flushes one file or folder of the data folder to disk (fdatasync: the data and its size). */
function flushPath(realPath: string): void {
  const fd = openSync(realPath, 'r');
  try {
    pgliteFlushes.sync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * PGlite's Node file system with the fsync PostgreSQL asks for. Folders are flushed too (a new
 * WAL segment's name), by opening them, since the emscripten layer keeps no descriptor for one.
 *
 * A flush that fails stops the process at once, with exit code FLUSH_FAILED_EXIT_CODE: what was
 * written may never reach the disk, so nothing more may be acknowledged. PostgreSQL on a server
 * does the same (a PANIC, then recovery from the WAL); in PGlite, a PANIC inside a transaction's
 * commit spins the engine for ever and holds the event loop, so the error is never handed back
 * to it. The commit that asked for the flush was not acknowledged; a supervisor that restarts the
 * process gets the folder recovered from its WAL.
 */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]): ReturnType<NodeFS['init']> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const preRun = [...(emscriptenOpts.preRun ?? []), (mod: unknown) => addFsync(mod as EmscriptenModule)];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } };
  }
}

function addFsync(mod: EmscriptenModule): void {
  const nodefs = mod.NODEFS;
  nodefs.stream_ops.fsync = (stream) => {
    const realPath = nodefs.realPath(stream.node);
    try {
      if (typeof stream.nfd === 'number') pgliteFlushes.sync(stream.nfd);
      else if ((stream.node.mode & S_IFDIR) === S_IFDIR) flushPath(realPath);
      else return 0;
    } catch (error) {
      process.stderr.write(
        `Bluelamp stopped: the disk failed to flush ${realPath} (${error instanceof Error ? error.message : String(error)}). ` +
          'Nothing after the last flushed commit was acknowledged. Check the disk, then start Bluelamp again: the data folder is recovered from its write-ahead log.\n',
      );
      process.exit(FLUSH_FAILED_EXIT_CODE);
    }
    pgliteFlushes.count += 1;
    pgliteFlushes.lastPath = realPath;
    return 0;
  };
}

/**
 * Flushes every file and folder under `dir`. For a data folder PGlite has just made (its initdb
 * writes nothing to disk for sure), so the new cluster is on disk before anything is stored in it.
 */
export function flushTree(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() || entry.isDirectory()) flushPath(path.join(entry.parentPath, entry.name));
  }
  flushPath(dir);
}
