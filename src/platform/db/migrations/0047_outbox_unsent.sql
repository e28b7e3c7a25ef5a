-- The force's messages not yet sent (waiting, or held), by idempotency key: few at any time
-- however long the outbox grows. A journey rule switched off finds those it queued through this
-- (decision 0074), without reading every message the force ever sent.

create index outbox_unsent on outbox (force_id, idempotency_key) where status in ('pending', 'held');
