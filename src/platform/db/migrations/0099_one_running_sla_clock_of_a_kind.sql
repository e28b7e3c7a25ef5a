-- bluelamp: no transaction
-- A contact holds at most one running SLA clock of each kind (decision 0185). The code kept to it by
-- stopping a kind before starting it again, but two transactions that each found none running (two
-- messages on one contact at once) could both start one, and its warning, breach and alert came
-- twice. A start now inserts with ON CONFLICT DO NOTHING against this index and records only the
-- clocks it started. Partial, so only running clocks are in it; built concurrently, so intake keeps
-- writing meanwhile. Running duplicates left by the old race fail the build: the start stops,
-- naming the migration, and the runbook ("Upgrading a live database") says how to stop the later
-- ones; the next start drops the failed (INVALID) index and builds it again.
create unique index concurrently if not exists sla_clocks_one_running_of_a_kind on sla_clocks (force_id, contact_id, kind)
  where stopped_at is null;
