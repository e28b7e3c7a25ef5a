-- A retired unit's last position is not kept (decision 0094): retiring it deletes its latest row
-- in the same transaction, so nothing reading latest positions shows or uses it, and reinstating
-- it brings none back. The row of a unit retired before this migration goes now.
delete from unit_positions_latest as p using units as u where u.id = p.unit_id and u.status = 'retired';

grant delete on unit_positions_latest to bluelamp_app;
