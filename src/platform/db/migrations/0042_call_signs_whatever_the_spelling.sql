-- A call sign names one unit however it is typed: "ZZ99", "zz99" and "ZZ 99" are the same unit on
-- the radio, so they are stored in one form (upper case, no spaces) and the force's unique index
-- on (force_id, call_sign) holds the rule. Call signs stored before this are put in that form; where
-- two then coincide, the later unit's gets "-2", "-3", ... so a force admin can see and rename it.

alter table units drop constraint units_force_id_call_sign_key;

with spelled as (
  select id, upper(regexp_replace(call_sign, '\s', '', 'g')) as plain,
         row_number() over (partition by force_id, upper(regexp_replace(call_sign, '\s', '', 'g')) order by created_at, id) as nth
  from units
)
update units u
   set call_sign = case when s.nth = 1 then s.plain else s.plain || '-' || s.nth end
  from spelled s
 where s.id = u.id
   and u.call_sign is distinct from (case when s.nth = 1 then s.plain else s.plain || '-' || s.nth end);

alter table units add constraint units_force_id_call_sign_key unique (force_id, call_sign);
alter table units add constraint units_call_sign_plain check (call_sign = upper(call_sign) and call_sign !~ '\s');
