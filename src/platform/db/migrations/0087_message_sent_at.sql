-- When the person sent an inbound message, as its provider says, where that is a time it could be
-- (decision 0172); null when the provider gave none or one that could not be, and for every message
-- stored before this. The time we received it (`created_at`) stays the time messages are ordered by.
-- A nullable column with no default changes the catalogue only: no table is rewritten.
alter table messages add column sent_at timestamptz;
