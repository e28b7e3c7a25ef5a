// The supervisor's board below the queues: each person who works the queue (presence, skills, load
// against capacity, what they hold) and the contacts nobody holds yet.
import { useState } from 'react';
import type { BoardContact, BoardStaff, Presence } from '../api/types.ts';
import { PriorityBadge, SlaCountdown, ThreatToLifeBadge } from '../components.tsx';
import { channelLabel, formatClock, formatDateTime, humanize } from '../format.ts';
import { CAPACITY_CLASSES, priorityLabel, skillLabel } from '../labels.ts';
import { contactHref } from '../router.ts';
import { PresenceSelect } from './Presence.tsx';
import { AssignForm } from './SupervisorMoves.tsx';

export function Elapsed({ since, now }: { since: string | null; now: number }) {
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

export function StaffTable({ staff, now, onPresence, onTakeBack }: StaffTableProps) {
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
  /** How many wait in all (the queues' counts): the list holds only the most urgent. */
  total: number;
  staff: BoardStaff[];
  now: number;
  onAssigned: (contact: BoardContact, name: string) => void;
}

export function WaitingTable({ waiting, total, staff, now, onAssigned }: WaitingTableProps) {
  return (
    <section aria-labelledby="h-waiting" className="board-section">
      <h2 id="h-waiting">Waiting for someone ({Math.max(total, waiting.length)})</h2>
      {waiting.length < total && (
        <p className="notice" data-testid="board-waiting-more">
          Showing the {waiting.length} most urgent of {total}. <a href="#/contacts">Find contacts</a> to see every one.
        </p>
      )}
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
                    <PriorityBadge priority={contact.priority} label={priorityLabel(contact.priority)} />
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
