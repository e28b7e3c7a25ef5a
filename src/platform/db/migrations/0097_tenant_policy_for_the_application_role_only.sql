-- Decision 0183: what 0092 left open.
--
-- SET ROLE bluelamp_app (each tenant transaction) is checked against the session's user: on
-- PostgreSQL 16 and later by the SET option of each membership on the way, before 16 by membership
-- alone. 0092 asked USAGE (holding the role's privileges), which is neither: on 16 and later a
-- membership granted WITH INHERIT TRUE, SET FALSE passed its check and SET ROLE still failed.
-- Asked again here with the question SET ROLE asks, and granted with SET on 16 and later (a grant
-- that exists keeps its options unless the GRANT names them; the text runs only there, as 15 has
-- no such clause); a user that may not grant the role is left to the administrator, as in 0092.
do $$
declare
  is_16_or_later boolean := current_setting('server_version_num')::int >= 160000;
begin
  if not pg_has_role(session_user, 'bluelamp_app', case when is_16_or_later then 'SET' else 'MEMBER' end) then
    if is_16_or_later then
      execute 'grant bluelamp_app to current_user with set true';
    else
      grant bluelamp_app to current_user;
    end if;
  end if;
exception when insufficient_privilege then null;
end $$;

-- The tenant policy was written for every role (PUBLIC): any role given SELECT on a tenant table (a
-- reporting role, say) could read any force's rows by naming it in bluelamp.force_id. Only the
-- application role does tenant work, so the policy now applies to it alone, and a role that is not
-- bluelamp_app, does not inherit it and is not the owner in system work sees no row of any force:
-- a reporting role needs policies of its own, written for what it may read.
--
-- 0092 rewrote the system policy only in current_schema(): a table that the tenancy function (or
-- an older migration) gave its policies in another schema, because the search path differed when
-- it ran, kept the system policy that let any role but bluelamp_app through. Every table in any
-- schema whose policies are Bluelamp's (they read bluelamp.force_id and bluelamp.system), and
-- whose owner this user acts as, is put right here. Run again, it finds nothing to change.
--
-- Every table's lock is taken in this one transaction (a migration is one transaction): in oid
-- order, each held from its change until the commit; a refusal (lock_timeout) or a deadlock's
-- victim rolls it all back, and the runner tries it again (decision 0164).
do $$
declare
  t regclass;
  app oid := (select oid from pg_roles where rolname = 'bluelamp_app');
  system_rule text := $r$current_setting('bluelamp.system', true) = 'on'
        and pg_has_role(current_user, (select c.relowner from pg_class c where c.oid = %2$L::regclass), 'USAGE')$r$;
begin
  for t in
    select p.polrelid::regclass from pg_policy p join pg_class c on c.oid = p.polrelid
    where p.polname = 'tenant' and p.polroles <> array[app]
      and pg_get_expr(p.polqual, p.polrelid) like '%bluelamp.force_id%'
      and pg_has_role(current_user, c.relowner, 'USAGE')
    order by p.polrelid
  loop
    execute format('alter policy tenant on %s to bluelamp_app', t);
  end loop;
  for t in
    select p.polrelid::regclass from pg_policy p join pg_class c on c.oid = p.polrelid
    where p.polname = 'system'
      and pg_get_expr(p.polqual, p.polrelid) like '%bluelamp.system%'
      and pg_get_expr(p.polqual, p.polrelid) not like '%pg_has_role%'
      and pg_has_role(current_user, c.relowner, 'USAGE')
    order by p.polrelid
  loop
    execute format('drop policy system on %s', t);
    execute format('create policy system on %1$s using (' || system_rule || ') with check (' || system_rule || ')', t, t::oid);
  end loop;
end $$;

-- What 0092 gives a new tenant table, with the tenant policy for the application role only.
create or replace function bluelamp_enable_tenancy(target regclass) returns void
language plpgsql as $$
begin
  if not exists (select 1 from pg_attribute where attrelid = target and attname = 'force_id' and not attisdropped) then
    raise exception 'table % has no force_id column to hold tenancy', target;
  end if;
  execute format('alter table %s enable row level security', target);
  execute format('alter table %s force row level security', target);
  if not exists (select 1 from pg_policy where polrelid = target and polname = 'tenant') then
    execute format($p$create policy tenant on %s to bluelamp_app
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
