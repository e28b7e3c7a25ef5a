-- identities breaks ties of time by the order its rows were stored (decision 0168), given a `seq` as
-- migration 0074 gave seven other tables (decision 0157). One table a migration, so that waiting
-- for one table's lock (decision 0164) never holds another's. A column added with no default and
-- then given one changes the catalogue only: no table is rewritten. Rows stored before this have
-- no number; they were all stored before any row that has one.
alter table identities add column seq bigint;
create sequence identities_seq owned by identities.seq;
alter table identities alter column seq set default nextval('identities_seq');
grant usage on sequence identities_seq to bluelamp_app;
