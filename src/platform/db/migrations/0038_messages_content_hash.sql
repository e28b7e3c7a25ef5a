-- A provider id reused for a different message no longer loses it (decision 0054).
--
-- Some web forms and mailers give every mail the same Message-ID, and an integrator may reuse a
-- message id: keyed by (force, channel, account, provider id) alone, the second message was taken
-- for a retry of the first and dropped. An inbound message now records a hash of its sender and
-- body, and a provider id is unique per force, channel, account and that hash: a retry (same id,
-- same sender and body) is still stored once, a different message under the same id is stored too.
-- Messages stored before have no hash (intake compares their body instead); portal reports and
-- staff replies have none either and share one key, as before.

alter table messages add column content_hash text;

drop index messages_provider_id;
create unique index messages_provider_id on messages
  (force_id, channel, coalesce(channel_account_id, '00000000-0000-0000-0000-000000000000'::uuid), provider_message_id, coalesce(content_hash, ''))
  where provider_message_id is not null;
