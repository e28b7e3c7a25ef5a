import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';

// CPU time of a piece of work: on a shared, busy machine throughput follows whatever else runs,
// CPU time per operation follows the code.

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/**
 * CPU seconds used so far by the database's server processes (PostgreSQL backends serving this
 * database, read from /proc on this machine); 0 for PGlite, whose CPU is this process's own.
 */
async function databaseCpuSeconds(db: Db, engine: string): Promise<Map<number, number>> {
  const used = new Map<number, number>();
  if (engine !== 'postgres') return used;
  const rows = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(db);
  for (const { pid } of rows.rows) {
    try {
      // Fields after the command name: state is 3rd, utime 14th and stime 15th of the whole line.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / USER_HZ);
    } catch {
      // The backend ended between the query and the read: its time is lost either way.
    }
  }
  return used;
}

/** CPU seconds of this process and of the database between two readings taken around `work`. */
export async function measureCpu<T>(db: Db, engine: string, work: () => Promise<T>): Promise<{ result: T; processSeconds: number; databaseSeconds: number }> {
  const databaseBefore = await databaseCpuSeconds(db, engine);
  const before = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(before);
  const databaseAfter = await databaseCpuSeconds(db, engine);
  let databaseSeconds = 0;
  for (const [pid, seconds] of databaseAfter) databaseSeconds += seconds - (databaseBefore.get(pid) ?? 0);
  return { result, processSeconds: (used.user + used.system) / 1e6, databaseSeconds };
}
