import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.ts';
import { payloadText, type JobHandler } from '../../platform/jobs/jobs.ts';
import { record } from '../../platform/events/recorder.ts';
import { journeyMessageReachedAfterAll } from './journey.events.ts';

// A message to a case failed because whether it went was unknown (decision 0163) is failed, not
// sent again, and what follows a failure follows: staff read it among the failed messages, and a
// victim added again is decided again (decision 0152). When its provider says it reached the
// person after all, the outbox records it and the row stays failed (decision 0173); this job, its
// follow-up, tells the case, so that whoever acted in its place knows the person may have it twice.

/** The channels as staff say them in the note. */
const CHANNEL_WORDS: Record<string, string> = { sms: 'text', email: 'email', portal: 'portal message', letter: 'letter' };

/** A time as staff read it in a note: 6 May 2026 at 09:05 UTC. */
function asStaffTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  const date = time.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const clock = time.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });
  return `${date} at ${clock} UTC`;
}

/** What staff read on the case of a message thought lost that reached the person after all. */
export function reachedAfterAllNote(channel: string, deliveredAt: string): string {
  const what = CHANNEL_WORDS[channel] ?? `${channel} message`;
  return (
    `A ${what} thought lost reached the person after all on ${asStaffTime(deliveredAt)}, as its provider reports. ` +
    'Its outcome was unknown, so it was marked failed and not sent again: if it was sent again since, by staff or by another message decided for them, or they were phoned about it, they may have two copies.'
  );
}

/** The job of a message thought lost that reached its person after all (`REACHED_AFTER_ALL_JOB`, outbox room): one note on its case. */
export function createReachedAfterAllHandler(deps: { clock: Clock }): JobHandler {
  return async ({ job, inForce }) => {
    const outboxId = payloadText(job, 'outboxId');
    const caseId = payloadText(job, 'caseId');
    const channel = payloadText(job, 'channel');
    const deliveredAt = payloadText(job, 'deliveredAt');
    const purpose = payloadText(job, 'purpose');
    await inForce(async (tx) => {
      // Run again after its note committed (a crash before the job was marked done): one note.
      const noted = await tx
        .selectFrom('events')
        .select('id')
        .where('force_id', '=', job.forceId)
        .where('subject_type', '=', 'case')
        .where('subject_id', '=', caseId)
        .where('type', '=', journeyMessageReachedAfterAll.type)
        .where(sql<boolean>`data->>'outboxId' = ${outboxId}`)
        .executeTakeFirst();
      if (noted) return;
      const data = { outboxId, channel, purpose, deliveredAt, note: reachedAfterAllNote(channel, deliveredAt) };
      record(tx, job.forceId, deps.clock, journeyMessageReachedAfterAll.of({ actor: { type: 'system', id: null }, subjectId: caseId, data }));
    });
  };
}
