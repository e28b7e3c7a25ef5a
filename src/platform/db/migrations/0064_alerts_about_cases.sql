-- Supervisors' alerts may be about a case: its Victims' Code clocks could not be opened from its
-- records, so its victims' updates are not being watched (decision 0123). One such alert waits
-- for a supervisor per case at a time.
alter table alerts add column case_id uuid references cases(id);
alter table alerts drop constraint alerts_kind_check;
alter table alerts add constraint alerts_kind_check check (kind in ('threat_to_life','sla_breach','response_breach','victim_updates_unopened'));
alter table alerts drop constraint alerts_one_subject;
alter table alerts add constraint alerts_one_subject check (num_nonnulls(contact_id, incident_id, case_id) = 1);
alter table alerts add constraint alerts_case_kind check ((case_id is not null) = (kind = 'victim_updates_unopened'));
create unique index alerts_open_once_per_case on alerts (force_id, case_id) where case_id is not null and acknowledged_at is null;
