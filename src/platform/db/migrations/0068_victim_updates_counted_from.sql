-- A Victims' Code clock counts from when the duty to its victim began: the milestone, or, for a
-- victim the force came to know of after it, their addition to the case (decision 0137). Clocks
-- opened before this counted from their milestone, and keep that time: a breach already counted
-- against it stands (decision 0133).
alter table victim_updates add column counted_from timestamptz;
update victim_updates set counted_from = milestone_at;
alter table victim_updates alter column counted_from set not null;
