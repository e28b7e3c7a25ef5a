-- Housekeeping and metrics read finished jobs and sessions by age. Without these, deleting old done
-- jobs (or counting dead ones for /metrics) would scan every job a force ever ran.
create index jobs_done_age on jobs (force_id, updated_at) where state = 'done';
create index jobs_dead_age on jobs (force_id, updated_at) where state = 'dead';
create index staff_sessions_expiry on staff_sessions (force_id, expires_at);
