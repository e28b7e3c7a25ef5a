-- The Victims' Code sweep checks that each case milestone of the last thirty days has its clocks
-- (decision 0118): it reads a force's case events by type and time, every five minutes. Without
-- this index that read walks the force's whole event log.
create index events_case_milestones on events (force_id, type, occurred_at) where subject_type = 'case';
