-- The reason a victim is told when a records-system status closes their case, in Welsh beside
-- English: a Welsh-speaking victim is told it in Welsh (null: the English one is all there is).
alter table records_code_mappings add column reason_cy text;
