-- A journey message is what its rule was when it was queued: a force admin may change a rule later
-- (its milestone, what its delay counts from, the delay), and messages it already queued are not
-- rewritten. Whether a queued message is a reminder of a time, or another message telling of one,
-- is read from what its rule was then, kept beside the decision (decision 0130).
-- Decisions recorded before this take their rule as it stands now, the best there is: rules are
-- never deleted.
alter table journey_sends add column rule_milestone text;
alter table journey_sends add column rule_delay_from text check (rule_delay_from in ('milestone','at'));
alter table journey_sends add column rule_delay_minutes integer;
update journey_sends s
  set rule_milestone = r.milestone, rule_delay_from = r.delay_from, rule_delay_minutes = r.delay_minutes
  from journey_rules r
  where r.force_id = s.force_id and r.id = s.rule_id;
alter table journey_sends add constraint journey_sends_rule_whole
  check (num_nulls(rule_milestone, rule_delay_from, rule_delay_minutes) in (0, 3));
