-- Five more tables break ties of time by the order their rows were stored (decision 0168), given a
-- `seq` as migration 0074 gave seven others (decision 0157): incident notes, a person's
-- identities (the oldest email or phone is the one they are contacted at), portal codes (the
-- latest unused code is the one a reference opens), records tokens and person links. Two of them
-- share their time when one transaction stores both, when two requests land in the same
-- microsecond, and always on a clock that stands still; their ids are random.
--
-- As in 0074: a column added with no default and then given one changes the catalogue only, so
-- no table is rewritten at start-up. Rows stored before this have no number; they were all stored
-- before any row that has one, and among themselves keep the order they had.
do $$
declare t text;
begin
  foreach t in array array['incident_notes', 'identities', 'portal_codes', 'records_integration_tokens', 'person_links']
  loop
    execute format('alter table %I add column seq bigint', t);
    execute format('create sequence %I owned by %I.seq', t || '_seq', t);
    execute format('alter table %I alter column seq set default nextval(%L)', t, t || '_seq');
    execute format('grant usage on sequence %I to bluelamp_app', t || '_seq');
  end loop;
end $$;
