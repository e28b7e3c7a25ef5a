import { statfsSync } from 'node:fs';
import { Gauge, type Registry } from 'prom-client';

/** Free and total bytes of the file system a folder is on; null when it cannot be read (not made yet, gone). */
function spaceOf(folder: string): { free: number; size: number } | null {
  try {
    const stats = statfsSync(folder);
    return { free: stats.bavail * stats.bsize, size: stats.blocks * stats.bsize };
  } catch {
    return null;
  }
}

/**
 * Gauges of the space left where Bluelamp writes outside the database server: embedded PGlite's
 * data folder and the audit checkpoints, by the name given to each folder. A full disk stops
 * PGlite (exit code 74) and refuses checkpoints, so this is the alarm to have before that.
 */
export function registerDiskGauges(registry: Registry, folders: Readonly<Record<string, string>>): void {
  const registers = [registry];
  const each = (read: (space: { free: number; size: number }) => number) =>
    function collect(this: Gauge<'folder'>) {
      this.reset();
      for (const [folder, path] of Object.entries(folders)) {
        const space = spaceOf(path);
        if (space) this.set({ folder }, read(space));
      }
    };
  new Gauge({
    name: 'bluelamp_disk_free_bytes',
    help: 'Bytes free to Bluelamp on the file system of each folder it writes (data: PGlite DATA_DIR; audit_checkpoints)',
    labelNames: ['folder'],
    registers,
    collect: each((space) => space.free),
  });
  new Gauge({
    name: 'bluelamp_disk_size_bytes',
    help: 'Size in bytes of the file system of each folder Bluelamp writes',
    labelNames: ['folder'],
    registers,
    collect: each((space) => space.size),
  });
}
