-- Victims' journeys (issue 12): the rules that turn a case's milestones into messages, each
-- victim's contact preferences (safe contact), what each victim was sent or spared, and the
-- earlier versions of every message template.

-- When a milestone happens (for a crime type, a victim category, or all), send a template after a
-- delay. A fallback rule speaks only when no other rule for the same milestone did (the general
-- "case closed" message, when no outcome-specific one matched). A statutory rule (a Victims' Code
-- update) is sent even to a victim who opted out of other updates.
create table journey_rules (
  id uuid primary key,
  force_id uuid not null references forces(id),
  milestone text not null,
  crime_type text,
  victim_category text not null default 'all' check (victim_category in ('all','standard','enhanced','domestic_abuse')),
  outcome_codes text[],
  template_key text not null,
  delay_minutes int not null default 0,
  -- 'milestone': the delay counts from the milestone; 'at': from the milestone's own time (an
  -- appointment), so a negative delay is a reminder before it.
  delay_from text not null default 'milestone' check (delay_from in ('milestone','at')),
  statutory boolean not null default false,
  fallback boolean not null default false,
  active boolean not null default true,
  position int not null default 0,
  created_at timestamptz not null
);
create index journey_rules_milestone on journey_rules (force_id, milestone) where active;

-- One victim's contact preferences on one case. The victim is a `case_people` row (role victim),
-- or, for the person who reported it and has no such row, the case's own person: `victim_id` is
-- the one or the other. Absent preferences mean email, then text, then the portal, any time.
create table victim_contact_preferences (
  force_id uuid not null references forces(id),
  case_id uuid not null references cases(id),
  victim_id uuid not null,
  channels text[] not null default array['email','sms','portal'],
  language text check (language in ('en','cy')),
  -- [{ "days": ["mon",…], "from": "09:00", "to": "17:00" }], in Europe/London; empty: any time.
  safe_windows jsonb not null default '[]'::jsonb,
  never_sms boolean not null default false,
  portal_only boolean not null default false,
  opt_out_non_statutory boolean not null default false,
  domestic_abuse boolean not null default false,
  updated_at timestamptz not null,
  updated_by uuid references staff(id),
  primary key (force_id, case_id, victim_id)
);

-- Each rule's decision for each victim of each milestone, once: queued (the outbox row has the same
-- idempotency key) or suppressed, with the reason.
create table journey_sends (
  force_id uuid not null references forces(id),
  idempotency_key text not null,
  case_id uuid not null references cases(id),
  victim_id uuid not null,
  rule_id uuid not null,
  template_key text not null,
  outcome text not null check (outcome in ('queued','suppressed')),
  reason text,
  created_at timestamptz not null,
  primary key (force_id, idempotency_key)
);
create index journey_sends_case on journey_sends (force_id, case_id, created_at);

-- A template change keeps the text it replaces.
alter table message_templates add column version int not null default 1;
create table message_template_versions (
  force_id uuid not null references forces(id),
  key text not null,
  channel text not null,
  locale text not null,
  version int not null,
  subject text not null,
  body text not null,
  replaced_at timestamptz not null,
  replaced_by uuid references staff(id),
  primary key (force_id, key, channel, locale, version)
);

select bluelamp_enable_tenancy('journey_rules');
select bluelamp_enable_tenancy('victim_contact_preferences');
select bluelamp_enable_tenancy('journey_sends');
select bluelamp_enable_tenancy('message_template_versions');

grant select, insert, update on journey_rules, victim_contact_preferences to bluelamp_app;
grant select, insert on journey_sends, message_template_versions to bluelamp_app;
