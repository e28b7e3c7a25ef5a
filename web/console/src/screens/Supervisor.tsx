// The supervisor's board: every queue (waiting, held, threats to life, oldest wait, SLA states),
// every person who works the queue (presence, skills, load against capacity, what they hold), and
// the contacts nobody holds yet, with the moves a supervisor makes: set someone's presence, take a
// contact back, give a waiting contact to someone. Live, and refetched every 15 s besides.
import { useState } from 'react';
import { getRoutingBoard, setStaffPresence, takeBackContact, toUiError, type UiError } from '../api';
import { ErrorSummary, Loading, PageHeading, PriorityBadge, SlaCountdown, StatusMessage, ThreatToLifeBadge, focusById } from '../components';
import { channelLabel, formatClock, formatDateTime, humanize } from '../format';
import { useCoalesced, useInterval, useResource, useServerNow } from '../hooks';
import { useLiveEvent } from '../live';
import { contactHref } from '../router';
import { CAPACITY_CLASSES, PRIORITY_LABELS, presenceLabel, type BoardContact, type BoardQueue, type BoardStaff, type Presence } from '../types';
import { PresenceSelect } from './Presence';
import { AssignForm, skillLabel } from './RoutingPanel';

export const BOARD_REFRESH_MS = 15_000;

function Elapsed({ since, now }: { since: string | null; now: number }) {
  if (!since) return <span className="muted">—</span>;
  return (
    <time dateTime={since} title={`Since ${formatDateTime(since)}`}>
      {formatClock((now - new Date(since).getTime()) / 1000)}
    </time>
  );
}

function ContactSla({ contact, now }: { contact: BoardContact; now: number }) {
  if (!contact.nextDueAt || !contact.slaState) return <span className="muted">None</span>;
  return <SlaCountdown clock={{ state: contact.slaState, dueAt: contact.nextDueAt }} now={now} />;
}

export function SupervisorScreen() {
  const board = useResource((signal) => getRoutingBoard(signal), []);
  const now = useServerNow(1_000);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<UiError | null>(null);
  const reloadSoon = useCoalesced(board.reload, 300);

  useLiveEvent((event) => {
    if (
      event.type === 'routing.changed' ||
      event.type === 'queue.changed' ||
      event.type === 'alert.raised' ||
      event.type === 'alert.acknowledged' ||
      event.type === 'resync'
    ) {
      reloadSoon();
    }
  });
  // Ages, staleness and clocks move without any event.
  useInterval(board.reload, BOARD_REFRESH_MS);

  /** A move succeeded: say so, and put focus on the message when the control that had it is gone. */
  function done(message: string, moveFocus: boolean) {
    setNotice(message);
    setActionError(null);
    board.reload();
    if (moveFocus) focusById('supervisor-notice');
  }

  function refused(err: unknown) {
    setActionError(toUiError(err));
    board.reload();
  }

  const data = board.data;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Supervisor">Supervisor</PageHeading>
        <p className="page-header__meta">
          {data ? (
            <>
              Updated <time dateTime={data.at}>{formatDateTime(data.at)}</time>
            </>
          ) : (
            ''
          )}
          {board.loading && data ? ' · refreshing…' : ''}
        </p>
        <button type="button" className="button button--secondary" onClick={board.reload}>
          Refresh
        </button>
      </div>
      <StatusMessage message={notice} id="supervisor-notice" />
      <ErrorSummary error={actionError} />
      <ErrorSummary error={board.error} focus={false} />
      {!data && board.loading && <Loading what="board" />}
      {data && (
        <>
          <QueuesTable queues={data.queues} now={now} />
          <StaffTable
            staff={data.staff}
            now={now}
            onPresence={async (person, presence) => {
              try {
                const result = await setStaffPresence(person.id, presence);
                const returned = result.returnedContacts > 0 ? ` ${result.returnedContacts} of their contacts went back to the queue.` : '';
                done(`${person.name} is now ${presenceLabel(result.presence)}.${returned}`, false);
                return true;
              } catch (err) {
                refused(err);
                return false;
              }
            }}
            onTakeBack={async (person, contact) => {
              try {
                await takeBackContact(contact.id);
                done(`${contact.reference} taken back from ${person.name}; it is waiting in ${contact.queueName ?? 'its queue'}.`, true);
              } catch (err) {
                refused(err);
              }
            }}
          />
          <WaitingTable
            waiting={data.waiting}
            staff={data.staff}
            now={now}
            onAssigned={(contact, name) => done(`${contact.reference} given to ${name}.`, true)}
            onRefused={board.reload}
          />
        </>
      )}
    </>
  );
}

