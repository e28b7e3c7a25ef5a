-- Vehicle tracking's credentials (decision 0203): a force's tracking feed posts unit positions
-- with a bearer token of the force's, as its records system sends case updates (migration 0031).
-- The same shape as records_integration_tokens, in a table of its own so that a token of one
-- integration can never be read as a token of the other. Only the token's SHA-256 is stored
-- (256 random bits: its hash is as good as a password hash and can be looked up directly); the
-- token is shown once, when made. `seq` breaks ties of time in lists (decision 0168).
create table tracking_integration_tokens (
  id uuid primary key,
  force_id uuid not null references forces(id),
  label text not null,
  token_hash text not null unique,
  -- The first characters of the token, so an admin can tell which one a feed holds.
  token_hint text not null,
  created_at timestamptz not null,
  created_by uuid references staff(id),
  last_used_at timestamptz,
  revoked_at timestamptz,
  seq bigint
);
create sequence tracking_integration_tokens_seq owned by tracking_integration_tokens.seq;
alter table tracking_integration_tokens alter column seq set default nextval('tracking_integration_tokens_seq');
create index tracking_integration_tokens_force on tracking_integration_tokens (force_id, created_at);

select bluelamp_enable_tenancy('tracking_integration_tokens');

grant select, insert on tracking_integration_tokens to bluelamp_app;
grant update (last_used_at, revoked_at) on tracking_integration_tokens to bluelamp_app;
grant usage on sequence tracking_integration_tokens_seq to bluelamp_app;
