-- The person an inbound message came from: the one its sender's handle resolved to when it reached
-- us (decision 0195). A contact is a thread with one person, but a reply to our mail joins it from
-- whoever holds that mail (a stranger the person copied in), so the contact's person is not every
-- inbound message's sender. Null for outbound messages and for every message stored before this.
-- Nullable with no default and no foreign key, so adding it changes no stored row and holds the
-- table's lock only for an instant: intake keeps writing through the upgrade. Messages stored
-- before are not given a sender here (that would read and rewrite the whole table under its lock);
-- the report page proves, as it reads them, which of its few are the reporter's (decision 0195).
alter table messages add column sender_person_id uuid;
