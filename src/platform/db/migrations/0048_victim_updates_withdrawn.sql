-- A Victims' Code clock can be withdrawn: the victim it was owed to was removed from the case
-- (decision 0077). It is closed as a met clock is (`satisfied_at`, so every read of open clocks
-- leaves it out) with `how` = 'withdrawn'; a breach already marked stays marked. The reports leave
-- out a withdrawn clock that never breached and count one that did as a breach.

alter table victim_updates drop constraint victim_updates_how_check;
alter table victim_updates add constraint victim_updates_how_check
  check (how in ('journey','phone','visit','letter','email','referred','declined','withdrawn'));
