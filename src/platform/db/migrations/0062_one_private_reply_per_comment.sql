-- Meta takes one private reply per comment (decision 0109). An operator's private reply names the
-- comment it answers; the database holds the one: at most one reply per comment that is on its way
-- or that Meta took. A failed one (refused before or by Meta) leaves the index, so the comment may
-- be answered privately again; two operators sending at once cannot both get in.
alter table messages add column private_reply_to text;
create unique index messages_one_private_reply_per_comment
  on messages (force_id, private_reply_to)
  where private_reply_to is not null and delivery_status is distinct from 'failed';
