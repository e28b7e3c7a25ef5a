-- Lists read in time order break ties by the order rows were stored (decision 0157). Two rows of
-- these tables can share their time (one transaction stores several, the test clock stands still,
-- two requests land in the same microsecond), and their ids are random: ordered by time alone,
-- PostgreSQL returns tied rows in whatever order its plan meets them, which an update can change.
--
-- `seq` is taken from the table's own sequence as a row is stored, so it follows the order of
-- storing within a transaction (and of the rows of one multi-row insert) and never repeats.
-- A column added with no default and then given one is a change to the catalogue only: no table
-- is rewritten under an exclusive lock (an identity column, or a default given with the column,
-- would number every existing row, rewriting tables of millions of rows at start-up). Rows stored
-- before this have no number; they were all stored before any row that has one, so they never
-- tie with it, and among themselves they keep the order they had.
do $$
declare t text;
begin
  foreach t in array array['messages', 'outbox', 'alerts', 'contact_grades', 'thrive_assessments', 'case_people', 'jobs']
  loop
    execute format('alter table %I add column seq bigint', t);
    execute format('create sequence %I owned by %I.seq', t || '_seq', t);
    execute format('alter table %I alter column seq set default nextval(%L)', t, t || '_seq');
    execute format('grant usage on sequence %I to bluelamp_app', t || '_seq');
  end loop;
end $$;
