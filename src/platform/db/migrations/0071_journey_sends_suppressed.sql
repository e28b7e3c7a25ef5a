-- An SMS opt-out lifted decides again what could not reach a victim (decision 0143): it reads the
-- force's journey decisions suppressed for one reason ("no address for any allowed channel") since
-- the opt-out began. The only index it could use was journey_sends_case (force, case, time), read
-- whole for the force as no case is named, or no index at all: with 1.9 million decisions in three
-- forces, a month-old opt-out read 15,000 pages, a year-old one the whole table (decision 0147).
-- This index holds only the suppressed decisions (those with a reason, about one in ten), by
-- reason and time. Its condition is `reason is not null`, which `reason = <any value>` implies,
-- so a plan made without the values (a prepared statement's generic plan) still uses it.
-- Row-level security is unchanged: the tenant policy's force_id check rides on the leading column.
create index journey_sends_suppressed on journey_sends (force_id, reason, created_at) where reason is not null;
