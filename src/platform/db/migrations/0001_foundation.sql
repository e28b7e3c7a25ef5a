-- The foundation: tenancy, staff, the event log, durable jobs, and the first capability tables.
-- Every table carries force_id; row-level security scopes the application role to one force.

-- The role is made here only where it is missing: a database user that may not create roles starts
-- on a role an administrator made for it (decision 0177).
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'bluelamp_app') then
    create role bluelamp_app nologin;
  end if;
exception when duplicate_object or unique_violation then null;
end $$;

create table forces (
  id uuid primary key,
  slug text not null unique,
  code text not null unique check (code ~ '^[A-Z]{2,8}$'),
  name text not null,
  created_at timestamptz not null default now()
);
-- forces is keyed by id; force_id-equivalent policy below uses id.

create table staff (
  id uuid primary key,
  force_id uuid not null references forces(id),
  email text not null,
  name text not null,
  role text not null check (role in ('call_handler','digital_desk_operator','dispatcher','supervisor','investigator','force_admin')),
  password_hash text not null,
  is_active boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index staff_email_unique on staff (lower(email));

create table staff_sessions (
  id text primary key,              -- sha256 of the cookie token; the token itself is never stored
  force_id uuid not null references forces(id),
  staff_id uuid not null references staff(id),
  csrf_token text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index staff_sessions_staff on staff_sessions (force_id, staff_id);

create table events (
  force_id uuid not null references forces(id),
  seq bigint not null,
  id uuid not null unique,
  occurred_at timestamptz not null,
  actor_type text not null check (actor_type in ('staff','public','system')),
  actor_id text,
  type text not null,
  subject_type text not null,
  subject_id text not null,
  data jsonb not null,
  prev_hash text not null,
  hash text not null,
  primary key (force_id, seq)
);
create index events_subject on events (force_id, subject_type, subject_id, seq);

create table event_chain_heads (
  force_id uuid primary key references forces(id),
  last_seq bigint not null,
  last_hash text not null
);

create function bluelamp_forbid_event_change() returns trigger language plpgsql as $$
begin
  raise exception 'events are append-only' using errcode = 'insufficient_privilege';
end $$;
create trigger events_append_only before update or delete on events
  for each row execute function bluelamp_forbid_event_change();
create trigger events_no_truncate before truncate on events
  for each statement execute function bluelamp_forbid_event_change();

create table jobs (
  id uuid primary key,
  force_id uuid not null references forces(id),
  type text not null,
  payload jsonb not null,
  idempotency_key text not null,
  state text not null check (state in ('pending','running','done','dead')),
  attempts int not null default 0,
  max_attempts int not null,
  run_at timestamptz not null,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (force_id, type, idempotency_key)
);
create index jobs_due on jobs (run_at) where state in ('pending','running');
create index jobs_by_state on jobs (force_id, state, created_at);

create table reference_counters (
  force_id uuid not null references forces(id),
  scope text not null,
  year int not null,
  last_value int not null,
  primary key (force_id, scope, year)
);

create table people (
  id uuid primary key,
  force_id uuid not null references forces(id),
  display_name text,
  created_at timestamptz not null
);

create table identities (
  id uuid primary key,
  force_id uuid not null references forces(id),
  person_id uuid not null references people(id),
  kind text not null check (kind in ('email','phone','social','portal')),
  value text not null,
  created_at timestamptz not null,
  unique (force_id, kind, value)
);
create index identities_person on identities (force_id, person_id);

create table triage_rule_sets (
  force_id uuid not null references forces(id),
  version int not null,
  is_active boolean not null,
  created_at timestamptz not null,
  primary key (force_id, version)
);

create table triage_rules (
  id uuid primary key,
  force_id uuid not null references forces(id),
  version int not null,
  phrase text not null check (length(phrase) between 1 and 200),
  category text not null,
  weight int not null check (weight between -100 and 100),
  foreign key (force_id, version) references triage_rule_sets(force_id, version)
);
create index triage_rules_version on triage_rules (force_id, version);

create table contacts (
  id uuid primary key,
  force_id uuid not null references forces(id),
  reference text not null,
  channel text not null,
  status text not null check (status in ('open','closed')),
  person_id uuid references people(id),
  summary text not null,
  location text,
  occurred_text text,
  priority int not null check (priority between 1 and 4),
  score int not null,
  triage jsonb,
  rule_set_version int,
  received_at timestamptz not null,
  closed_at timestamptz,
  outcome text,
  unique (force_id, reference)
);
create index contacts_queue on contacts (force_id, status, priority, received_at);
create index contacts_person on contacts (force_id, person_id, received_at);

create table messages (
  id uuid primary key,
  force_id uuid not null references forces(id),
  contact_id uuid not null references contacts(id),
  direction text not null check (direction in ('inbound','outbound')),
  channel text not null,
  body text not null,
  provider_message_id text,
  author_staff_id uuid references staff(id),
  created_at timestamptz not null,
  delivery_status text
);
create unique index messages_provider_id on messages (force_id, channel, provider_message_id) where provider_message_id is not null;
create index messages_contact on messages (force_id, contact_id, created_at);

create table cases (
  id uuid primary key,
  force_id uuid not null references forces(id),
  reference text not null,
  contact_id uuid not null references contacts(id),
  person_id uuid references people(id),
  status text not null check (status in ('open','closed')),
  created_at timestamptz not null,
  created_by uuid references staff(id),
  unique (force_id, reference),
  unique (force_id, contact_id)
);

create table message_templates (
  id uuid primary key,
  force_id uuid not null references forces(id),
  key text not null,
  channel text not null,
  locale text not null default 'en',
  subject text not null,
  body text not null,
  unique (force_id, key, channel, locale)
);

create table outbox (
  id uuid primary key,
  force_id uuid not null references forces(id),
  channel text not null,
  recipient text not null,
  subject text not null,
  body text not null,
  purpose text not null,
  contact_id uuid references contacts(id),
  case_id uuid references cases(id),
  status text not null check (status in ('pending','sent','failed','held')),
  attempts int not null default 0,
  last_error text,
  idempotency_key text not null,
  created_at timestamptz not null,
  sent_at timestamptz,
  unique (force_id, idempotency_key)
);
create index outbox_recent on outbox (force_id, created_at desc);

create table portal_codes (
  id uuid primary key,
  force_id uuid not null references forces(id),
  contact_id uuid not null references contacts(id),
  code_hash text not null,
  attempts int not null default 0,
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null
);
create index portal_codes_contact on portal_codes (force_id, contact_id, created_at desc);

-- Row-level security: the application role sees one force, the one named by bluelamp.force_id.
alter table forces enable row level security;
create policy tenant on forces using (id = nullif(current_setting('bluelamp.force_id', true), '')::uuid);

do $$
declare t text;
begin
  foreach t in array array['staff','staff_sessions','events','event_chain_heads','jobs','reference_counters',
    'people','identities','triage_rule_sets','triage_rules','contacts','messages','cases',
    'message_templates','outbox','portal_codes']
  loop
    execute format('alter table %I enable row level security', t);
    execute format($p$create policy tenant on %I
      using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
      with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)$p$, t);
  end loop;
end $$;

-- Grants: only what the application needs. Events can be read and appended, never changed.
grant usage on schema public to bluelamp_app;
grant select on forces to bluelamp_app;
grant select, insert on events to bluelamp_app;
grant select, insert, update on event_chain_heads, jobs, reference_counters to bluelamp_app;
grant select, insert, update on staff, people, identities, triage_rule_sets, triage_rules, contacts, messages,
  cases, message_templates, outbox, portal_codes to bluelamp_app;
grant select, insert, update, delete on staff_sessions to bluelamp_app;
