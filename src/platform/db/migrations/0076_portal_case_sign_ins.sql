-- A victim's sign-in to their case page is held by the server (decision 0158). The signed cookie
-- names the case, the victim, their victim row and the sign-in; before this, the sign-in's id (its
-- code's) was checked against nothing, so a copy of the cookie opened the page for its whole half
-- hour whatever happened meanwhile. Now the cookie holds only while its row is here and names the
-- same case, victim and victim row: signing in to the case again ends the victim's earlier
-- sign-ins to it (their rows deleted, as staff sessions are), and housekeeping deletes those past
-- their end.
-- No events: the sign-in itself is in the force's log (`portal.case_access_granted`).
create table portal_case_sign_ins (
  -- The id of the code that opened it, as the cookie and the grant event name it.
  id uuid primary key,
  force_id uuid not null references forces(id),
  case_id uuid not null references cases(id),
  person_id uuid not null references people(id),
  -- The victim row it was granted under (decision 0155); null for a reporter with none.
  victim_row_id uuid references case_people(id),
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index portal_case_sign_ins_victim on portal_case_sign_ins (force_id, case_id, person_id);
create index portal_case_sign_ins_expiry on portal_case_sign_ins (force_id, expires_at);

select bluelamp_enable_tenancy('portal_case_sign_ins');
grant select, insert, delete on portal_case_sign_ins to bluelamp_app;
