-- One poll of a mailbox at a time across processes (decision 0190). Two workers against one
-- database polled the same mailbox at once: both fetched the same mail (stored once, as Message-IDs
-- are de-duplicated) and raced to write its health (decision 0188). A poll now first takes its
-- account's lease: one row per account, naming the poller that holds it and when it runs out (the
-- poll's deadline and a minute), taken only where none is held or the one held has run out, and
-- deleted by its holder when the poll ends. A process that dies mid-poll leaves its row, which runs
-- out; no event: a lease is not a record of the force's work.
create table mailbox_poll_leases (
  channel_account_id uuid primary key references channel_accounts(id),
  force_id uuid not null references forces(id),
  holder uuid not null,
  expires_at timestamptz not null
);

select bluelamp_enable_tenancy('mailbox_poll_leases');
grant select, insert, update, delete on mailbox_poll_leases to bluelamp_app;
