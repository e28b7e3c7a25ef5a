-- A unit may be retired (decision 0086): sold, written off, its call sign disbanded. It keeps its
-- row, so past incidents and the log still name it and its call sign stays taken.
alter table units drop constraint units_status_check;
alter table units add constraint units_status_check
  check (status in ('available','dispatched','en_route','on_scene','returning','unavailable','off_duty','retired'));

-- Capabilities are matched as written: a unit with "Firearms" is not one with "firearms". They are
-- kept in one form (decision 0086): trimmed, lower case, each run of spaces, hyphens and
-- underscores one underscore, which the API now makes of what it is given (it used to refuse
-- anything else). Rows written some other way (by hand, by an import) are put in that form here,
-- a unit's or an incident's duplicates merged (the first kept in its place), blanks dropped.
update units as u set capabilities = plain.codes
from (
  select id, coalesce(array_agg(code order by first_at) filter (where code <> ''), '{}') as codes
  from (
    select units.id, lower(regexp_replace(btrim(value), '[[:space:]_-]+', '_', 'g')) as code, min(at) as first_at
    from units cross join lateral unnest(units.capabilities) with ordinality as listed(value, at)
    group by 1, 2
  ) as each_code
  group by id
) as plain
where plain.id = u.id and u.capabilities is distinct from plain.codes;

update incidents as i set required_capabilities = plain.codes
from (
  select id, coalesce(array_agg(code order by first_at) filter (where code <> ''), '{}') as codes
  from (
    select incidents.id, lower(regexp_replace(btrim(value), '[[:space:]_-]+', '_', 'g')) as code, min(at) as first_at
    from incidents cross join lateral unnest(incidents.required_capabilities) with ordinality as listed(value, at)
    group by 1, 2
  ) as each_code
  group by id
) as plain
where plain.id = i.id and i.required_capabilities is distinct from plain.codes;
