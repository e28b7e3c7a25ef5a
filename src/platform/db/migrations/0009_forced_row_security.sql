-- Row-level security is forced on every tenant table (every table with force_id, and forces itself),
-- so the owning role is bound by the policies too: without FORCE a table's owner bypasses them, and
-- an owner query that forgot to name a force would read every force. The owner keeps its
-- cross-force access only where the code says so: withSystem() and migrations set bluelamp.system
-- for their own transaction. Any other owner query sees only the force named by bluelamp.force_id,
-- which is normally none. The application role never gets the system policy, whatever it sets.
-- (Superusers still bypass row-level security; production should connect as a role that is not one.)
-- A table added by a later migration needs the same three statements.
do $$
declare t text;
begin
  for t in
    select c.relname
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema()
      and c.relkind in ('r', 'p')
      and (c.relname = 'forces'
        or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'force_id' and not a.attisdropped))
  loop
    execute format('alter table %I enable row level security', t);
    execute format('alter table %I force row level security', t);
    execute format($p$create policy system on %I
      using (current_setting('bluelamp.system', true) = 'on' and current_user <> 'bluelamp_app')
      with check (current_setting('bluelamp.system', true) = 'on' and current_user <> 'bluelamp_app')$p$, t);
  end loop;
end $$;
