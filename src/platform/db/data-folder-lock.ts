import { closeSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';

/** What a lock file records about the process that holds the data folder. */
export type LockOwner = { pid: number; host: string; startedAt: string; command: string };

/**
 * Another process (or this one) holds the PGlite data folder. PGlite is one process's database:
 * a second process that opened the folder would write into its own copy, and its writes would
 * vanish when the first process writes next, so it must not open it at all.
 */
export class DataFolderInUseError extends AppError {
  override name = 'DataFolderInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {
    super('unavailable', `the data folder ${dataDir} is in use by process ${owner.pid} on ${owner.host} (${owner.command}, since ${owner.startedAt})`);
  }
}

const LOCK_FILE = 'bluelamp.lock';
const heldHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const owner = parsed as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return null;
    return { pid: owner.pid, host: owner.host, startedAt: String(owner.startedAt ?? ''), command: String(owner.command ?? '') };
  } catch {
    return null; // missing, or half written by a process killed while writing it
  }
}

/**
 * A lock left by a process that is gone: it was on this machine and its process no longer runs
 * (after `kill -9` or a power cut), or it names this very process id (a restarted container often
 * reuses the id), which cannot be a live holder since this process holds nothing yet.
 */
function isStale(owner: LockOwner | null): boolean {
  if (!owner) return true;
  if (owner.host !== hostname()) return false; // cannot tell; the operator must decide
  return owner.pid === process.pid || !isAlive(owner.pid);
}

/**
 * Takes the data folder for this process, or throws `DataFolderInUseError` naming the holder.
 * The lock is a file created exclusively (`wx`) holding the process id; a lock whose process has
 * died is taken over. Returns the function that releases it (also run when the process exits).
 */
export function lockDataFolder(dataDir: string, command: string): () => void {
  const dir = path.resolve(dataDir);
  const file = path.join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  if (heldHere.has(file)) throw new DataFolderInUseError(dir, readOwner(file) ?? me);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(me));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (!isStale(owner) || attempt >= 3) {
        throw new DataFolderInUseError(dir, owner ?? { pid: 0, host: 'unknown', startedAt: '', command: 'unknown' });
      }
      // Move the stale file aside atomically, so of two processes taking it over only one removes it.
      const aside = `${file}.stale-${process.pid}`;
      try {
        renameSync(file, aside);
        const moved = readOwner(aside);
        // If another process replaced the stale file between our read and the move, put its
        // live lock back (link fails if the place is taken again) and look once more.
        if (moved && (moved.pid !== owner?.pid || moved.startedAt !== owner.startedAt)) linkSync(aside, file);
      } catch {
        // Someone else moved or replaced it first; look again.
      } finally {
        rmSync(aside, { force: true });
      }
    }
  }
  heldHere.add(file);
  const release = () => {
    if (!heldHere.delete(file)) return;
    process.off('exit', release);
    if (readOwner(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.on('exit', release);
  return release;
}
