import { sql } from 'kysely';
import type { Db } from '../src/platform/db/database.ts';

/**
 * Makes the database refuse one commit, as PostgreSQL refuses a serializable transaction that
 * conflicted with another (40001, serialization_failure): the first transaction that writes a row
 * of `table` for which `condition` (SQL over `new`) holds fails at COMMIT and rolls back whole; any
 * later one commits. A real rollback of real work, so what runs "after commit" is shown to run only
 * for the try that committed. `refusals()` says how many commits it refused (0 or 1); `remove()`
 * takes it away. `name` is a plain identifier of the test's own.
 */
export async function refuseCommitOnce(
  db: Db,
  name: string,
  on: { table: string; write: 'insert' | 'update'; condition: string },
): Promise<{ refusals: () => Promise<number>; remove: () => Promise<void> }> {
  if (!/^[a-z_]+$/.test(name) || !/^[a-z_]+$/.test(on.table)) throw new Error('a plain identifier, please');
  const id = sql.raw(`test_refuse_${name}`);
  const tries = sql.raw(`test_refuse_${name}_tries`);
  await sql`create sequence ${tries}`.execute(db);
  // Deferred, so it runs at COMMIT, after all the transaction's own work (and what it gathered to tell).
  await sql`create function ${id}() returns trigger language plpgsql security definer as $$
    begin
      if ${sql.raw(on.condition)} then
        if nextval('${tries}') = 1 then
          raise exception 'could not serialize access due to read/write dependencies among transactions' using errcode = '40001';
        end if;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger ${id} after ${sql.raw(on.write)} on ${sql.raw(on.table)} deferrable initially deferred for each row execute function ${id}()`.execute(db);
  return {
    refusals: async () => {
      const { rows } = await sql<{ used: boolean }>`select is_called as used from ${tries}`.execute(db);
      return rows[0]?.used ? 1 : 0;
    },
    remove: async () => {
      await sql`drop trigger ${id} on ${sql.raw(on.table)}`.execute(db);
      await sql`drop function ${id}()`.execute(db);
      await sql`drop sequence ${tries}`.execute(db);
    },
  };
}
