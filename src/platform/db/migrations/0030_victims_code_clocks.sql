-- Victims' Code clocks (issue 12): what each victim must be told, and by when.
--
-- One row per victim per milestone that obliges the police to tell them (arrest, charge, release
-- under investigation, bail, an out-of-court disposal, no further action, a decision not to
-- investigate) and per victim for the referral to support services when a case is recorded. The
-- milestone itself is an event in the force's log; this row is its clock: due and warning times
-- in working days (src/capabilities/cases/victims-code.ts), when and how it was met, and when it
-- was found late. A case's own person (a case from a contact, with no victims listed) has the row
-- with no case_person_id; victim_key holds 'case' then, so each duty exists once.

create table victim_updates (
  id uuid primary key,
  force_id uuid not null references forces(id),
  case_id uuid not null references cases(id),
  case_person_id uuid references case_people(id),
  victim_key text not null,
  person_id uuid references people(id),
  duty text not null check (duty in ('arrest','charge','released_under_investigation','bail','out_of_court_disposal','no_further_action','not_investigated','referral')),
  milestone_event_id uuid not null,
  milestone_type text not null,
  milestone_at timestamptz not null,
  enhanced_rights boolean not null,
  working_days int not null check (working_days > 0),
  due_at timestamptz not null,
  warn_at timestamptz not null,
  warned_at timestamptz,
  satisfied_at timestamptz,
  how text check (how in ('journey','phone','visit','letter','email','referred','declined')),
  outbox_id uuid,
  informed_by uuid references staff(id),
  note text,
  breached_at timestamptz,
  created_at timestamptz not null,
  check ((satisfied_at is null) = (how is null))
);
create unique index victim_updates_once on victim_updates (force_id, milestone_event_id, victim_key);
-- The sweep and the officers' lists read the open ones, soonest first.
create index victim_updates_open on victim_updates (force_id, due_at) where satisfied_at is null;
create index victim_updates_case on victim_updates (force_id, case_id);
create index victim_updates_due on victim_updates (force_id, due_at);

select bluelamp_enable_tenancy('victim_updates');

grant select, insert on victim_updates to bluelamp_app;
grant update (warned_at, satisfied_at, how, outbox_id, informed_by, note, breached_at) on victim_updates to bluelamp_app;
