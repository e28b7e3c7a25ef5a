-- Response clocks, breach reasons, incident types and closing codes (issue 11, second slice).
--
-- Each force sets, per grade and per area setting (urban or rural), how long it allows to deploy a
-- unit (incident created to first unit dispatched) and to arrive (incident created to first unit
-- on scene). A clock is a row: the running countdown of one incident, with its target, warning
-- point and due time; its warning and due checks are durable jobs. A breach asks for a reason
-- from the force's list, plus free text. Lists the force edits are never deleted from: an entry
-- is retired, so what was recorded against it still reads.

create table response_targets (
  force_id uuid not null references forces(id),
  grade text not null check (grade in ('immediate','priority','scheduled','resolution_without_deployment')),
  setting text not null check (setting in ('urban','rural')),
  deploy_minutes int check (deploy_minutes between 1 and 525600),
  arrive_minutes int check (arrive_minutes between 1 and 525600),
  updated_at timestamptz not null,
  primary key (force_id, grade, setting)
);

create table breach_reasons (
  id uuid primary key,
  force_id uuid not null references forces(id),
  code text not null,
  label text not null,
  is_active boolean not null default true,
  position int not null default 0,
  created_at timestamptz not null,
  unique (force_id, code)
);

create table response_clocks (
  id uuid primary key,
  force_id uuid not null references forces(id),
  incident_id uuid not null references incidents(id),
  kind text not null check (kind in ('deploy','arrive')),
  grade text not null check (grade in ('immediate','priority','scheduled','resolution_without_deployment')),
  setting text not null check (setting in ('urban','rural')),
  target_minutes int not null,
  -- Targets are measured from the incident's creation; started_at is when this countdown began
  -- (the creation, the first dispatch, or a regrade).
  measured_from timestamptz not null,
  started_at timestamptz not null,
  warn_at timestamptz not null,
  due_at timestamptz not null,
  stopped_at timestamptz,
  stop_reason text check (stop_reason in ('dispatched','arrived','regraded','ended')),
  warned_at timestamptz,
  breached_at timestamptz,
  breach_reason_code text,
  breach_reason_text text,
  breach_reason_by uuid references staff(id),
  breach_reason_at timestamptz,
  check ((stopped_at is null) = (stop_reason is null)),
  check ((breach_reason_at is null) or (breached_at is not null))
);
-- One countdown at a time per incident.
create unique index response_clocks_one_running on response_clocks (incident_id) where stopped_at is null;
create index response_clocks_incident on response_clocks (force_id, incident_id, started_at);
create index response_clocks_breached on response_clocks (force_id, breached_at) where breached_at is not null;

-- Supervisors' alerts are about a contact (as before) or, for a missed response target, an incident.
alter table alerts alter column contact_id drop not null;
alter table alerts add column incident_id uuid references incidents(id);
alter table alerts add column response_clock_id uuid references response_clocks(id);
alter table alerts drop constraint alerts_kind_check;
alter table alerts add constraint alerts_kind_check check (kind in ('threat_to_life','sla_breach','response_breach'));
alter table alerts add constraint alerts_one_subject check ((contact_id is null) <> (incident_id is null));
create unique index alerts_once_per_response_clock on alerts (force_id, response_clock_id) where response_clock_id is not null;

-- The force's incident classification: opening codes under the national categories, and the
-- codes an incident is closed with.
create table incident_types (
  id uuid primary key,
  force_id uuid not null references forces(id),
  code text not null,
  label text not null,
  category text not null check (category in ('public_safety_welfare','crime','anti_social_behaviour','transport')),
  is_active boolean not null default true,
  created_at timestamptz not null,
  unique (force_id, code)
);

create table closing_codes (
  id uuid primary key,
  force_id uuid not null references forces(id),
  code text not null,
  label text not null,
  is_active boolean not null default true,
  created_at timestamptz not null,
  unique (force_id, code)
);

-- A merged incident ends as cancelled (closing code `merged`) and names the one it went into.
alter table incidents add column merged_into_id uuid references incidents(id);
create index incidents_type_live on incidents (force_id, type) where status not in ('closed','cancelled','resolved_without_deployment');

select bluelamp_enable_tenancy('response_targets');
select bluelamp_enable_tenancy('breach_reasons');
select bluelamp_enable_tenancy('response_clocks');
select bluelamp_enable_tenancy('incident_types');
select bluelamp_enable_tenancy('closing_codes');

grant select, insert, update on response_targets, breach_reasons, incident_types, closing_codes to bluelamp_app;
grant select, insert on response_clocks to bluelamp_app;
grant update (stopped_at, stop_reason, warned_at, breached_at, breach_reason_code, breach_reason_text, breach_reason_by, breach_reason_at) on response_clocks to bluelamp_app;
