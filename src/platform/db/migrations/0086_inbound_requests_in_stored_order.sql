-- inbound_requests breaks ties of time by the order its rows were stored (decision 0169), given a
-- `seq` as migration 0074 gave seven other tables (decision 0157). Its ids are random and a
-- provider's batch, or two requests in one microsecond, share their time. A column added with no
-- default and then given one changes the catalogue only: no table is rewritten. Rows stored before
-- this have no number; they were all stored before any row that has one.
alter table inbound_requests add column seq bigint;
create sequence inbound_requests_seq owned by inbound_requests.seq;
alter table inbound_requests alter column seq set default nextval('inbound_requests_seq');
grant usage on sequence inbound_requests_seq to bluelamp_app;
