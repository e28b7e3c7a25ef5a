-- The outbox carries any channel a victim may be written to (issue 12): email, text message, the
-- portal inbox, or a letter. A message is rendered for every channel the person allows, in their
-- order: the row holds the first; `alternatives` holds the rest, tried in turn when a channel
-- fails for good. `not_before` holds a message back until it may go (a journey's delay, or the
-- start of the person's safe time). The provider's id and its receipts are the delivery proof.

alter table outbox drop constraint outbox_status_check;
alter table outbox add constraint outbox_status_check
  check (status in ('pending','sent','delivered','failed','held','suppressed'));
alter table outbox
  add column alternatives jsonb not null default '[]'::jsonb,
  add column not_before timestamptz,
  add column person_id uuid references people(id),
  add column provider_message_id text,
  add column delivered_at timestamptz;
create index outbox_case on outbox (force_id, case_id, created_at) where case_id is not null;
create index outbox_provider_message on outbox (force_id, provider_message_id) where provider_message_id is not null;
