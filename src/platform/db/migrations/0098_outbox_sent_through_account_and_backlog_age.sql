-- A text handed to Twilio keeps the Twilio account (its Account SID) the run handed it through, so
-- a delivery report that names the text by its outbox id settles it only when it comes from that
-- account, not from another account the force connected (decision 0184). Nullable with no default:
-- the catalogue changes, no table is rewritten (decision 0164). Rows taken before this have none,
-- and no report names them into a sid.
alter table outbox add column sent_through_account text;

