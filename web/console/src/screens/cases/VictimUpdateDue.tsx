import type { VictimUpdate } from '../../api/cases.ts';
import { formatDateTime } from '../../format.ts';
import { missedTimescaleText, workingDaysText } from './case-text.ts';

/**
 * When a victim's update is due, on what timescale, and for one missed, which timescale it was
 * missed against: the same words on the case page and the supervisors' list.
 */
export function VictimUpdateDue({ update }: { update: VictimUpdate }) {
  const missedNote = missedTimescaleText(update);
  return (
    <>
      <time dateTime={update.dueAt}>{formatDateTime(update.dueAt)}</time>
      <span className="muted"> · {workingDaysText(update.workingDays)}</span>
      {missedNote && (
        <p className="hint" data-testid="missed-timescale">
          {missedNote}
        </p>
      )}
    </>
  );
}
