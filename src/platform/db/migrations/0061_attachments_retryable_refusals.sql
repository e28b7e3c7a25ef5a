-- Staff may try a refused download again when it was refused because the provider could not be
-- reached, not when a check refused it (decision 0106). Which it was is kept beside the reason:
-- `unreachable` (the provider still failing on the job's last attempt) or `checks` (a link into
-- our own network, a hash that does not match, a file too large or of a kind the channel does not
-- carry, a provider that would not give it). `retries` counts the tries staff asked for, so each
-- one's download job is a new job. Refusals recorded before this read as the reason says.
alter table attachments add column refusal_kind text;
alter table attachments add column retries integer not null default 0;
update attachments
  set refusal_kind = case when refusal like '% could not be reached after % attempts%' then 'unreachable' else 'checks' end
  where refusal is not null;
-- A kind only beside a reason; a reason without one reads as a check's, never tried again.
alter table attachments add constraint attachments_refusal_kind_known
  check (refusal_kind is null or (refusal is not null and refusal_kind in ('unreachable', 'checks')));
