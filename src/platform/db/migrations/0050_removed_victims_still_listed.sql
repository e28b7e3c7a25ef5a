-- A victim staff removed stays removed when the force's records system still lists them (decision
-- 0080): the first update that does is said once on the case's timeline, and this marks that it
-- has been, so later updates add nothing more. Null for everyone on a case, and for a removed
-- person the records system has not listed since.

alter table case_people add column listed_after_removal_at timestamptz;
grant update (listed_after_removal_at) on case_people to bluelamp_app;
