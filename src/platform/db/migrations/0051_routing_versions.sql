-- A queue, the force's queue rules and its channel response targets count their changes (decision
-- 0084), as journey rules (0049) and message templates do: a change made from what an admin read
-- at one version is refused once another admin has changed it, instead of silently replacing their
-- change. A queue keeps its own count. The rules are replaced as a whole list and the channel
-- targets are one form, so each counts once per force, in a row of its own made at its first
-- change: no row is version 1. What was changed before these counts began is in the force's log.

alter table queues add column version int not null default 1 check (version >= 1);

create table routing_list_versions (
  force_id uuid not null references forces(id),
  list text not null check (list in ('queue_rules', 'channel_sla_targets')),
  version int not null check (version >= 1),
  primary key (force_id, list)
);

select bluelamp_enable_tenancy('routing_list_versions');
grant select, insert, update on routing_list_versions to bluelamp_app;
