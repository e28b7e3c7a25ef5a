-- The force's records system (Niche, Athena, Connect) and online-report processing (issue 12).
--
-- A records system sends case updates to an integration endpoint with a bearer token of the
-- force's. Only the token's SHA-256 is stored: the token is random (256 bits), so its hash is as
-- good as a password hash and can be looked up directly; it is shown once, when made.
create table records_integration_tokens (
  id uuid primary key,
  force_id uuid not null references forces(id),
  label text not null,
  token_hash text not null unique,
  -- The first characters of the token, so an admin can tell which one a system holds.
  token_hint text not null,
  created_at timestamptz not null,
  created_by uuid references staff(id),
  last_used_at timestamptz,
  revoked_at timestamptz
);
create index records_integration_tokens_force on records_integration_tokens (force_id, created_at);

-- The force's mapping from the records system's own codes to Bluelamp: a status code to the case
-- moves it means (and, for a closing code, the Home Office outcome), or a crime code to the
-- force's crime type. `system` '*' is any system without entries of its own. A force with no rows
-- uses the default mapping (src/capabilities/cases/records-mapping.ts) until an admin saves one.
create table records_code_mappings (
  force_id uuid not null references forces(id),
  kind text not null check (kind in ('status','crime_type')),
  system text not null,
  code text not null,
  moves jsonb not null default '[]'::jsonb,
  outcome_code text,
  crime_type text,
  reason text,
  label text not null default '',
  primary key (force_id, kind, system, code)
);

-- The records system's own status of a case, as last applied: a newer update with the same
-- status moves nothing.
alter table cases add column records_status text;

-- What a records system says of a victim: its own reference for them, and how to reach them.
-- (Other work on the case side may add the same contact columns; `if not exists` lets both run.)
alter table case_people add column if not exists records_reference text;
alter table case_people add column if not exists email text;
alter table case_people add column if not exists phone text;
alter table case_people add column if not exists language text;
create unique index if not exists case_people_records_reference on case_people (force_id, case_id, records_reference) where records_reference is not null;

-- Every online report (a portal contact) gets a row here within minutes: the draft case made for
-- it, the suggested crime type with the words that led to it, and its two clocks (processed,
-- classified), whose due times come from the force's settings when the row is made.
create table online_report_processing (
  contact_id uuid primary key references contacts(id),
  force_id uuid not null references forces(id),
  case_id uuid not null references cases(id),
  received_at timestamptz not null,
  drafted_at timestamptz not null,
  suggested_crime_type text,
  suggestion_reasons jsonb not null default '[]'::jsonb,
  processed_due_at timestamptz not null,
  classified_due_at timestamptz not null,
  processed_at timestamptz,
  processed_by uuid references staff(id),
  classified_at timestamptz,
  classified_by uuid references staff(id),
  crime_type text,
  processed_breached_at timestamptz,
  classified_breached_at timestamptz
);
create index online_report_processing_open on online_report_processing (force_id, received_at) where classified_at is null;
create index online_report_processing_received on online_report_processing (force_id, received_at);

select bluelamp_enable_tenancy('records_integration_tokens');
select bluelamp_enable_tenancy('records_code_mappings');
select bluelamp_enable_tenancy('online_report_processing');

grant select, insert on records_integration_tokens to bluelamp_app;
grant update (last_used_at, revoked_at) on records_integration_tokens to bluelamp_app;
grant select, insert, delete on records_code_mappings to bluelamp_app;
grant update (email, phone, language, enhanced_rights, name) on case_people to bluelamp_app;
grant select, insert on online_report_processing to bluelamp_app;
grant update (processed_at, processed_by, classified_at, classified_by, crime_type, processed_breached_at, classified_breached_at)
  on online_report_processing to bluelamp_app;
