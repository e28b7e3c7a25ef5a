-- Area names are unique among a force's live areas of a kind as people read them, letter case
-- aside (decision 0100): "North" and "north" are one name. Until now only the rename's own check
-- (which compared names exactly) and the import's plan held to that, so two live areas could
-- differ only in letter case. Of such a set the oldest keeps its name, and each other is renamed
-- "<name> (duplicate <first 8 characters of its id>)": it stays live, so incidents placed in it
-- keep their district and look-ups still find it, and the admin sees the pair on the areas page to
-- rename or remove one. The migration writes no events: it is not an admin's act, and an
-- area.changed naming a member of staff would be untrue.
with ranked as (
  select id, row_number() over (partition by force_id, kind, lower(name) order by created_at, id) as n
  from areas
  where removed_at is null
)
update areas as a
set name = left(a.name, 96) || ' (duplicate ' || left(a.id::text, 8) || ')'
from ranked as r
where r.id = a.id and r.n > 1;

drop index if exists areas_live_name;
create unique index areas_live_name on areas (force_id, kind, lower(name)) where removed_at is null;
