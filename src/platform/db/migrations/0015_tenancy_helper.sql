-- One call gives a tenant table what 0001 and 0009 give every table with force_id: row-level
-- security enabled and forced, the `tenant` policy (only the force named by bluelamp.force_id) and
-- the `system` policy (withSystem() and migrations, never the application role). A migration that
-- creates a table with force_id calls it rather than pasting those statements:
--
--   select bluelamp_enable_tenancy('my_table');
--
-- Grants stay in each migration, written out: what the application role may do differs per table.
-- Calling it again changes nothing. The tenancy catalogue test checks every table either way.
create or replace function bluelamp_enable_tenancy(target regclass) returns void
language plpgsql as $$
begin
  if not exists (select 1 from pg_attribute where attrelid = target and attname = 'force_id' and not attisdropped) then
    raise exception 'table % has no force_id column to hold tenancy', target;
  end if;
  execute format('alter table %s enable row level security', target);
  execute format('alter table %s force row level security', target);
  if not exists (select 1 from pg_policy where polrelid = target and polname = 'tenant') then
    execute format($p$create policy tenant on %s
      using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
      with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)$p$, target);
  end if;
  if not exists (select 1 from pg_policy where polrelid = target and polname = 'system') then
    execute format($p$create policy system on %s
      using (current_setting('bluelamp.system', true) = 'on' and current_user <> 'bluelamp_app')
      with check (current_setting('bluelamp.system', true) = 'on' and current_user <> 'bluelamp_app')$p$, target);
  end if;
end
$$;

-- Only the owner (migrations) changes tables; the application role has no use for it.
revoke all on function bluelamp_enable_tenancy(regclass) from public;
