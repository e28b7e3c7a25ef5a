-- The allowance of portal acknowledgements to one address (decision 0162) counts the force's
-- acknowledgements to each address of a batch over the last day. On the outbox's (force,
-- created_at) index that read went through every message the force queued that day, a cost that
-- grows with the force's busiest days; this index reaches the address's own acknowledgements.
create index outbox_acknowledgements_by_recipient on outbox (force_id, lower(recipient), created_at)
  where purpose = 'acknowledgement';
