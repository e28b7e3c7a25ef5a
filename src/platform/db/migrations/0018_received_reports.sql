-- Portal reports received and acknowledged but not yet processed (decision 0022).
--
-- Accepting a report is one row here, written with the other reports of its group in one insert
-- and committed before the reporter sees their reference. A processor then turns received rows
-- into people, contacts, messages, triage, routing, clocks and events, and deletes them, in one
-- transaction: a row is either here or a contact, never both, never neither. Rows left by a crash
-- between the two steps are processed at the next start.
create table received_reports (
  -- The id the contact will have, so a reference and a contact id are known from the moment of receipt.
  id uuid primary key,
  force_id uuid not null references forces(id),
  submission_id text not null,
  reference text not null,
  -- The report as validated by the portal: submissionId, whatHappened, where, when, name, email, language.
  payload jsonb not null,
  received_at timestamptz not null,
  -- Failed processing attempts of this row alone; past the limit it waits for a person (decision 0022).
  attempts int not null default 0,
  last_error text,
  unique (force_id, submission_id)
);
select bluelamp_enable_tenancy('received_reports');
grant select, insert, update, delete on received_reports to bluelamp_app;
