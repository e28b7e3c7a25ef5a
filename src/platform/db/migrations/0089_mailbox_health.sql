-- The health of each mailbox the IMAP poller reads, kept where every process sees it (decision
-- 0175): decision 0153 kept it only in the memory of the process that polls, for /readyz and
-- /metrics, so a force admin in the console (served perhaps by another process) could not see
-- that their mailbox had not been read for hours. One row per polled channel account, written by
-- the poller only when its state changes: a run of failures starting, changing its kind or ending,
-- and the last successful poll at most once a minute. The failure is a word of our own, never the
-- server's answer. No events: a mailbox's health is not a record of the force's work.
create table mailbox_health (
  channel_account_id uuid primary key references channel_accounts(id),
  force_id uuid not null references forces(id),
  last_success_at timestamptz,
  -- The first of the current run of failed polls; null while the last poll succeeded.
  failing_since timestamptz,
  failure text check (failure in ('connect', 'auth', 'fetch', 'store', 'module_not_loaded')),
  is_restart_needed boolean not null default false,
  updated_at timestamptz not null,
  check ((failing_since is null) = (failure is null))
);

select bluelamp_enable_tenancy('mailbox_health');
grant select, insert, update on mailbox_health to bluelamp_app;
