-- A message failed because its outcome was unknown (decision 0163: a run stopped while handing it
-- to a provider that cannot say whether it went) may turn out to have gone after all: the stopped
-- run wakes with the provider's id for it, and the provider's receipt follows (decision 0173). The
-- row stays failed, so nothing decided on its failure is contradicted; these columns say which
-- taking's outcome was unknown, and when the provider took it and reached the person after all.
-- Nullable with no default: the catalogue changes, no table is rewritten (decision 0164).
alter table outbox add column in_doubt_token integer;
alter table outbox add column sent_after_all_at timestamptz;
alter table outbox add column delivered_after_all_at timestamptz;
-- A receipt that comes before its send is recorded waits in the backlog: it keeps the provider's
-- time with it, so a text thought lost shows when it reached the person, not when we matched it.
alter table delivery_status_backlog add column provider_at timestamptz;
