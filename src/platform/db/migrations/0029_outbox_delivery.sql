-- Delivery of the outbox on every channel (issue 12). `fallbacks` counts how often a message has
-- moved to its next channel: each move's delivery job is keyed by it, so a second fallback of the
-- same message gets a job of its own. Letters wait in the print queue (status held) until a member
-- of staff marks them printed; the queue is read by this index.

alter table outbox add column fallbacks int not null default 0;
create index outbox_print_queue on outbox (force_id, created_at) where status = 'held' and channel = 'letter';
