-- A force's trusted reporting addresses (decision 0166): the email addresses of third-party
-- reporting centres (a charity reporting hate crime for its victims, a school's safeguarding lead,
-- a housing association) that give one address for many portal reports a day. Each is sent more
-- acknowledgements a day than the force's allowance for any other address (decision 0162), up to
-- the force's `trustedAcknowledgementsPerAddress` setting. Force admins add and remove them; each
-- change is an event (`trusted_address.added`, `trusted_address.removed`) naming who made it.
create table acknowledgement_trusted_addresses (
  id uuid primary key,
  force_id uuid not null references forces(id),
  -- As `normaliseEmail` gives it (lower case, the domain as its A-label), the form the allowance
  -- compares the portal's addresses in.
  address text not null check (char_length(address) between 3 and 320),
  added_by uuid not null references staff(id),
  added_at timestamptz not null
);
create unique index acknowledgement_trusted_addresses_address on acknowledgement_trusted_addresses (force_id, address);
create index acknowledgement_trusted_addresses_newest on acknowledgement_trusted_addresses (force_id, added_at desc, address);

select bluelamp_enable_tenancy('acknowledgement_trusted_addresses');
grant select, insert, delete on acknowledgement_trusted_addresses to bluelamp_app;
