-- Claiming more jobs of one type for a batch (decision 0040) looked them up through
-- jobs_by_state (force, state, created_at) and filtered the rest: every pending job of the force,
-- the checks scheduled for hours ahead included, was read by every claim. With 1,500 open portal
-- reports that was 5,800 rows and 3 ms a claim, growing with every contact still open. This index
-- holds only pending jobs, in the order a claim takes them, so a claim reads the due ones.
create index jobs_due_by_type on jobs (force_id, type, run_at) where state = 'pending';
