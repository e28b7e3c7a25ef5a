-- Channels: provider accounts per force (secrets encrypted), the raw inbound request log kept for
-- replay, threads, attachments with their hash at capture, and delivery state of outbound messages.

alter table forces add column settings jsonb not null default '{}';

create table channel_accounts (
  id uuid primary key,
  force_id uuid not null references forces(id),
  channel text not null,
  account_key text not null,          -- what the provider puts in every request: page id, phone number, token hash
  label text not null,
  config_ciphertext text not null,    -- AES-256-GCM; never logged, never returned by the API
  is_enabled boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (channel, account_key)
);
create index channel_accounts_force on channel_accounts (force_id, channel);

create table inbound_requests (
  id uuid primary key,
  force_id uuid not null references forces(id),
  channel text not null,
  channel_account_id uuid references channel_accounts(id),
  received_at timestamptz not null,
  method text not null,
  url text not null,
  headers jsonb not null,
  raw_body bytea not null,
  status text not null check (status in ('processed','rejected','replayed')),
  error text,
  message_count int not null default 0
);
create index inbound_requests_recent on inbound_requests (force_id, received_at desc);

alter table contacts add column thread_key text;
alter table contacts add column channel_account_id uuid references channel_accounts(id);
alter table contacts add column meta jsonb not null default '{}';
create index contacts_thread on contacts (force_id, person_id, channel, thread_key, status);

alter table messages add column inbound_request_id uuid references inbound_requests(id);
alter table messages add column delivery_error text;
alter table messages add column meta jsonb not null default '{}';
create index messages_provider_lookup on messages (force_id, provider_message_id) where provider_message_id is not null;

create table attachments (
  id uuid primary key,
  force_id uuid not null references forces(id),
  message_id uuid not null references messages(id),
  filename text,
  declared_type text,
  detected_type text,
  size_bytes int not null,
  sha256 text not null,
  content bytea,
  created_at timestamptz not null
);
create index attachments_message on attachments (force_id, message_id);

do $$
declare t text;
begin
  foreach t in array array['channel_accounts','inbound_requests','attachments']
  loop
    execute format('alter table %I enable row level security', t);
    execute format($p$create policy tenant on %I
      using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
      with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)$p$, t);
  end loop;
end $$;

grant select, insert, update on channel_accounts, inbound_requests, attachments to bluelamp_app;
