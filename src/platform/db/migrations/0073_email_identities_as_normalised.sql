-- Migration 0072 rewrote the email identities whose domain SQL converts exactly as `normaliseEmail`
-- does, and left the rest as stored: domains needing UTS 46's mapping (full-width letters and dots,
-- Cherokee, scripts whose marks the database does not read as letters, such as Tamil), and any
-- address not stored lower-cased. Such a person is still found twice, or never. Only the
-- application's own conversion gives its own answer on every engine and Unicode version, so the
-- rewrite is a repair in TypeScript, asked for here and run when the application starts, after the
-- migrations, until it has completed once (decision 0161).
create table data_repairs (
  name text primary key,
  requested_at timestamptz not null default now(),
  -- Null until a start has run it to the end; a migration may set it back to null to run it again.
  done_at timestamptz,
  -- What it did (counts), for the operator.
  report jsonb
);

insert into data_repairs (name) values ('email-identities-as-normalised');
