-- A delivery run takes each message it is about to hand to a provider (decision 0163): it counts
-- the message's send token up by one and notes its job, committed before the send. Every outcome
-- the run records is conditional on the token still being the one it took, so a run whose lease
-- ran out, waking after another took its job over, cannot write over the newer run's outcome. A
-- message still pending with a job noted is one whose send may have reached the provider: the run
-- that finds it so decides by the message's kind and the provider whether to send it again.
alter table outbox add column send_token integer not null default 0;
alter table outbox add column sending_job_id uuid;
alter table outbox add column sending_at timestamptz;
