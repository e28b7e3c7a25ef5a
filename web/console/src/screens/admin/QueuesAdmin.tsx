import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { QueueTargets, QueueView } from '../../api/types.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { queuesQuery, useUpdateQueue, type SlaTargets } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { ChannelTargetsSection } from './ChannelTargetsAdmin.tsx';

const PRIORITIES = ['1', '2', '3', '4'] as const;
const KINDS: ReadonlyArray<{ key: keyof QueueTargets; label: string }> = [
  { key: 'firstResponseMinutes', label: 'First response' },
  { key: 'nextResponseMinutes', label: 'Next response' },
  { key: 'resolutionMinutes', label: 'Resolution' },
];

type Draft = Record<(typeof PRIORITIES)[number], Record<keyof QueueTargets, string>>;

function draftOf(queue: QueueView): Draft {
  const row = (p: (typeof PRIORITIES)[number]) => ({
    firstResponseMinutes: String(queue.sla[p].firstResponseMinutes),
    nextResponseMinutes: String(queue.sla[p].nextResponseMinutes),
    resolutionMinutes: String(queue.sla[p].resolutionMinutes),
  });
  return { '1': row('1'), '2': row('2'), '3': row('3'), '4': row('4') };
}

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
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = queues.data?.queues;
  const queue = list?.find((q) => q.id === editing);
  return (
    <>
      <PageHeading title="Queues and SLA targets">Queues and SLA targets</PageHeading>
      <AdminNav current="queues" />
      <p>Targets are in minutes, per priority (1 is most urgent). A change applies to clocks started from now.</p>
      <StatusMessage message={notice} id="queues-notice" />
      <ErrorSummary error={toUiError(queues.error)} focus={false} />
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
                  <th scope="row">{q.name}</th>
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

function QueueForm({ queue, onSaved }: { queue: QueueView; onSaved: (name: string) => void }) {
  const update = useUpdateQueue();
  const [draft, setDraft] = useState<Draft>(() => draftOf(queue));
  const [warnAt, setWarnAt] = useState(String(queue.warnAtPercent));
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = invalid ?? toUiError(update.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (update.isPending) return;
    const problems: string[] = [];
    const sla: Partial<SlaTargets> = {};
    for (const p of PRIORITIES) {
      const targets: Partial<QueueTargets> = {};
      for (const kind of KINDS) {
        const value = minutesOf(draft[p][kind.key], `${kind.label} for priority ${p}`);
        if (typeof value === 'string') problems.push(value);
        else targets[kind.key] = value;
      }
      const { firstResponseMinutes, nextResponseMinutes, resolutionMinutes } = targets;
      if (firstResponseMinutes && nextResponseMinutes && resolutionMinutes) sla[p] = { firstResponseMinutes, nextResponseMinutes, resolutionMinutes };
    }
    const warn = Number(warnAt.trim());
    if (!Number.isInteger(warn) || warn < 1 || warn > 99) problems.push('Warn at must be a whole percentage from 1 to 99');
    const [s1, s2, s3, s4] = [sla['1'], sla['2'], sla['3'], sla['4']];
    if (problems.length > 0 || !s1 || !s2 || !s3 || !s4) {
      setInvalid({ message: '', fields: problems.map((message) => ({ path: '', message })) });
      return;
    }
    setInvalid(null);
    update.mutate({ queueId: queue.id, sla: { '1': s1, '2': s2, '3': s3, '4': s4 }, warnAtPercent: warn }, { onSuccess: () => onSaved(queue.name) });
  }

  return (
    <section className="panel" aria-labelledby="h-queue-edit" data-testid="queue-form">
      <h2 id="h-queue-edit" tabIndex={-1}>
        Targets of {queue.name}
      </h2>
      <form onSubmit={submit} noValidate className="form">
        <ErrorSummary error={error} />
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
                {KINDS.map((k) => (
                  <td key={k.key}>
                    <label htmlFor={`queue-${p}-${k.key}`} className="visually-hidden">
                      {k.label} for priority {p}, in minutes
                    </label>
                    <input
                      id={`queue-${p}-${k.key}`}
                      className="input--narrow"
                      type="text"
                      inputMode="numeric"
                      value={draft[p][k.key]}
                      onChange={(e) => setDraft({ ...draft, [p]: { ...draft[p], [k.key]: e.target.value } })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <div className="field">
          <label htmlFor="queue-warn-at">Warn at (percentage of the target used)</label>
          <input id="queue-warn-at" className="input--narrow" type="text" inputMode="numeric" value={warnAt} onChange={(e) => setWarnAt(e.target.value)} />
        </div>
        <button type="submit" className="button" data-testid="queue-save" aria-disabled={update.isPending}>
          Save targets
        </button>
      </form>
    </section>
  );
}
