// Routing of one contact: its queue, who holds it, what it needs of them, its SLA clocks counting
// down live, its alerts, and the moves open to the person looking (RoutingActions.tsx: take it,
// escalate it, ask for a callback; SupervisorMoves.tsx: take it back, give it to someone).
import type { ContactRouting, SlaClock, StaffUser } from '../api/types.ts';
import { useServerNow } from '../clock.ts';
import { SlaCountdown } from '../components.tsx';
import { formatClock, formatDateTime, humanize } from '../format.ts';
import { skillLabel } from '../labels.ts';
import { hasPermission } from '../permissions.ts';
import { contactHref } from '../router.ts';
import { SLA_STATE_LABELS, liveSlaState } from '../sla.ts';
import { MissedTargetDue, alertKindLabel, alertText } from './Alerts.tsx';
import { CallbackForm, EscalateForm, TakeAction } from './RoutingActions.tsx';
import { SupervisorActions } from './SupervisorMoves.tsx';

function SkillList({ skills }: { skills: string[] }) {
  if (skills.length === 0) return <span className="muted">None</span>;
  return <>{skills.map(skillLabel).join(', ')}</>;
}

interface RoutingPanelProps {
  contactId: string;
  reference: string;
  isOpen: boolean;
  routing: ContactRouting;
  user: StaffUser;
  /**
   * A move succeeded (its mutation refetches what it changed): show `message`, and move focus to it
   * when the control that had focus is gone.
   */
  onChanged: (message: string, moveFocus?: boolean) => void;
}

export function RoutingPanel({ contactId, reference, isOpen, routing, user, onChanged }: RoutingPanelProps) {
  const now = useServerNow(1_000);
  const canWork = hasPermission(user, 'queue:work');
  const canEscalate = hasPermission(user, 'contacts:escalate');
  const canSupervise = hasPermission(user, 'routing:supervise');
  const canCallback = hasPermission(user, 'contacts:reply');
  const assignedToMe = routing.assignedTo?.id === user.id;

  return (
    <section aria-labelledby="h-routing" className="panel routing" data-testid="routing-panel">
      <h2 id="h-routing">Routing</h2>
      {routing.isThreatToLife && (
        <p className="routing__ttl">
          <strong>Possible threat to life.</strong> Put first in its queue; supervisors were alerted.
        </p>
      )}
      <dl className="facts facts--routing">
        <div>
          <dt>Queue</dt>
          <dd data-testid="routing-queue">
            {routing.queue ? (
              <>
                {routing.queue.name}
                {routing.queue.isControlRoom && routing.queue.name.toLowerCase() !== 'control room' && ' (control room)'}
              </>
            ) : (
              <span className="muted">None</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Assigned to</dt>
          <dd data-testid="routing-assigned">
            {routing.assignedTo ? (
              <>
                {routing.assignedTo.name}
                {assignedToMe && ' (you)'}
              </>
            ) : (
              <span className="muted">Nobody yet</span>
            )}
            {routing.assignedAt && (
              <span className="facts__sub">
                since <time dateTime={routing.assignedAt}>{formatDateTime(routing.assignedAt)}</time>
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Entered queue</dt>
          <dd>
            {routing.enqueuedAt ? <time dateTime={routing.enqueuedAt}>{formatDateTime(routing.enqueuedAt)}</time> : <span className="muted">—</span>}
          </dd>
        </div>
        <div>
          <dt>Skills needed</dt>
          <dd>
            <SkillList skills={routing.requiredSkills} />
          </dd>
        </div>
        <div>
          <dt>Skills preferred</dt>
          <dd>
            <SkillList skills={routing.preferredSkills} />
          </dd>
        </div>
      </dl>

      {routing.callback && (
        <p className="callback-of" data-testid="callback-of">
          This is a callback
          {routing.callback.forContactId && routing.callback.forReference ? (
            <>
              {' '}
              for{' '}
              <a href={contactHref(routing.callback.forContactId)} className="ref">
                {routing.callback.forReference}
              </a>
            </>
          ) : null}
          .{routing.callback.number && <> Number to call: <span className="mono">{routing.callback.number}</span>.</>}
        </p>
      )}

      <h3>SLA clocks</h3>
      <SlaClocks clocks={routing.clocks} now={now} />

      {routing.alerts.length > 0 && (
        <>
          <h3>Alerts</h3>
          <ul className="contact-alerts">
            {routing.alerts.map((alert) => (
              <li key={alert.id} className={`contact-alert contact-alert--${alert.kind}`} data-testid="contact-alert" data-kind={alert.kind}>
                <strong>{alertKindLabel(alert.kind)}</strong>: {alertText(alert)} <MissedTargetDue alert={alert} />
                <span className="hint">
                  Raised <time dateTime={alert.raisedAt}>{formatDateTime(alert.raisedAt)}</time>.{' '}
                  {alert.acknowledgedAt ? (
                    <>
                      Acknowledged by {alert.acknowledgedByName ?? 'a supervisor'}{' '}
                      <time dateTime={alert.acknowledgedAt}>{formatDateTime(alert.acknowledgedAt)}</time>
                      {alert.note && <>: {alert.note}</>}
                    </>
                  ) : (
                    <strong>Waiting for a supervisor.</strong>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}

      {isOpen && canWork && !routing.assignedTo && (
        <TakeAction contactId={contactId} onTaken={() => onChanged(`You have taken ${reference}.`, true)} />
      )}
      {isOpen && canEscalate && !routing.queue?.isControlRoom && (
        <EscalateForm contactId={contactId} onEscalated={(queueName) => onChanged(`Escalated to ${queueName}.`, true)} />
      )}
      {canCallback && <CallbackForm contactId={contactId} />}
      {isOpen && canSupervise && (
        <SupervisorActions
          contactId={contactId}
          reference={reference}
          assignedTo={routing.assignedTo}
          onChanged={onChanged}
        />
      )}
    </section>
  );
}

function describeStopped(clock: SlaClock): string {
  const span = formatClock(Math.abs(clock.remainingMs) / 1000);
  switch (clock.state) {
    case 'met':
      return `Met with ${span} to spare`;
    case 'missed':
      return `Missed by ${span}`;
    default:
      // Escalation, a new priority or a return to the queue ended it and started another.
      return clock.stopReason ? `(${humanize(clock.stopReason).toLowerCase()})` : '';
  }
}

function SlaClocks({ clocks, now }: { clocks: SlaClock[]; now: number }) {
  if (clocks.length === 0) return <p className="empty">No SLA clocks.</p>;
  return (
    <ul className="sla-clocks">
      {clocks.map((clock) => {
        const isRunning = clock.stoppedAt === null;
        const state = liveSlaState(clock, now);
        return (
          <li key={clock.id} className={`sla-clock sla-clock--${state}`} data-testid="sla-clock" data-kind={clock.kind} data-state={state}>
            <span className="sla-clock__label">{clock.label}</span>{' '}
            <span className={`status sla-state sla-state--${state}`}>{SLA_STATE_LABELS[state]}</span>{' '}
            {isRunning ? <SlaCountdown clock={clock} now={now} /> : <span>{describeStopped(clock)}</span>}
            <span className="sla-clock__due hint">
              Due <time dateTime={clock.dueAt}>{formatDateTime(clock.dueAt)}</time> (priority {clock.priority})
            </span>
          </li>
        );
      })}
    </ul>
  );
}
