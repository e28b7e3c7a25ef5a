-- response_clocks and channel_accounts break ties of time by the order their rows were stored
-- (decision 0178), each given a `seq` as migration 0086 gave inbound_requests. Their ids are
-- random. A regrade or a dispatch stops one clock and starts the next at one time, so several
-- clocks of an incident can share their start (a regrade and a dispatch in one instant; always on a
-- clock that stands still); accounts connected in one transaction (a force set up from a script)
-- share their time, and the chat page and the outbox take the first connected of a force's
-- accounts. A column added with no default and then given one changes the catalogue only: no table
-- is rewritten. Rows stored before this have no number; they were all stored before any that has one.
alter table response_clocks add column seq bigint;
create sequence response_clocks_seq owned by response_clocks.seq;
alter table response_clocks alter column seq set default nextval('response_clocks_seq');
grant usage on sequence response_clocks_seq to bluelamp_app;

alter table channel_accounts add column seq bigint;
create sequence channel_accounts_seq owned by channel_accounts.seq;
alter table channel_accounts alter column seq set default nextval('channel_accounts_seq');
grant usage on sequence channel_accounts_seq to bluelamp_app;
