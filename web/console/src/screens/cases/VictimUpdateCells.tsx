// The cells of a Victims' Code update the case page and the supervisors' list both show, in the same words.
import type { VictimUpdate } from '../../api/cases.ts';
import { formatDateTime } from '../../format.ts';
import { VICTIM_DUTY_LABELS, countedFromText, missedTimescaleText, workingDaysText } from './case-text.ts';

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

/**
 * Which update it is and the milestone it follows ("Arrest · 06 Dec 2026, 10:00"), and for a victim
 * added later, that its timescale counts from their addition.
 */
export function VictimUpdateDuty({ update }: { update: VictimUpdate }) {
  const countedFrom = countedFromText(update, formatDateTime);
  return (
    <>
      {VICTIM_DUTY_LABELS[update.duty]}
      <span className="muted">
        {' '}
        · <time dateTime={update.milestoneAt}>{formatDateTime(update.milestoneAt)}</time>
      </span>
      {countedFrom && (
        <p className="hint" data-testid="counted-from">
          Due {countedFrom}.
        </p>
      )}
    </>
  );
}

/** " (enhanced rights)" after the victim's name, by their rights now (or those it was owed on, with none named). */
export function EnhancedRightsTag({ update }: { update: VictimUpdate }) {
  return (update.victimEnhancedRights ?? update.enhancedRights) ? <span className="muted"> (enhanced rights)</span> : null;
}
