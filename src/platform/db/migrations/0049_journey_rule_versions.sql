-- Each journey rule counts its changes (decision 0079): every change and every switch off or on
-- adds one, so an admin's change made from the rule as it was at one version is refused once
-- another admin has changed it, instead of silently replacing their change. A new order of the
-- force's rules is not a change of any one rule and leaves the count alone. Rules that exist start
-- at 1: what was changed before this count began is in the force's log.
alter table journey_rules add column version int not null default 1 check (version >= 1);
