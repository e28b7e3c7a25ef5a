-- A reporter's sign-in to their report's page is held by the server (decision 0167), as a victim's
-- to their case page is (decision 0158). Before this the signed `bl_access` cookie named only the
-- report and an expiry: a copy of it (another device, a shared computer, a leaked log) opened the
-- report for its whole half hour, and neither signing in again nor anything else could end it. Now
-- the cookie names its sign-in too and holds only while the sign-in's row is here and is for the
-- same report: signing in to the report again ends the earlier sign-ins to it, signing out ends
-- its own (rows deleted, as staff sessions are), and housekeeping deletes those past their end.
-- No events: the sign-in itself is in the force's log (`portal.access_granted`, naming its code).
create table portal_report_sign_ins (
  -- The id of the code that opened it, as the cookie and the grant event name it.
  id uuid primary key,
  force_id uuid not null references forces(id),
  contact_id uuid not null references contacts(id),
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create index portal_report_sign_ins_report on portal_report_sign_ins (force_id, contact_id);
create index portal_report_sign_ins_expiry on portal_report_sign_ins (force_id, expires_at);

select bluelamp_enable_tenancy('portal_report_sign_ins');
grant select, insert, delete on portal_report_sign_ins to bluelamp_app;
