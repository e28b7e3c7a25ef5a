-- Incidents, units and dispatch (issue 11, first slice).
--
-- An incident is the operational record of something needing a police response; contacts are
-- linked to it (many contacts, one incident) and a link is undone by marking it, never by deleting.
-- A unit has one status (its machine's); its latest position is one row updated in place, and a
-- position older than the stored one is ignored. A unit is committed to at most one incident at a
-- time: the partial unique index on unit_assignments holds that even for two dispatchers at once.

-- A force's districts and beats, as GeoJSON geometry (longitude first), for placing incidents.
create table areas (
  id uuid primary key,
  force_id uuid not null references forces(id),
  name text not null,
  kind text not null check (kind in ('district','beat')),
  setting text not null default 'urban' check (setting in ('urban','rural')),
  geometry jsonb not null,
  created_at timestamptz not null,
  unique (force_id, kind, name)
);

-- The last incident number given per force; taken with one upsert, so numbers never repeat.
create table incident_numbers (
  force_id uuid primary key references forces(id),
  last_number int not null
);

create table incidents (
  id uuid primary key,
  force_id uuid not null references forces(id),
  number int not null,
  type text not null,
  summary text not null default '',
  location_text text,
  lat double precision check (lat between -90 and 90),
  lon double precision check (lon between -180 and 180),
  district_id uuid references areas(id),
  beat_id uuid references areas(id),
  grade text check (grade in ('immediate','priority','scheduled','resolution_without_deployment')),
  required_capabilities text[] not null default '{}',
  status text not null check (status in ('open','dispatched','en_route','on_scene','resolved','closed','cancelled','resolved_without_deployment')),
  closing_code text,
  created_by uuid references staff(id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  ended_at timestamptz,
  unique (force_id, number),
  check ((closing_code is null) = (status not in ('closed','cancelled','resolved_without_deployment')))
);
create index incidents_live on incidents (force_id, created_at desc) where status not in ('closed','cancelled','resolved_without_deployment');

-- A contact belongs to at most one incident at a time; unlinking marks the row.
create table incident_contacts (
  id uuid primary key,
  force_id uuid not null references forces(id),
  incident_id uuid not null references incidents(id),
  contact_id uuid not null references contacts(id),
  linked_by uuid references staff(id),
  linked_at timestamptz not null,
  unlinked_by uuid references staff(id),
  unlinked_at timestamptz
);
create unique index incident_contacts_one_incident on incident_contacts (contact_id) where unlinked_at is null;
create index incident_contacts_incident on incident_contacts (force_id, incident_id);

create table incident_notes (
  id uuid primary key,
  force_id uuid not null references forces(id),
  incident_id uuid not null references incidents(id),
  body text not null,
  author_id uuid references staff(id),
  created_at timestamptz not null
);
create index incident_notes_incident on incident_notes (force_id, incident_id, created_at);

create table units (
  id uuid primary key,
  force_id uuid not null references forces(id),
  call_sign text not null,
  type text not null,
  capabilities text[] not null default '{}',
  home_station text,
  home_area_id uuid references areas(id),
  status text not null check (status in ('available','dispatched','en_route','on_scene','returning','unavailable','off_duty')),
  status_reason text,
  incident_id uuid references incidents(id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (force_id, call_sign),
  check ((incident_id is not null) = (status in ('dispatched','en_route','on_scene'))),
  check ((status_reason is not null) = (status = 'unavailable'))
);

-- One row per unit, overwritten by newer positions only.
create table unit_positions_latest (
  unit_id uuid primary key references units(id),
  force_id uuid not null references forces(id),
  lat double precision not null check (lat between -90 and 90),
  lon double precision not null check (lon between -180 and 180),
  recorded_at timestamptz not null,
  received_at timestamptz not null
);

create table unit_assignments (
  id uuid primary key,
  force_id uuid not null references forces(id),
  unit_id uuid not null references units(id),
  incident_id uuid not null references incidents(id),
  assigned_by uuid references staff(id),
  assigned_at timestamptz not null,
  cleared_at timestamptz
);
create unique index unit_assignments_one_active on unit_assignments (unit_id) where cleared_at is null;
create index unit_assignments_incident on unit_assignments (force_id, incident_id);

select bluelamp_enable_tenancy('areas');
select bluelamp_enable_tenancy('incident_numbers');
select bluelamp_enable_tenancy('incidents');
select bluelamp_enable_tenancy('incident_contacts');
select bluelamp_enable_tenancy('incident_notes');
select bluelamp_enable_tenancy('units');
select bluelamp_enable_tenancy('unit_positions_latest');
select bluelamp_enable_tenancy('unit_assignments');

-- Notes are history: added, never changed. Links and assignments are ended by marking them.
grant select, insert, update, delete on areas to bluelamp_app;
grant select, insert, update on incident_numbers, incidents, units, unit_positions_latest to bluelamp_app;
grant select, insert on incident_notes to bluelamp_app;
grant select, insert on incident_contacts, unit_assignments to bluelamp_app;
grant update (unlinked_by, unlinked_at) on incident_contacts to bluelamp_app;
grant update (cleared_at) on unit_assignments to bluelamp_app;
