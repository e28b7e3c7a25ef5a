-- bluelamp: no transaction
-- Delivery reports waiting for their message (0005) are deleted by housekeeping after
-- RETENTION_DLR_BACKLOG_DAYS, found by when they came (decision 0184). Built concurrently, in a
-- migration of its own, so providers' reports keep arriving while it is built: the backlog was never
-- pruned before, so on a long-running database it may be large.
create index concurrently if not exists delivery_status_backlog_received on delivery_status_backlog (force_id, received_at);
