-- A force admin imports, renames, re-sets and removes areas (decision 0098). An area incidents or
-- units name is never deleted: removing it stamps `removed_at`, so look-ups and lists leave it out
-- while a recorded incident keeps its district's name. Names are unique among a force's live areas
-- of a kind only, so a removed area's name can be used again.

alter table areas add column removed_at timestamptz;
alter table areas drop constraint areas_force_id_kind_name_key;
create unique index areas_live_name on areas (force_id, kind, name) where removed_at is null;
