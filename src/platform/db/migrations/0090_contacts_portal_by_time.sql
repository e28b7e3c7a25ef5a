-- bluelamp: no transaction
-- The portal reports of a force in the order they came, from a time (decision 0171): releasing the
-- acknowledgements an allowance held back reads the last 24 hours' portal reports, which no other
-- index of contacts leads with; without this the release read every contact the force ever had.
-- Partial, so only portal reports pay for it; built concurrently, so intake keeps writing meanwhile.
create index concurrently if not exists contacts_portal_received on contacts (force_id, received_at)
  where channel = 'portal';
