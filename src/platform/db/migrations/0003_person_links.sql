-- An operator's assertion that two person records are the same human. Links are never
-- destructive: both records keep their identities and history, and a link can be undone.
create table person_links (
  id uuid primary key,
  force_id uuid not null references forces(id),
  person_id uuid not null references people(id),
  linked_person_id uuid not null references people(id),
  reason text not null,
  linked_by uuid not null references staff(id),
  linked_at timestamptz not null,
  unlinked_by uuid references staff(id),
  unlinked_at timestamptz,
  check (person_id <> linked_person_id)
);
create unique index person_links_active on person_links (force_id, least(person_id, linked_person_id), greatest(person_id, linked_person_id))
  where unlinked_at is null;

alter table person_links enable row level security;
create policy tenant on person_links
  using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
  with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid);
grant select, insert, update on person_links to bluelamp_app;
