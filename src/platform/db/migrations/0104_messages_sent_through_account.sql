-- A reply sent to a provider keeps the provider account it went through (Twilio's Account SID;
-- null for a provider with one account per service, such as Meta or GOV.UK Notify), so a delivery
-- report on its provider id settles it only when it comes from that account (decision 0202).
-- Nullable with no default and no backfill: the catalogue changes, no table is rewritten (decision
-- 0164). Replies sent before this have none, and no Twilio report settles them (as 0184 and 0196).
alter table messages add column sent_through_account text;
