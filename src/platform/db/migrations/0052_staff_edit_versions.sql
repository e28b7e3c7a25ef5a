-- A member of staff's role and routing profile (skills and capacity) each count their changes
-- (decision 0085): a change made from one as it was at one version is refused once someone else
-- has changed it, instead of silently replacing their change. They count apart, as the console
-- changes them with two forms. Presence (signing on and off, all day long), password resets,
-- deactivation and reactivation change neither and leave both counts alone. Existing rows start
-- at 1: what was changed before this count began is in the force's log.
alter table staff add column role_version int not null default 1 check (role_version >= 1);
alter table staff_routing add column profile_version int not null default 1 check (profile_version >= 1);
