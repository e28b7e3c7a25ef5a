-- The order of a force's journey rules counts its changes (decision 0090), as its queue rules and
-- channel response targets do (0084): a new order made from the order an admin read is refused once
-- another admin has changed it. Each is a list a force changes as a whole, with one count per force
-- kept the same way, so the table 0051 made for the routing lists keeps every such count and is
-- named for what it holds. No row is version 1, as before.

alter table routing_list_versions rename to list_versions;
alter table list_versions rename constraint routing_list_versions_pkey to list_versions_pkey;
alter table list_versions drop constraint routing_list_versions_list_check;
alter table list_versions add constraint list_versions_list_check check (list in ('queue_rules', 'channel_sla_targets', 'journey_rule_order'));
