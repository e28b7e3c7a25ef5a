-- Housekeeping deletes providers' raw requests after their retention. A message keeps its row and
-- loses only the link to the raw request it came in (the raw copy exists for replay and checks).
alter table messages drop constraint messages_inbound_request_id_fkey;
alter table messages add constraint messages_inbound_request_id_fkey
  foreign key (inbound_request_id) references inbound_requests (id) on delete set null;
-- Raw requests, check-my-report codes and chat sessions are deleted by age; without these the
-- deletes would scan every row a force ever had.
create index portal_codes_expiry on portal_codes (force_id, expires_at);
create index chat_sessions_last_seen on chat_sessions (force_id, last_seen_at);
