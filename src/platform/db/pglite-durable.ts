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
  FS: { ErrnoError: new (errno: number) => Error };
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

const EIO = 29;
const S_IFDIR = 0o040000;

/** What the durable file system has flushed in this process: for tests and the curious. */
export const pgliteFlushes = { count: 0, lastPath: '' };

/** Flushes one file or folder of the data folder to disk (fdatasync: the data and its size). */
function flushPath(realPath: string): void {
  const fd = openSync(realPath, 'r');
  try {
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * PGlite's Node file system with the fsync PostgreSQL asks for. Folders are flushed too (a new
 * WAL segment's name), by opening them, since the emscripten layer keeps no descriptor for one. A
 * flush that fails answers EIO, as the kernel would, and PostgreSQL then stops rather than go on
 * with data it cannot trust.
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
      if (typeof stream.nfd === 'number') fdatasyncSync(stream.nfd);
      else if ((stream.node.mode & S_IFDIR) === S_IFDIR) flushPath(realPath);
      else return 0;
    } catch {
      throw new mod.FS.ErrnoError(EIO);
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