function QueuesTable({ queues, now }: { queues: BoardQueue[]; now: number }) {
  return (
    <section aria-labelledby="h-queues" className="board-section">
      <h2 id="h-queues">Queues</h2>
      {queues.length === 0 ? (
        <p className="empty">This force has no queues.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="board-queues">
            <caption className="visually-hidden">Queues: contacts waiting and held, threats to life waiting, oldest wait and SLA clocks</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" className="num">
                  Waiting
                </th>
                <th scope="col" className="num">
                  Assigned
                </th>
                <th scope="col" className="num">
                  Threat to life waiting
                </th>
                <th scope="col" className="num">
                  Oldest wait
                </th>
                <th scope="col" className="num">
                  SLA running
                </th>
                <th scope="col" className="num">
                  SLA warning
                </th>
                <th scope="col" className="num">
                  SLA breached
                </th>
              </tr>
            </thead>
            <tbody>
              {queues.map((queue) => (
                <tr key={queue.id} data-testid="board-queue" data-queue-key={queue.key}>
                  <th scope="row">
                    {queue.name}
                    {queue.requiredSkills.length > 0 && <span className="cell-sub">Needs {queue.requiredSkills.map(skillLabel).join(', ')}</span>}
                  </th>
                  <td className="num">{queue.waiting}</td>
                  <td className="num">{queue.assigned}</td>
                  <td className={`num${queue.threatToLifeWaiting > 0 ? ' cell--alarm' : ''}`}>{queue.threatToLifeWaiting}</td>
                  <td className="num">
                    <Elapsed since={queue.oldestWaitingSince} now={now} />
                  </td>
                  <td className="num">{queue.sla.running}</td>
                  <td className={`num${queue.sla.warning > 0 ? ' cell--warn' : ''}`}>{queue.sla.warning}</td>
                  <td className={`num${queue.sla.breached > 0 ? ' cell--alarm' : ''}`}>{queue.sla.breached}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function LoadList({ person }: { person: BoardStaff }) {
  const classes = CAPACITY_CLASSES.filter((cls) => (person.capacity[cls] ?? 0) > 0 || (person.load[cls] ?? 0) > 0);
  if (classes.length === 0) return <span className="muted">No capacity</span>;
  return (
    <ul className="load-list">
      {classes.map((cls) => {
        const load = person.load[cls] ?? 0;
        const capacity = person.capacity[cls] ?? 0;
        const isFull = load >= capacity;
        return (
          <li key={cls} className={isFull && load > 0 ? 'load--full' : undefined}>
            {cls} {load}/{capacity}
            {isFull && load > 0 && <span className="visually-hidden"> (full)</span>}
          </li>
        );
      })}
    </ul>
  );
}

interface StaffTableProps {
  staff: BoardStaff[];
  now: number;
  /** Resolves false when the change was refused. */
  onPresence: (person: BoardStaff, presence: Presence) => Promise<boolean>;
  onTakeBack: (person: BoardStaff, contact: BoardContact) => Promise<void>;
}

function StaffTable({ staff, now, onPresence, onTakeBack }: StaffTableProps) {
  const [busy, setBusy] = useState<string | null>(null);

  async function takeBack(person: BoardStaff, contact: BoardContact) {
    if (busy) return;
    setBusy(contact.id);
    try {
      await onTakeBack(person, contact);
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="h-staff" className="board-section">
      <h2 id="h-staff">Staff</h2>
      {staff.length === 0 ? (
        <p className="empty">Nobody in this force works the queue.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="board-staff">
            <caption className="visually-hidden">Staff who work the queue: presence, skills, load against capacity and the contacts they hold</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Presence</th>
                <th scope="col">Skills</th>
                <th scope="col">Load</th>
                <th scope="col">Holding</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((person) => {
                const presenceId = `presence-${person.id}`;
                return (
                  <tr key={person.id} data-testid="board-person" data-staff-id={person.id} data-presence={person.presence}>
                    <th scope="row">{person.name}</th>
                    <td>{humanize(person.role)}</td>
                    <td className="nowrap">
                      <label htmlFor={presenceId} className="visually-hidden">
                        Presence of {person.name}
                      </label>
                      <PresenceSelect
                        id={presenceId}
                        className="select--narrow"
                        value={person.presence}
                        onCommit={(presence) => onPresence(person, presence)}
                        describedBy={person.isStale ? `${presenceId}-stale` : undefined}
                      />
                      {person.isStale && (
                        <span id={`${presenceId}-stale`} className="stale" data-testid="presence-stale">
                          unseen
                          <span className="visually-hidden">: the console has not been heard from lately, so no work is given</span>
                        </span>
                      )}
                      {person.presenceSince && (
                        <span className="cell-sub">
                          for <Elapsed since={person.presenceSince} now={now} />
                        </span>
                      )}
                    </td>
                    <td>{person.skills.length > 0 ? person.skills.map(skillLabel).join(', ') : <span className="muted">None</span>}</td>
                    <td>
                      <LoadList person={person} />
                    </td>
                    <td>
                      {person.contacts.length === 0 ? (
                        <span className="muted">Nothing</span>
                      ) : (
                        <ul className="held-list">
                          {person.contacts.map((contact) => (
                            <li key={contact.id} data-testid="held-contact" data-reference={contact.reference}>
                              <a href={contactHref(contact.id)} className="ref">
                                {contact.reference}
                              </a>
                              {contact.isThreatToLife && (
                                <>
                                  {' '}
                                  <ThreatToLifeBadge />
                                </>
                              )}{' '}
                              <ContactSla contact={contact} now={now} />{' '}
                              <button
                                type="button"
                                className="button button--small button--secondary"
                                data-testid="board-take-back"
                                aria-disabled={busy !== null}
                                onClick={() => void takeBack(person, contact)}
                              >
                                {busy === contact.id ? 'Taking back…' : 'Take back'}
                                <span className="visually-hidden">
                                  {' '}
                                  {contact.reference} from {person.name}
                                </span>
                              </button>
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface WaitingTableProps {
  waiting: BoardContact[];
  staff: BoardStaff[];
  now: number;
  onAssigned: (contact: BoardContact, name: string) => void;
  onRefused: () => void;
}

function WaitingTable({ waiting, staff, now, onAssigned, onRefused }: WaitingTableProps) {
  return (
    <section aria-labelledby="h-waiting" className="board-section">
      <h2 id="h-waiting">Waiting for someone ({waiting.length})</h2>
      {waiting.length === 0 ? (
        <p className="empty">Every contact in a queue is with someone.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact" data-testid="board-waiting">
            <caption className="visually-hidden">Contacts nobody holds yet, threat to life first, then most urgent, then longest waiting</caption>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Priority</th>
                <th scope="col">Channel</th>
                <th scope="col">Queue</th>
                <th scope="col" className="num">
                  Waiting
                </th>
                <th scope="col">SLA</th>
                <th scope="col">Assign to</th>
              </tr>
            </thead>
            <tbody>
              {waiting.map((contact) => (
                <tr
                  key={contact.id}
                  data-testid="board-waiting-row"
                  data-reference={contact.reference}
                  className={contact.isThreatToLife ? 'queue-row--ttl' : undefined}
                >
                  <th scope="row">
                    <a href={contactHref(contact.id)} className="ref">
                      {contact.reference}
                    </a>
                  </th>
                  <td>
                    <PriorityBadge priority={contact.priority} label={PRIORITY_LABELS[contact.priority] ?? `Priority ${contact.priority}`} />
                    {contact.isThreatToLife && (
                      <>
                        {' '}
                        <ThreatToLifeBadge />
                      </>
                    )}
                  </td>
                  <td>{channelLabel(contact.channel)}</td>
                  <td>{contact.queueName ?? <span className="muted">None</span>}</td>
                  <td className="num">
                    <Elapsed since={contact.enqueuedAt} now={now} />
                  </td>
                  <td className="nowrap">
                    <ContactSla contact={contact} now={now} />
                  </td>
                  <td>
                    <AssignForm
                      idPrefix="board-assign"
                      contactId={contact.id}
                      reference={contact.reference}
                      staff={staff}
                      currentHolderId={null}
                      compact
                      onAssigned={(name) => onAssigned(contact, name)}
                      onRefused={onRefused}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
