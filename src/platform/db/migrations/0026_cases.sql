-- Cases that victims follow (issue 12, first part).
--
-- A case moves through its machine (src/capabilities/cases/case.machine.ts): recorded, allocated,
-- under investigation, charged, closed (with a Home Office outcome), and reopened. Its row keeps
-- what the victim's updates depend on (what is known of a suspect, whether one is charged); the
-- milestones themselves are events in the force's log. A case may come from a contact, directly
-- from an investigator, or from the force's records system, whose reference it then carries.

alter table cases drop constraint cases_status_check;
update cases set status = 'recorded' where status = 'open';
alter table cases add constraint cases_status_check check (status in ('recorded','allocated','under_investigation','charged','closed'));
alter table cases alter column contact_id drop not null;
alter table cases
  add column crime_type text,
  add column summary text not null default '',
  add column suspect_stage text not null default 'none' check (suspect_stage in ('none','identified','arrested','interviewed')),
  add column charged boolean not null default false,
  add column outcome_code text,
  add column closed_reason text,
  add column officer_in_case uuid references staff(id),
  add column team text,
  add column records_system text,
  add column records_reference text,
  -- The time of the last update applied from the records system: an older one arriving late is ignored.
  add column records_updated_at timestamptz,
  add column updated_at timestamptz;
update cases set updated_at = created_at where updated_at is null;
alter table cases alter column updated_at set not null;
alter table cases add constraint cases_outcome_when_closed check ((outcome_code is null) = (status <> 'closed'));
create unique index cases_records_reference on cases (force_id, records_system, records_reference) where records_reference is not null;
create index cases_officer on cases (force_id, officer_in_case, updated_at desc) where status <> 'closed';

-- The force's classification lists, seeded from the Home Office's and editable by the force.
create table crime_types (
  force_id uuid not null references forces(id),
  code text not null,
  group_label text not null,
  label text not null,
  label_cy text not null,
  position int not null default 0,
  active boolean not null default true,
  primary key (force_id, code)
);
create table case_outcome_types (
  force_id uuid not null references forces(id),
  code text not null,
  label text not null,
  label_cy text not null,
  position int not null default 0,
  active boolean not null default true,
  primary key (force_id, code)
);

-- The people on a case, with their role. A victim with enhanced rights (Victims' Code) is told
-- sooner. Removing someone marks the row.
create table case_people (
  id uuid primary key,
  force_id uuid not null references forces(id),
  case_id uuid not null references cases(id),
  person_id uuid references people(id),
  role text not null check (role in ('victim','witness','suspect')),
  name text not null,
  enhanced_rights boolean not null default false,
  added_at timestamptz not null,
  removed_at timestamptz
);
create index case_people_case on case_people (force_id, case_id);

select bluelamp_enable_tenancy('crime_types');
select bluelamp_enable_tenancy('case_outcome_types');
select bluelamp_enable_tenancy('case_people');

grant select, insert, update on crime_types, case_outcome_types to bluelamp_app;
grant select, insert on case_people to bluelamp_app;
grant update (removed_at, enhanced_rights) on case_people to bluelamp_app;
