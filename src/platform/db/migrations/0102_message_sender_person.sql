-- The person an inbound message came from: the one its sender's handle resolved to when it reached
-- us (decision 0195). A contact is a thread with one person, but a reply to our mail joins it from
-- whoever holds that mail (a stranger the person copied in), so the contact's person is not every
-- inbound message's sender. Null for outbound messages, and for a message stored before this whose
-- sender cannot be shown to be its contact's person: the report page then leaves it out.
-- No foreign key: intake writes only ids it has just found or made, and one would lock `people`
-- and scan `messages` while the rows below are set (operations runbook).
alter table messages add column sender_person_id uuid;

-- A message stored before whose hash (0038: its sender's kind and handle and its body, as intake
-- hashes them) is that of one of its contact's person's handles and its body came from that person.
-- A stranger's reply hashes another handle and stays null.
update messages as m set sender_person_id = c.person_id
  from contacts as c
  where c.force_id = m.force_id and c.id = m.contact_id and c.person_id is not null
    and m.direction = 'inbound' and m.content_hash is not null
    and exists (
      select 1 from identities as i
      where i.force_id = c.force_id and i.person_id = c.person_id
        and m.content_hash = encode(sha256(convert_to('[' || to_json(i.kind)::text || ',' || to_json(i.value)::text || ',' || to_json(m.body)::text || ']', 'UTF8')), 'hex')
    );

-- A portal report's own words (stored without a hash): the report was made by its contact's person,
-- from the same submission, and is the message keyed by that submission on the report's thread.
update messages as m set sender_person_id = c.person_id
  from contacts as c
  where c.force_id = m.force_id and c.id = m.contact_id and c.person_id is not null
    and m.direction = 'inbound' and m.channel = 'portal' and c.channel = 'portal'
    and c.thread_key = 'portal:' || m.provider_message_id;
