-- Attempt counters for sign-in and one-time-code limits, shared by every process on the database.
-- Keys are HMAC-SHA-256 digests of what is limited (an address, an account, a device), so the
-- table holds no email address or IP address in clear, and it belongs to no force: a limit on an
-- address must hold whichever force's account is tried from it. Only platform code that runs as
-- the owning role (sign-in, the portal's code checks) reads or writes it; the application role
-- gets no grant.
create table attempt_counters (
  key_hash text primary key,
  scope text not null,
  attempts integer not null,
  window_started_at timestamptz not null,
  expires_at timestamptz not null
);
create index attempt_counters_expiry on attempt_counters (expires_at);
