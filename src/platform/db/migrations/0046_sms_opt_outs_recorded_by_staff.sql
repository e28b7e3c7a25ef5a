-- A member of staff may record that a number is not to be texted (a victim who asked by phone, or
-- texted "stop texting me", which is not a keyword) and lift what staff recorded (decision 0071).
-- Each row now says how it was made: `keyword` (the person's own STOP, against the channel
-- account they texted, as before) or `staff` (by whom, and why; no channel account). The id names
-- the opt-out in the event log, which never holds the number itself.

alter table sms_opt_outs
  add column id uuid not null default gen_random_uuid(),
  add column source text not null default 'keyword' check (source in ('keyword', 'staff')),
  add column recorded_by uuid references staff(id),
  add column reason text check (char_length(reason) between 1 and 500),
  alter column channel_account_id drop not null;

alter table sms_opt_outs add constraint sms_opt_outs_made_one_way check (
  (source = 'keyword' and channel_account_id is not null and recorded_by is null and reason is null)
  or (source = 'staff' and channel_account_id is null and recorded_by is not null and reason is not null)
);

create unique index sms_opt_outs_id on sms_opt_outs (id);

-- A change locks the number's row first (`for update`), and a STOP texted after staff recorded an
-- opt-out makes that row the person's own: both need update.
grant update on sms_opt_outs to bluelamp_app;
