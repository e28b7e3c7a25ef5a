-- response_clocks breaks ties of start time by the order its rows were stored (decision 0178), given
-- a `seq` as migration 0086 gave inbound_requests. Its ids are random, and a regrade or a dispatch
-- stops one clock and starts the next at one time, so several clocks of an incident can share
-- their start (a regrade and a dispatch in one instant; always on a clock that stands still). A
-- column added with no default and then given one changes the catalogue only: no table is
-- rewritten. Rows stored before this have no number; they were all stored before any that has one.
alter table response_clocks add column seq bigint;
create sequence response_clocks_seq owned by response_clocks.seq;
alter table response_clocks alter column seq set default nextval('response_clocks_seq');
grant usage on sequence response_clocks_seq to bluelamp_app;
