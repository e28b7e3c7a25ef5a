// The supervisor's board: every queue (waiting, held, threats to life, oldest wait, SLA states),
// every person who works the queue and the contacts nobody holds yet (BoardTables.tsx), with the
// moves a supervisor makes: set someone's presence, take a contact back, give a waiting contact to
// someone. Live messages refetch it (api/live-sync.ts), and it is refetched every 15 s besides.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSetStaffPresence } from '../api/admin-mutations.ts';
import { useTakeBackContact } from '../api/contact-mutations.ts';
import { toUiError } from '../api/errors.ts';
import { routingBoardQuery } from '../api/queries.ts';
import type { BoardQueue } from '../api/types.ts';
import { useServerNow } from '../clock.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../components.tsx';
import { formatDateTime } from '../format.ts';
import { PRESENCE_LABELS, skillLabel } from '../labels.ts';
import { Elapsed, StaffTable, WaitingTable } from './BoardTables.tsx';

export const BOARD_REFRESH_MS = 15_000;

export function SupervisorScreen() {
  // Ages, staleness and clocks move without any event.
  const board = useQuery({ ...routingBoardQuery, refetchInterval: BOARD_REFRESH_MS });
  const setPresence = useSetStaffPresence();
  const takeBack = useTakeBackContact();
  const now = useServerNow(1_000);
  const [notice, setNotice] = useState<string | null>(null);
  // The last move's refusal; a later move, or a success, replaces it.
  const [refusal, setRefusal] = useState<unknown>(null);

  /** A move succeeded: say so, and put focus on the message when the control that had it is gone. */
  function done(message: string, moveFocus: boolean) {
    setNotice(message);
    setRefusal(null);
    if (moveFocus) focusById('supervisor-notice');
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
          {board.isFetching && data ? ' · refreshing…' : ''}
        </p>
        <button type="button" className="button button--secondary" onClick={() => void board.refetch()}>
          Refresh
        </button>
      </div>
      <StatusMessage message={notice} id="supervisor-notice" />
      <ErrorSummary error={toUiError(refusal)} />
      <ErrorSummary error={toUiError(board.error)} focus={false} />
      {!data && board.isPending && <Loading what="board" />}
      {data && (
        <>
          <QueuesTable queues={data.queues} now={now} />
          <StaffTable
            staff={data.staff}
            now={now}
            onPresence={(person, presence) =>
              setPresence.mutateAsync({ staffId: person.id, presence }).then(
                (result) => {
                  const returned = result.returnedContacts > 0 ? ` ${result.returnedContacts} of their contacts went back to the queue.` : '';
                  done(`${person.name} is now ${PRESENCE_LABELS[result.presence]}.${returned}`, false);
                  return true;
                },
                (err: unknown) => {
                  setRefusal(err);
                  return false;
                },
              )
            }
            onTakeBack={(person, contact) =>
              takeBack.mutateAsync({ contactId: contact.id }).then(
                () => done(`${contact.reference} taken back from ${person.name}; it is waiting in ${contact.queueName ?? 'its queue'}.`, true),
                (err: unknown) => setRefusal(err),
              )
            }
          />
          <WaitingTable waiting={data.waiting} total={data.queues.reduce((sum, queue) => sum + queue.waiting, 0)} staff={data.staff} now={now} onAssigned={(contact, name) => done(`${contact.reference} given to ${name}.`, true)} />
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
