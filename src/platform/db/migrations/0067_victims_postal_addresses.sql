-- A victim's postal address on the case (decision 0136), so that a victim with no email address or
-- phone number, or one who prefers it, can be kept informed by letter. Address lines (one to three),
-- a town and a UK postcode, all three or none. The application checks each field (length, no
-- control characters, the postcode's shape); the bounds here keep a row written any other way sane.
alter table case_people add column postal_lines text[];
alter table case_people add column postal_town text;
alter table case_people add column postal_postcode text;
alter table case_people add constraint case_people_postal_address_whole
  check (num_nulls(postal_lines, postal_town, postal_postcode) in (0, 3));
alter table case_people add constraint case_people_postal_address_bounded
  check (postal_lines is null or (
    cardinality(postal_lines) between 1 and 3
    and char_length(array_to_string(postal_lines, '')) <= 300
    and char_length(postal_town) between 1 and 100
    and char_length(postal_postcode) between 6 and 8));
grant update (postal_lines, postal_town, postal_postcode) on case_people to bluelamp_app;
