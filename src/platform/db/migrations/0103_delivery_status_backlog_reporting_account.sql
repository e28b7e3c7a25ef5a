-- A delivery report waiting in the backlog for its send to be recorded keeps the provider account
-- whose credentials verified it (Twilio's Account SID; null for providers with no such account,
-- such as GOV.UK Notify), and settles only a message sent through that account (decision 0196).
-- Rows stored before this have none: they settle no Twilio text, and housekeeping prunes them
-- after RETENTION_DLR_BACKLOG_DAYS. Nullable with no default: the catalogue changes, no table is
-- rewritten (decision 0164).
alter table delivery_status_backlog add column reporting_account text;
