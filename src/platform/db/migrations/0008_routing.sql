-- Queues, skills-based distribution, SLA clocks and alerts.
--
-- A contact is routed into one queue by the force's ordered queue rules (channel, triage category,
-- priority); while it waits it has no assignee. Distribution gives it to one available member of
-- staff under a per-force lock, so two nodes never assign it twice. SLA clocks are rows: each runs
-- from a start to a due time, warns at a share of its length and is stopped by the response,
-- closing or escalation that ends it. Alerts (threat to life, SLA breach) wait for a supervisor to
-- acknowledge them.

create table queues (
  id uuid primary key,
  force_id uuid not null references forces(id),
  key text not null,
  name text not null,
  description text not null default '',
  required_skills text[] not null default '{}',
  is_control_room boolean not null default false,
  is_default boolean not null default false,
  sla jsonb not null,                        -- per priority: { "1": { firstResponseMinutes, nextResponseMinutes, resolutionMinutes }, ... }
  warn_at_percent int not null default 75 check (warn_at_percent between 1 and 99),
  position int not null,
  created_at timestamptz not null,
  unique (force_id, key)
);

-- Evaluated in position order; the first rule whose every stated condition holds names the queue.
-- A null list means "any".
create table queue_rules (
  id uuid primary key,
  force_id uuid not null references forces(id),
  queue_id uuid not null references queues(id),
  position int not null,
  channels text[],
  categories text[],
  priorities int[],
  unique (force_id, position)
);

create table staff_routing (
  staff_id uuid primary key references staff(id),
  force_id uuid not null references forces(id),
  skills text[] not null default '{}',
  capacity jsonb not null,                   -- contacts at once per channel class: { "call": 1, "chat": 3, ... }
  presence text not null default 'offline' check (presence in ('available','busy','away','offline')),
  presence_changed_at timestamptz not null,
  idle_since timestamptz not null,           -- last given work, or became available; the longest idle goes first
  last_seen_at timestamptz not null,         -- the console's heartbeat; an available person unseen for long is not given work
  updated_at timestamptz not null
);
create index staff_routing_presence on staff_routing (force_id, presence);

alter table contacts add column queue_id uuid references queues(id);
alter table contacts add column enqueued_at timestamptz;
alter table contacts add column assigned_staff_id uuid references staff(id);
alter table contacts add column assigned_at timestamptz;
alter table contacts add column is_threat_to_life boolean not null default false;
alter table contacts add column required_skills text[] not null default '{}';   -- whoever takes it must have these
alter table contacts add column preferred_skills text[] not null default '{}';  -- and is a better fit with these
alter table contacts add column excluded_staff_ids uuid[] not null default '{}'; -- taken back from these; not given to them again
create index contacts_waiting on contacts (force_id, is_threat_to_life desc, priority, enqueued_at)
  where status = 'open' and assigned_staff_id is null and queue_id is not null;
create index contacts_assigned on contacts (force_id, assigned_staff_id)
  where status = 'open' and assigned_staff_id is not null;

create table sla_clocks (
  id uuid primary key,
  force_id uuid not null references forces(id),
  contact_id uuid not null references contacts(id),
  queue_id uuid not null references queues(id),
  kind text not null check (kind in ('first_response','next_response','resolution')),
  priority int not null,
  started_at timestamptz not null,
  warn_at timestamptz not null,
  due_at timestamptz not null,
  stopped_at timestamptz,
  stop_reason text,                          -- responded, closed, escalated, reprioritised
  warned_at timestamptz,
  breached_at timestamptz
);
create index sla_clocks_contact on sla_clocks (force_id, contact_id, started_at);
create index sla_clocks_running on sla_clocks (force_id, due_at) where stopped_at is null;

create table alerts (
  id uuid primary key,
  force_id uuid not null references forces(id),
  kind text not null check (kind in ('threat_to_life','sla_breach')),
  contact_id uuid not null references contacts(id),
  clock_id uuid references sla_clocks(id),
  message text not null,
  raised_at timestamptz not null,
  acknowledged_by uuid references staff(id),
  acknowledged_at timestamptz,
  acknowledgement_note text
);
create index alerts_open on alerts (force_id, raised_at) where acknowledged_at is null;
create unique index alerts_once_per_clock on alerts (force_id, clock_id) where clock_id is not null;

do $$
declare t text;
begin
  foreach t in array array['queues','queue_rules','staff_routing','sla_clocks','alerts']
  loop
    execute format('alter table %I enable row level security', t);
    execute format($p$create policy tenant on %I
      using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
      with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)$p$, t);
  end loop;
end $$;

grant select, insert, update, delete on queues, queue_rules to bluelamp_app;
grant select, insert, update on staff_routing, sla_clocks, alerts to bluelamp_app;
