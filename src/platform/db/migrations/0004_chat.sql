-- Live chat: one row per visitor session opened by the website widget. Only a hash of the
-- visitor's token is kept; the token itself lives in the visitor's browser tab.
create table chat_sessions (
  id uuid primary key,
  force_id uuid not null references forces(id),
  channel_account_id uuid not null references channel_accounts(id),
  token_hash text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null
);
create index chat_sessions_account on chat_sessions (force_id, channel_account_id);

alter table chat_sessions enable row level security;
create policy tenant on chat_sessions
  using (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid)
  with check (force_id = nullif(current_setting('bluelamp.force_id', true), '')::uuid);
grant select, insert, update on chat_sessions to bluelamp_app;
