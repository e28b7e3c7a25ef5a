-- Every position a unit's tracker sent that was newer than the one held, kept for the force's
-- retention (forces.settings.positionHistoryDays) and then pruned by housekeeping. The latest
-- position stays in unit_positions_latest; this table is only appended to and pruned.
--
-- Compact on purpose (a fleet reporting every few seconds writes millions of rows a day):
-- degrees as integers in units of 1e-7 (about a centimetre; exact for up to seven decimals, which
-- trackers send), no surrogate key. A unit and a time are unique: ingest stores a position only
-- when it is strictly newer than the latest, under that row's lock.
--
-- No foreign keys: rows are written only by the statement that upserted the latest position, whose
-- own keys prove the unit and force exist, and units are never deleted. The checks would only slow
-- the ingest path, which must keep up with a whole fleet.
create table unit_position_history (
  unit_id uuid not null,
  recorded_at timestamptz not null,
  force_id uuid not null,
  lat_e7 integer not null check (lat_e7 between -900000000 and 900000000),
  lon_e7 integer not null check (lon_e7 between -1800000000 and 1800000000),
  primary key (unit_id, recorded_at)
);
-- The primary key serves a unit's trail; this one serves pruning a force's rows by age in bounded
-- batches (a block-range index would be cheaper to keep, but every batch would scan again past
-- the rows the batches before it deleted). Times only grow, so inserts land on its last page.
create index unit_position_history_age on unit_position_history (force_id, recorded_at);

select bluelamp_enable_tenancy('unit_position_history');

-- History is appended by ingest and read as trails; only housekeeping (as the owner) deletes.
grant select, insert on unit_position_history to bluelamp_app;

-- Every batch updates each unit's latest row in place. With room left on its page the new version
-- stays there (a heap-only update: no new index entry, dead versions pruned on the page), which
-- keeps ingest cheap and the table small however often units report. The table is one row per unit.
alter table unit_positions_latest set (fillfactor = 40);
