-- Every claim of a job counts its claim token up by one (decision 0165), in the statement that
-- claims it; nothing else changes it (a release gives the attempt back, not the token). A run's
-- writes to its job (done, failed, released, its lease renewed) are conditional on the token it
-- claimed, so a run whose lease ran out, waking after another run took its job over, changes
-- nothing of the newer run's. A default given with the column is not volatile: the catalogue
-- changes, no table is rewritten.
alter table jobs add column claim_token integer not null default 0;
