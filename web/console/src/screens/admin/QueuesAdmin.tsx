import { useState, type FormEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import type { QueueTargets, QueueView } from '../../api/types.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { AsItIsNow, ErrorSummary, InlineError, Loading, PageHeading, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { queuesQuery, useMakeDefaultQueue, useUpdateQueue, type SlaTargets } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { ListRefreshedStatus, useListFollowsChanges } from '../../list-follows-changes.tsx';
import { ChannelTargetsSection } from './ChannelTargetsAdmin.tsx';
import { PRIORITIES, QUEUE_BOXES, QUEUE_KINDS as KINDS, queueBoxLabel, queueBoxesOf, queueClashSentence, queueFacts, rebaseQueueChange, type QueueBoxes } from './routing-changes.ts';

/** Saving was refused because someone else changed the queue after the form was opened: what to show. */
type Conflict = { error: UiError; current: QueueView | null };

const boxId = (box: string) => `queue-${box.replace('.', '-')}`;

/** Whole minutes from 1 to 30 days, as the server takes them; else the sentence saying what is wrong. */
function minutesOf(text: string, what: string): number | string {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isInteger(n)) return `${what} must be a whole number of minutes`;
  if (n < 1 || n > 43_200) return `${what} must be between 1 minute and 30 days (43,200 minutes)`;
  return n;
}

