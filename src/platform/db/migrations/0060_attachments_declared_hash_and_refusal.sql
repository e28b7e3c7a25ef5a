-- A provider may give, beside its link to a file, the file's SHA-256 (WhatsApp's webhook does):
-- the download is checked against it (decision 0104). A download refused for good (a hash that
-- does not match, a file too large or of a kind the channel does not carry) keeps its reason,
-- which staff read beside the message; its bytes and hash are not kept.
alter table attachments add column declared_sha256 text;
alter table attachments add column refusal text;
