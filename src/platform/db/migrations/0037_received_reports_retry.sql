-- A received portal report whose processing failed was given up on after five attempts and never
-- tried again, not after the cause had passed nor after a restart: a lock held for 40 seconds
-- while statements time out after one could strand reports the public had a reference for. Now a
-- report that fails is tried again after a growing wait (at most 15 minutes), for as long as it
-- takes; a database that is busy or away costs it no attempt at all. Its attempts and last error
-- stay for the metrics and the runbook (decision 0022).
alter table received_reports add column next_attempt_at timestamptz;
