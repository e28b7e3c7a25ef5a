-- The person who reported a case is a victim on it (decision 0056): a case made from a contact or
-- an online report now records its reporter in case_people, so the case screen shows them and an
-- officer can mark their enhanced rights. Cases made before had them only by implication (the
-- case's own person); this gives each such case its row, once, and moves what was keyed by the
-- person to the row: their contact preferences (victim_id) and their Victims' Code clocks
-- (victim_key 'case'), so nothing is lost and no clock opens twice. A case with a victim row for
-- its reporter already (the records system named them, say) is left as it is.

insert into case_people (id, force_id, case_id, person_id, role, name, email, phone, enhanced_rights, added_at)
select gen_random_uuid(), c.force_id, c.id, c.person_id, 'victim', coalesce(p.display_name, ''),
  (select i.value from identities i where i.force_id = c.force_id and i.person_id = c.person_id and i.kind = 'email' order by i.created_at limit 1),
  (select i.value from identities i where i.force_id = c.force_id and i.person_id = c.person_id and i.kind = 'phone' order by i.created_at limit 1),
  false, c.created_at
from cases c
join people p on p.id = c.person_id and p.force_id = c.force_id
where not exists (
  select 1 from case_people cp where cp.force_id = c.force_id and cp.case_id = c.id and cp.person_id = c.person_id and cp.role = 'victim'
);

update victim_contact_preferences vcp
set victim_id = cp.id
from cases c, case_people cp
where c.force_id = vcp.force_id and c.id = vcp.case_id and vcp.victim_id = c.person_id
  and cp.force_id = c.force_id and cp.case_id = c.id and cp.person_id = c.person_id and cp.role = 'victim' and cp.removed_at is null
  and not exists (select 1 from victim_contact_preferences o where o.force_id = vcp.force_id and o.case_id = vcp.case_id and o.victim_id = cp.id);

update victim_updates vu
set case_person_id = cp.id, victim_key = cp.id::text
from cases c, case_people cp
where vu.victim_key = 'case' and c.force_id = vu.force_id and c.id = vu.case_id and c.person_id is not null
  and cp.force_id = c.force_id and cp.case_id = c.id and cp.person_id = c.person_id and cp.role = 'victim' and cp.removed_at is null
  and not exists (select 1 from victim_updates o where o.force_id = vu.force_id and o.milestone_event_id = vu.milestone_event_id and o.victim_key = cp.id::text);

-- An officer's change of a victim's enhanced rights re-times their open clocks.
grant update (enhanced_rights, working_days, due_at, warn_at) on victim_updates to bluelamp_app;
