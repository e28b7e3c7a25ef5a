-- Every channel an outbox message was written for when it was queued, first choice first, kept as
-- it was: `channel`, `recipient`, `subject`, `body` and `alternatives` move on as the message falls
-- back, so once it has failed on every channel the texts of the earlier ones are gone. Staff who
-- send a failed message again (decision 0058) start it from the person's first channel as they are
-- now, and need each channel's text for that: a journey also writes its message for the channels
-- the victim did not allow then, kept after the others with no recipient (''), never sent unless
-- staff send it again by one of them. Rows queued before this hold what was left of theirs: the
-- channel they are on and those still to try.

alter table outbox add column channels jsonb not null default '[]'::jsonb;

update outbox
  set channels = jsonb_build_array(jsonb_build_object('channel', channel, 'recipient', recipient, 'subject', subject, 'body', body)) || alternatives;
