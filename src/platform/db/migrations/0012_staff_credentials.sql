-- Staff credentials: a password set by someone else (the CLI's or an admin's one-time password)
-- must be changed at the next sign-in, and a deactivated account keeps its row and history but
-- can neither sign in nor be given work. The staff table already has row-level security and the
-- application role's grants (select, insert, update), so nothing new is granted here.
alter table staff add column must_change_password boolean not null default false;
alter table staff add column password_changed_at timestamptz;
alter table staff add column deactivated_at timestamptz;
