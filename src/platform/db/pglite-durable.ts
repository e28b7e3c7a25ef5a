import { closeSync, fdatasyncSync, openSync, readdirSync, writeSync } from 'node:fs';
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
    /** Runs a Node file call, turning a Node error into the file system's own. */
    tryFSOperation<T>(operation: () => T): T;
    stream_ops: Record<string, unknown> & { fsync?: (stream: NodefsStream) => number; write?: NodefsWrite };
  };
};
type NodefsWrite = (stream: NodefsStream, buffer: Uint8Array, offset: number, length: number, position?: number) => number;
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

/** The exit code when the disk fails a flush or a write-ahead-log write (sysexits' EX_IOERR). */
export const DISK_FAILED_EXIT_CODE = 74;

/**
 * What the durable file system has flushed in this process, for tests and the curious, and the
 * call that flushes a descriptor (tests replace it to make a disk fail).
 */
export const pgliteFlushes = { count: 0, lastPath: '', sync: (fd: number): void => fdatasyncSync(fd) };

/** The call that writes to a descriptor of the data folder (tests replace it to fill the disk). */
export const pgliteWrites = {
  write: (fd: number, buffer: Uint8Array, offset: number, length: number, position?: number): number => writeSync(fd, buffer, offset, length, position),
};

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
 * A flush that fails stops the process at once, with exit code DISK_FAILED_EXIT_CODE: what was
 * written may never reach the disk, so nothing more may be acknowledged. PostgreSQL on a server
 * does the same (a PANIC, then recovery from the WAL); in PGlite, a PANIC inside a transaction's
 * commit spins the engine for ever and holds the event loop, so the error is never handed back
 * to it. The commit that asked for the flush was not acknowledged; a supervisor that restarts the
 * process gets the folder recovered from its WAL. A failed write to the WAL (a full disk, when
 * PostgreSQL makes its next 16 MB segment) stops it the same way, for the same reason.
 */
export class DurableNodeFS extends NodeFS {
  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]): ReturnType<NodeFS['init']> {
    const { emscriptenOpts } = await super.init(pg, opts);
    const preRun = [...(emscriptenOpts.preRun ?? []), (mod: unknown) => addFsync(mod as EmscriptenModule), (mod: unknown) => guardWrites(mod as EmscriptenModule)];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } };
  }
}

/** Stops the process at once, saying why on stderr (see DurableNodeFS). */
function stopOnDiskFault(what: string, error: unknown): never {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const isFull = code === 'ENOSPC' || code === 'EDQUOT';
  process.stderr.write(
    `Bluelamp stopped: ${isFull ? 'the disk is full: ' : ''}the disk failed to ${what} (${error instanceof Error ? error.message : String(error)}). ` +
      `Nothing after the last flushed commit was acknowledged. ${isFull ? 'Free space on the disk of DATA_DIR' : 'Check the disk'}, then start Bluelamp again: the data folder is recovered from its write-ahead log.\n`,
  );
  process.exit(DISK_FAILED_EXIT_CODE);
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
      stopOnDiskFault(`flush ${realPath}`, error);
    }
    pgliteFlushes.count += 1;
    pgliteFlushes.lastPath = realPath;
    return 0;
  };
}

/**
 * The files whose failed write PostgreSQL answers with a PANIC (the write-ahead log, written
 * inside a commit's critical section; the control file), which in PGlite spins for ever. A failed
 * write elsewhere (a table growing on a full disk) is an ERROR PostgreSQL survives: that
 * transaction fails and is answered 503, and the process goes on.
 */
function isPanicOnFailure(realPath: string): boolean {
  return realPath.includes(`${path.sep}pg_wal${path.sep}`) || realPath.endsWith(`${path.sep}global${path.sep}pg_control`);
}

function guardWrites(mod: EmscriptenModule): void {
  const nodefs = mod.NODEFS;
  nodefs.stream_ops.write = (stream, buffer, offset, length, position) =>
    nodefs.tryFSOperation(() => {
      if (typeof stream.nfd !== 'number') throw Object.assign(new Error('EBADF: not an open file'), { code: 'EBADF' });
      try {
        return pgliteWrites.write(stream.nfd, buffer, offset, length, position);
      } catch (error) {
        const realPath = nodefs.realPath(stream.node);
        if (isPanicOnFailure(realPath)) stopOnDiskFault(`write ${realPath}`, error);
        throw error;
      }
    });
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
