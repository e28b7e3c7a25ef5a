-- A victim an officer or the records system names with an email address or a phone number is the
-- person who holds that address (decision 0064), so a code for the case page can reach them and
-- the portal the journeys write to is theirs. New rows are linked as they are written; this links
-- the victim rows written before, once: to the person who already holds the address, else to a
-- new person with it. Phone numbers are linked only when already written in E.164 (the database
-- cannot parse a national number as the application does); the next change an officer or the
-- records system makes to such a row links it. A person already a victim on the case is left to
-- that row. No `person.created` events: the log is appended by the application, not by migrations.

create temporary table victim_handles on commit drop as
select cp.id as case_person_id, cp.force_id, cp.case_id, cp.name,
  case when nullif(trim(cp.email), '') is not null then 'email' else 'phone' end as kind,
  coalesce(lower(nullif(trim(cp.email), '')), regexp_replace(cp.phone, '[ ()-]', '', 'g')) as value
from case_people cp
where cp.role = 'victim' and cp.person_id is null and cp.removed_at is null
  and (nullif(trim(cp.email), '') is not null or regexp_replace(coalesce(cp.phone, ''), '[ ()-]', '', 'g') ~ '^\+[1-9][0-9]{7,14}$');

create temporary table new_victim_people on commit drop as
select gen_random_uuid() as person_id, h.force_id, h.kind, h.value, min(h.name) as name
from victim_handles h
where not exists (select 1 from identities i where i.force_id = h.force_id and i.kind = h.kind and i.value = h.value)
group by h.force_id, h.kind, h.value;

insert into people (id, force_id, display_name, created_at)
select n.person_id, n.force_id, nullif(n.name, ''), now() from new_victim_people n;
insert into identities (id, force_id, person_id, kind, value, created_at)
select gen_random_uuid(), n.force_id, n.person_id, n.kind, n.value, now() from new_victim_people n;

update case_people cp
set person_id = i.person_id
from victim_handles h, identities i
where cp.id = h.case_person_id and i.force_id = h.force_id and i.kind = h.kind and i.value = h.value
  and not exists (
    select 1 from case_people o
    where o.force_id = cp.force_id and o.case_id = cp.case_id and o.person_id = i.person_id and o.role = 'victim' and o.removed_at is null
  );

-- An officer's or the records system's address for a victim named only until then links them.
grant update (person_id) on case_people to bluelamp_app;
-- The clock owed to a case's unnamed victim moves to the first victim added (its key and person).
grant update (case_person_id, victim_key, person_id) on victim_updates to bluelamp_app;
