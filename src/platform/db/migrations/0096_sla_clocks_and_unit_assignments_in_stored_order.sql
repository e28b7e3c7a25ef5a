-- sla_clocks and unit_assignments break ties of time by the order their rows were stored
-- (decision 0178), each given a `seq` as migration 0093 gave response_clocks. Their ids are random.
-- A contact's raised priority stops its clocks and starts them again at one time, so a contact
-- moved twice in one instant (always on a clock that stands still) has two clocks of one kind
-- started at one time; a unit stood down and sent again in one instant has two assignments to the
-- incident made at one time. A column added with no default and then given one changes the
-- catalogue only: no table is rewritten. Rows stored before this have no number; they were all
-- stored before any that has one.
alter table sla_clocks add column seq bigint;
create sequence sla_clocks_seq owned by sla_clocks.seq;
alter table sla_clocks alter column seq set default nextval('sla_clocks_seq');
grant usage on sequence sla_clocks_seq to bluelamp_app;

alter table unit_assignments add column seq bigint;
create sequence unit_assignments_seq owned by unit_assignments.seq;
alter table unit_assignments alter column seq set default nextval('unit_assignments_seq');
grant usage on sequence unit_assignments_seq to bluelamp_app;
