-- Response targets per channel (issue 10, decision 0041).
--
-- A queue's targets are per priority; a chat that waits eight hours because it was calm is not
-- an answer anyone expects on chat. A force may set, per kind of channel, the most minutes a first
-- response and a next response may take there. When a clock starts for a contact on that channel,
-- the tighter of the queue's target and the channel's applies. A null target leaves the queue's.

create table channel_sla_targets (
  force_id uuid not null references forces(id),
  channel text not null check (channel in ('chat', 'sms', 'social', 'email', 'portal', 'voice')),
  first_response_minutes int check (first_response_minutes between 1 and 43200),
  next_response_minutes int check (next_response_minutes between 1 and 43200),
  updated_at timestamptz not null,
  primary key (force_id, channel)
);

select bluelamp_enable_tenancy('channel_sla_targets');
grant select, insert, update, delete on channel_sla_targets to bluelamp_app;
