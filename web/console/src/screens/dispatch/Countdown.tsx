import { formatDateTime } from '../../format.ts';
import { readCountdown, type IncidentClock } from './countdown.ts';

const ICONS = { ok: null, warning: '▲', breached: '■' } as const;

/**
 * An incident's live countdown ("Deploy in 2:41", "Arrive overdue 1:05"): amber past the warning
 * point, red past due, with an icon and words as well as colour. `now` is the server's time
 * (useServerNow). Screen readers get the full sentence once; the ticking figures are hidden from
 * them so a live region elsewhere is not flooded every second.
 */
export function Countdown({ clock, now, testId = 'countdown' }: { clock: IncidentClock; now: number; testId?: string }) {
  const reading = readCountdown(clock, now);
  const icon = ICONS[reading.state];
  return (
    <span
      className={`countdown countdown--${reading.state}`}
      data-testid={testId}
      data-state={reading.state}
      data-kind={clock.kind}
      title={`${clock.kind === 'deploy' ? 'Deploy' : 'Arrive'} by ${formatDateTime(clock.dueAt)}`}
    >
      {icon && (
        <span className="countdown__icon" aria-hidden="true">
          {icon}
        </span>
      )}
      <span aria-hidden="true">{reading.text}</span>
      <span className="visually-hidden">{reading.spoken}</span>
    </span>
  );
}
