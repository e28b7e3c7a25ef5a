-- Numbers that replied STOP to one of the force's Twilio numbers. Twilio blocks every later text
-- to them from that number (error 21610), so journeys and the outbox must choose another channel
-- and staff must be told why a reply cannot go. One row per number and force: written when the
-- Twilio adapter sees an opt-out keyword, removed when the person texts START. The channel account
-- is the number they texted.

create table sms_opt_outs (
  force_id uuid not null references forces(id),
  phone_number text not null check (phone_number ~ '^\+[1-9][0-9]{6,14}$'),
  channel_account_id uuid not null references channel_accounts(id),
  opted_out_at timestamptz not null,
  primary key (force_id, phone_number)
);

select bluelamp_enable_tenancy('sms_opt_outs');
grant select, insert, delete on sms_opt_outs to bluelamp_app;
