-- The victim's side of a case on the portal (issue 12, decision 0035).
--
-- A victim signs in with a case reference and a one-time code sent to their own address: the
-- code row then names the case and the person it was sent to, instead of a contact. Each person
-- gets a code of their own, so a session covers one case for one victim.

alter table portal_codes alter column contact_id drop not null;
alter table portal_codes
  add column case_id uuid references cases(id),
  add column person_id uuid references people(id);
alter table portal_codes add constraint portal_codes_one_subject
  check ((contact_id is null) <> (case_id is null) and (case_id is null) = (person_id is null));
create index portal_codes_case on portal_codes (force_id, case_id, person_id, created_at desc) where case_id is not null;

-- Self-service answers a force writes for the public, in English and Welsh, linked from the
-- updates they explain (by the case milestone's event type) and searchable on the portal.
create table help_articles (
  id uuid primary key,
  force_id uuid not null references forces(id),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(slug) <= 80),
  title text not null,
  title_cy text not null,
  body text not null,
  body_cy text not null,
  -- Case event types (`case.closed`, `case.released_under_investigation`…) whose updates link here.
  milestone_types jsonb not null default '[]'::jsonb,
  published boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (force_id, slug)
);

select bluelamp_enable_tenancy('help_articles');
grant select, insert, update on help_articles to bluelamp_app;

-- The one-question satisfaction survey at closure: one answer per victim and case, kept by its
-- key (a second answer is refused, however it races). The answer is also an event
-- (`portal.satisfaction_answered`); this table is what the report by team reads, with the team the
-- case had when the victim answered.
create table case_surveys (
  force_id uuid not null references forces(id),
  case_id uuid not null references cases(id),
  person_id uuid not null references people(id),
  score smallint not null check (score between 1 and 5),
  team text,
  answered_at timestamptz not null,
  primary key (force_id, case_id, person_id)
);
create index case_surveys_time on case_surveys (force_id, answered_at);

select bluelamp_enable_tenancy('case_surveys');
grant select, insert on case_surveys to bluelamp_app;
