-- Delivery reports that arrive before we have recorded the provider's id for the message they
-- describe (a fast provider can report "sent" before our send job commits). They wait here and are
-- applied when the id is recorded, so no report is lost. Attachments a provider only links to keep
-- the link.

create table delivery_status_backlog (
  id uuid primary key,
  force_id uuid not null references forces(id),
  channel text not null,
  provider_message_id text not null,
  status text not null,
  reason text,
  received_at timestamptz not null
);
create index delivery_status_backlog_lookup on delivery_status_backlog (force_id, channel, provider_message_id);

alter table delivery_status_backlog enable row level security;
create policy tenant on delivery_status_backlog
  using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
  with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid);
grant select, insert, delete on delivery_status_backlog to bluelamp_app;

alter table attachments add column url text;
