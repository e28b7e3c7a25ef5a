-- withForce switches each tenant transaction to bluelamp_app (SET ROLE), which the database user may
-- do only as a member of that role. A superuser always may; an administrator who made the role for
-- an ordinary user granted it (README). A user that may create roles and made bluelamp_app itself
-- in 0001 is not a member of it: PostgreSQL 15 makes the creator no member, and 16 and later only
-- its administrator, without SET. Such a user grants the role to itself here; a user that may not
-- is left as it is, and its first tenant transaction says what is missing (decision 0177).
do $$ begin
  if not pg_has_role(current_user, 'bluelamp_app', 'USAGE') then
    grant bluelamp_app to current_user;
  end if;
exception when insufficient_privilege then null;
end $$;

-- The system policy let any role but bluelamp_app itself through once its transaction said
-- bluelamp.system = on: a role holding bluelamp_app's grants by inheriting them (a reporting login,
-- a second application login) would have read and written every force. System work is the owner's
-- (migrations and withSystem run as the tables' owner): the policy now lets through only a role
-- holding the table owner's privileges, which could switch row-level security off in any case.
-- The owner is looked up when a statement runs, so a change of owner carries the policy with it.
do $$
declare t regclass;
begin
  for t in select p.polrelid::regclass from pg_policy p join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace where p.polname = 'system' and n.nspname = current_schema()
  loop
    execute format('drop policy system on %s', t);
    execute format($p$create policy system on %1$s
      using (current_setting('bluelamp.system', true) = 'on'
        and pg_has_role(current_user, (select c.relowner from pg_class c where c.oid = %2$L::regclass), 'USAGE'))
      with check (current_setting('bluelamp.system', true) = 'on'
        and pg_has_role(current_user, (select c.relowner from pg_class c where c.oid = %2$L::regclass), 'USAGE'))$p$, t, t::oid);
  end loop;
end $$;

-- What 0015 gives a new tenant table, with the system policy as above.
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
    execute format($p$create policy system on %1$s
      using (current_setting('bluelamp.system', true) = 'on'
        and pg_has_role(current_user, (select c.relowner from pg_class c where c.oid = %2$L::regclass), 'USAGE'))
      with check (current_setting('bluelamp.system', true) = 'on'
        and pg_has_role(current_user, (select c.relowner from pg_class c where c.oid = %2$L::regclass), 'USAGE'))$p$, target, target::oid);
  end if;
end
$$;
revoke all on function bluelamp_enable_tenancy(regclass) from public;
