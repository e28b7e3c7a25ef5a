-- Provider message ids are unique per channel account, not per force (issue 10, item 9).
--
-- Two accounts of one force (two API clients, two numbers, two pages) may each send a message
-- "1"; keyed per force, the second was taken for a retry of the first and lost. An inbound message
-- now records the account it came in on, and the provider id is unique per force, channel and
-- account. Messages without an account (portal reports, staff replies) share one key, as before.

alter table messages add column channel_account_id uuid references channel_accounts(id);

-- Existing inbound messages: the account of the request they came in, else of their contact.
update messages m set channel_account_id = coalesce(
  (select r.channel_account_id from inbound_requests r where r.id = m.inbound_request_id),
  (select c.channel_account_id from contacts c where c.id = m.contact_id)
)
where m.direction = 'inbound';

drop index messages_provider_id;
create unique index messages_provider_id on messages
  (force_id, channel, coalesce(channel_account_id, '00000000-0000-0000-0000-000000000000'::uuid), provider_message_id)
  where provider_message_id is not null;
