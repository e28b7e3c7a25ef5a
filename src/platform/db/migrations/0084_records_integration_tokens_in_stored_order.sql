-- records_integration_tokens breaks ties of time by the order its rows were stored (decision 0168), given a `seq` as
-- migration 0074 gave seven other tables (decision 0157). One table a migration, so that waiting
-- for one table's lock (decision 0164) never holds another's. A column added with no default and
-- then given one changes the catalogue only: no table is rewritten. Rows stored before this have
-- no number; they were all stored before any row that has one.
alter table records_integration_tokens add column seq bigint;
create sequence records_integration_tokens_seq owned by records_integration_tokens.seq;
alter table records_integration_tokens alter column seq set default nextval('records_integration_tokens_seq');
grant usage on sequence records_integration_tokens_seq to bluelamp_app;
