-- A text failed because its outcome was unknown that its provider took after all (decision 0173)
-- may still not reach the person: the carrier says so (Twilio's "undelivered"). The row stays
-- failed; these say when (the carrier's time when Twilio passes one on, else when we heard) and
-- why, so staff read that the person does not have it (decision 0176).
-- Nullable with no default: the catalogue changes, no table is rewritten (decision 0164).
alter table outbox add column undelivered_after_all_at timestamptz;
alter table outbox add column undelivered_after_all_reason text;
