-- A case's alert is put right when its Victims' Code clocks are opened, and stays for a supervisor
-- to acknowledge (decision 0128): when it was put right, for the alert's case only.
alter table alerts add column put_right_at timestamptz;
alter table alerts add constraint alerts_put_right_case check (put_right_at is null or kind = 'victim_updates_unopened');
