-- A force has at most one default queue, the one new contacts no rule matches go to (decision
-- 0091). Until now only the lock taken when an admin chooses one held it to that; a second default
-- written by other means (a script, an import, by hand) left routing to take the first in display
-- order. A force found with several keeps one, and the others stop being defaults:
--   1. the queue an admin chose last (the latest queue.default_changed event), if it is still one
--      of them: the force's own stated choice;
--   2. else the one routing sent those contacts to, the first in display order, passing over the
--      control room's queue, which may not be the default (public contacts would wait among 999
--      calls), then the oldest, then by id so the choice is the same on every run.
-- A force with none is given none: routing then uses its last queue, as it always has, and an
-- admin can choose one. Queue versions are not counted, as for any change of default (0091).
with crowded as (
  select force_id from queues where is_default group by force_id having count(*) > 1
),
last_chosen as (
  select distinct on (e.force_id) e.force_id, e.data->>'toQueueId' as queue_id
  from events as e
  where e.force_id in (select force_id from crowded) and e.type = 'queue.default_changed'
  order by e.force_id, e.seq desc
),
kept as (
  select distinct on (q.force_id) q.force_id, q.id
  from queues as q
  left join last_chosen as c on c.force_id = q.force_id and c.queue_id = q.id::text
  where q.is_default and q.force_id in (select force_id from crowded)
  order by q.force_id, (c.queue_id is null), q.is_control_room, q.position, q.created_at, q.id
)
update queues as q set is_default = false
where q.is_default
  and q.force_id in (select force_id from crowded)
  and q.id not in (select id from kept);

create unique index queues_one_default_per_force on queues (force_id) where is_default;
