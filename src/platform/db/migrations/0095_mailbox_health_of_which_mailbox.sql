-- Which mailbox a stored health is of (decision 0181). A force admin may remove an email account's
-- IMAP settings or point them at another mailbox (another server, user, folder); the row of
-- migration 0089 stayed as it was, and the console went on showing "last read" or an old failure
-- for a mailbox no longer polled, or no longer the same. The poller now stores, with each write, a
-- digest of the mailbox it polled (its server, port, TLS, user name and folder: never the
-- password, and never the user name itself), and the health is shown only while the account's
-- settings name that same mailbox. Rows stored before have none: they are shown as not read yet
-- until the next poll of their mailbox writes it, within one poll.
alter table mailbox_health add column mailbox_key text;