/** The force's queues and their SLA targets per priority; an admin changes them for clocks started from now. */
export function QueuesAdminScreen() {
  const queues = useQuery(queuesQuery);
  // Targets changed by another admin show in the table at once; a queue's form open below keeps what it holds.
  const refreshed = useListFollowsChanges({ records: ['queue'], queries: [queuesQuery.queryKey], what: 'The queues' });
  const makeDefault = useMakeDefaultQueue();
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = queues.data?.queues;
  const queue = list?.find((q) => q.id === editing);
  const current = list?.find((q) => q.isDefault);

  /** After a confirmation naming both queues: contacts no rule matches go to `to` from now. */
  function makeDefaultQueue(to: QueueView) {
    if (makeDefault.isPending) return;
    const from = current ? ` instead of ${current.name}` : '';
    if (!window.confirm(`Make ${to.name} the default queue${from}? New contacts that match no queue rule will go to ${to.name}. Contacts already queued stay where they are.`)) return;
    setNotice(null);
    makeDefault.mutate(to.id, {
      onSuccess: () => {
        setNotice(`${to.name} is now the default queue. New contacts that match no queue rule go there.`);
        focusById('queues-notice');
      },
    });
  }
  return (
    <>
      <PageHeading title="Queues and SLA targets">Queues and SLA targets</PageHeading>
      <AdminNav current="queues" />
      <p>Targets are in minutes, per priority (1 is most urgent). A change applies to clocks started from now.</p>
      <p>New contacts that match no queue rule go to the default queue. The control room&apos;s queue cannot be the default.</p>
      <StatusMessage message={notice} id="queues-notice" />
      <ListRefreshedStatus refreshed={refreshed} testId="queues-refreshed" />
      <ErrorSummary error={toUiError(queues.error)} focus={false} />
      <ErrorSummary error={toUiError(makeDefault.error)} />
      {!list && queues.isPending && <Loading what="queues" />}
      {list && (
        <div className="table-wrap">
          <table className="table" data-testid="queues-table">
            <caption className="visually-hidden">Queues with their first-response target for each priority</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                {PRIORITIES.map((p) => (
                  <th scope="col" key={p} className="num">
                    P{p} first response
                  </th>
                ))}
                <th scope="col" className="num">
                  Warn at
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((q) => (
                <tr key={q.id} data-testid="queue-admin-row" data-queue-key={q.key}>
                  <th scope="row">
                    {q.name}
                    {q.isDefault && (
                      <>
                        {' '}
                        <span className="status status--done" data-testid="queue-default">
                          Default queue
                        </span>
                      </>
                    )}
                  </th>
                  {PRIORITIES.map((p) => (
                    <td key={p} className="num" data-testid={`queue-p${p}-first`}>
                      {q.sla[p].firstResponseMinutes} min
                    </td>
                  ))}
                  <td className="num">{q.warnAtPercent}%</td>
                  <td>
                    <button
                      type="button"
                      className="button button--small button--secondary"
                      data-testid="queue-edit"
                      onClick={() => {
                        setEditing(q.id);
                        setNotice(null);
                        window.setTimeout(() => focusById('h-queue-edit'), 0);
                      }}
                    >
                      Change targets<span className="visually-hidden"> of {q.name}</span>
                    </button>
                    {!q.isDefault && !q.isControlRoom && (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          data-testid="queue-make-default"
                          aria-disabled={makeDefault.isPending}
                          onClick={() => makeDefaultQueue(q)}
                        >
                          Make this the default queue<span className="visually-hidden">: {q.name}</span>
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {queue && (
        <QueueForm
          key={queue.id}
          queue={queue}
          onSaved={(name) => {
            setEditing(null);
            setNotice(`Targets of ${name} saved. New clocks use them.`);
            focusById('queues-notice');
          }}
        />
      )}
      <ChannelTargetsSection />
    </>
  );
}

/**
 * A queue's targets and warning point. A change is made from the version the form was opened at;
 * if someone else changed the queue meanwhile, the form says so, shows the queue as it is now,
 * keeps what this admin entered (taking the other's value for each box this admin left alone) and
 * saves only when the admin saves again (decision 0084).
 */
function QueueForm({ queue, onSaved }: { queue: QueueView; onSaved: (name: string) => void }) {
  const update = useUpdateQueue();
  const queryClient = useQueryClient();
  // The queue as the change is made from: as opened, then as it was when a conflict was shown.
  const [opened, setOpened] = useState(queue);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [boxes, setBoxes] = useState<QueueBoxes>(() => queueBoxesOf(queue));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  // A refusal for a queue changed meanwhile is shown as the conflict, once the queue as it is now is read.
  const error = invalid ?? conflict?.error ?? (isChangedSinceRead(update.error) ? null : toUiError(update.error));
  const fieldIds = Object.fromEntries(QUEUE_BOXES.map((box) => [box, boxId(box)]));
  const changedElsewhere = useChangedElsewhere({ record: 'queue', id: queue.id, version: opened.version, isSaving: update.isPending, readVersion: async () => (await readCurrent())?.version ?? null });

  /** The queue as it is now, read again (null: gone, or not readable). */
  async function readCurrent() {
    const fresh = await queryClient.fetchQuery({ ...queuesQuery, staleTime: 0 }).catch(() => null);
    return fresh?.queues.find((q) => q.id === queue.id) ?? null;
  }

  /** Someone else changed the queue: read it as it is now and put this admin's change over it in the form, unsaved. */
  async function showConflict(from: QueueView, wanted: QueueBoxes, message: string) {
    const current = await readCurrent();
    update.reset();
    if (!current) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const { form, clashes } = rebaseQueueChange(from, wanted, current);
    setBoxes(form);
    setOpened(current);
    setConflict({ error: { message, fields: clashes.map((clash) => ({ path: clash.field, message: queueClashSentence(clash) })) }, current });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    const problems: string[] = [];
    const sla: Partial<SlaTargets> = {};
    for (const p of PRIORITIES) {
      const targets: Partial<QueueTargets> = {};
      for (const kind of KINDS) {
        const value = minutesOf(boxes[`${p}.${kind.key}`], queueBoxLabel(`${p}.${kind.key}`));
        if (typeof value === 'string') problems.push(value);
        else targets[kind.key] = value;
      }
      const { firstResponseMinutes, nextResponseMinutes, resolutionMinutes } = targets;
      if (firstResponseMinutes && nextResponseMinutes && resolutionMinutes) sla[p] = { firstResponseMinutes, nextResponseMinutes, resolutionMinutes };
    }
    const warn = Number(boxes.warnAtPercent.trim());
    if (!Number.isInteger(warn) || warn < 1 || warn > 99) problems.push('Warn at must be a whole percentage from 1 to 99');
    const [s1, s2, s3, s4] = [sla['1'], sla['2'], sla['3'], sla['4']];
    if (problems.length > 0 || !s1 || !s2 || !s3 || !s4) {
      setInvalid({ message: '', fields: problems.map((message) => ({ path: '', message })) });
      return;
    }
    setInvalid(null);
    setConflict(null);
    const from = opened;
    const wanted = boxes;
    // From the version this form shows: a change someone else made since is refused rather than silently replaced.
    update.mutate(
      { queueId: from.id, sla: { '1': s1, '2': s2, '3': s3, '4': s4 }, warnAtPercent: warn, version: from.version },
      {
        onSuccess: () => onSaved(from.name),
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(from, wanted, refusal.message);
        },
      },
    );
  }

  const warnError = fieldMessage(error, 'warnAtPercent');
  return (
    <section className="panel" aria-labelledby="h-queue-edit" data-testid="queue-form">
      <h2 id="h-queue-edit" tabIndex={-1}>
        Targets of {queue.name}
      </h2>
      <form onSubmit={submit} noValidate className="form">
        <ErrorSummary error={error} fieldIds={fieldIds} />
        <ChangedElsewhereNotice changed={changedElsewhere} what="This queue" onShowNow={(sentence) => void showConflict(opened, boxes, sentence)} />
        {conflict?.current && <AsItIsNow heading="The queue as it is now" facts={queueFacts(conflict.current)} testId="queue-now" />}
        <table className="table">
          <caption className="visually-hidden">Targets in minutes by priority</caption>
          <thead>
            <tr>
              <th scope="col">Priority</th>
              {KINDS.map((k) => (
                <th scope="col" key={k.key}>
                  {k.label} (minutes)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {PRIORITIES.map((p) => (
              <tr key={p}>
                <th scope="row">Priority {p}</th>
                {KINDS.map((k) => {
                  const box = `${p}.${k.key}` as const;
                  const message = fieldMessage(error, box);
                  return (
                    <td key={k.key}>
                      <label htmlFor={boxId(box)} className="visually-hidden">
                        {k.label} for priority {p}, in minutes
                      </label>
                      <InlineError id={`${boxId(box)}-error`} message={message} />
                      <input
                        id={boxId(box)}
                        className="input--narrow"
                        type="text"
                        inputMode="numeric"
                        value={boxes[box]}
                        aria-invalid={message ? true : undefined}
                        aria-describedby={message ? `${boxId(box)}-error` : undefined}
                        onChange={(e) => setBoxes({ ...boxes, [box]: e.target.value })}
                      />
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        <div className={`field${warnError ? ' field--error' : ''}`}>
          <label htmlFor={boxId('warnAtPercent')}>Warn at (percentage of the target used)</label>
          <InlineError id={`${boxId('warnAtPercent')}-error`} message={warnError} />
          <input
            id={boxId('warnAtPercent')}
            className="input--narrow"
            type="text"
            inputMode="numeric"
            value={boxes.warnAtPercent}
            aria-invalid={warnError ? true : undefined}
            aria-describedby={warnError ? `${boxId('warnAtPercent')}-error` : undefined}
            onChange={(e) => setBoxes({ ...boxes, warnAtPercent: e.target.value })}
          />
        </div>
        <button type="submit" className="button" data-testid="queue-save" aria-disabled={update.isPending}>
          {conflict ? 'Save my change again' : 'Save targets'}
        </button>
      </form>
    </section>
  );
}
