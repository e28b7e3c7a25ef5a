import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { closingCodesQuery, incidentQuery, incidentTypesQuery, liveIncidentsQuery, recommendationQuery, unitsQuery, useAddIncidentNote, useMoveUnit, type IncidentView } from '../../api/dispatch.ts';
import { invalidFields, toUiError, type UiError } from '../../api/errors.ts';
import { useServerNow } from '../../clock.ts';
import { ErrorSummary, InlineError, Loading, PageHeading, StatusMessage, fieldMessage } from '../../components.tsx';
import { formatDateTime, humanize } from '../../format.ts';
import { Countdown } from './Countdown.tsx';
import { CorrectIncident, FinishIncident, RegradeIncident, SetIncidentLocation } from './IncidentActions.tsx';
import { LinkedContacts, MergeIncident, MergedInto, canMergeAway } from './IncidentLinks.tsx';
import { DispatchNav, MapPanel } from './DispatchBoard.tsx';
import { INCIDENT_STATUS_LABELS, incidentUnitMoves, unitStatusLabel } from './dispatch-text.ts';
import { isIncidentLive } from './incident-moves.ts';
import { clockOf } from './incident-clock.ts';
import { MissedTargets } from './MissedTargets.tsx';
import { RecommendPanel } from './RecommendPanel.tsx';

export function IncidentScreen({ id, canDispatch, canWrite }: { id: string; canDispatch: boolean; canWrite: boolean }) {
  const now = useServerNow(1_000);
  const incident = useQuery(incidentQuery(id));
  const units = useQuery(unitsQuery);
  const incidents = useQuery(liveIncidentsQuery);
  const recommendation = useQuery(recommendationQuery(id));
  const [announcement, setAnnouncement] = useState<string | null>(null);

  if (!incident.data) {
    return incident.isError ? (
      <>
        <PageHeading title="Incident">Incident</PageHeading>
        <ErrorSummary error={toUiError(incident.error)} />
      </>
    ) : (
      <Loading what="the incident" />
    );
  }
  const record = incident.data;
  const clock = clockOf(record);
  const others = (incidents.data ?? []).filter((other) => other.id !== record.id);
  const isLive = isIncidentLive(record.status);
  return (
    <>
      <PageHeading title={record.reference}>
        Incident {record.reference}
        {record.grade && <span className="hint"> · {record.grade.label}</span>}
      </PageHeading>
      <DispatchNav current={null} canCreate={canWrite} />
      <StatusMessage message={announcement} />
      <div className="dispatch-layout">
        <div>
          <MergedInto incident={record} />
          {clock && (
            <p>
              <Countdown clock={clock} now={now} />
            </p>
          )}
          <IncidentDetails incident={record} />
          <MissedTargets incident={record} canExplain={canDispatch} onRecorded={setAnnouncement} />
          <RecommendPanel incident={record} canDispatch={canDispatch} onDispatched={setAnnouncement} />
          <CommittedUnits incident={record} canMove={canDispatch} onMoved={setAnnouncement} />
          {canDispatch && <FinishIncident incident={record} onDone={setAnnouncement} />}
          {canWrite && isLive && <RegradeIncident key={`grade-${record.grade?.code ?? 'none'}`} incident={record} onDone={setAnnouncement} />}
          {canWrite && isLive && <CorrectIncident key={`correct-${record.type}-${record.summary}-${record.requiredCapabilities.join(',')}`} incident={record} onDone={setAnnouncement} />}
          {canWrite && isLive && <SetIncidentLocation key={`location-${record.location.text ?? ''}-${record.location.lat ?? ''}-${record.location.lon ?? ''}`} incident={record} onDone={setAnnouncement} />}
          <LinkedContacts incident={record} canUnlink={canWrite && isLive} onDone={setAnnouncement} />
          {canWrite && canMergeAway(record) && <MergeIncident incident={record} onDone={setAnnouncement} />}
          <NotesLog incident={record} canWrite={canWrite} onAdded={setAnnouncement} />
          <IncidentHistory incident={record} />
        </div>
        <MapPanel incidents={[record, ...others]} units={units.data ?? []} focus={record} recommendation={recommendation.data ?? null} />
      </div>
    </>
  );
}

function IncidentDetails({ incident }: { incident: IncidentView }) {
  const { location } = incident;
  const types = useQuery(incidentTypesQuery);
  const codes = useQuery({ ...closingCodesQuery, enabled: incident.closingCode !== null });
  const codeLabel = incident.closingCode ? (codes.data?.find((code) => code.code === incident.closingCode)?.label ?? humanize(incident.closingCode)) : null;
  const typeLabel = types.data?.find((type) => type.code === incident.type)?.label ?? humanize(incident.type);
  const rows: [string, string][] = [
    ['Status', codeLabel ? `${INCIDENT_STATUS_LABELS[incident.status]}: ${codeLabel}` : INCIDENT_STATUS_LABELS[incident.status]],
    ['Type', typeLabel],
    ['Summary', incident.summary || '—'],
    ['Grade', incident.grade ? incident.grade.label : 'Not graded'],
    ['Address', location.text ?? '—'],
    ['Position', location.lat !== null && location.lon !== null ? `${location.lat.toFixed(5)}, ${location.lon.toFixed(5)}` : 'Not known'],
    ['District and beat', [location.district?.name, location.beat?.name].filter(Boolean).join(', ') || 'Outside the drawn areas'],
    ['Needs', incident.requiredCapabilities.length > 0 ? incident.requiredCapabilities.map((c) => humanize(c).toLowerCase()).join(', ') : 'No special capability'],
    ['Opened', formatDateTime(incident.createdAt)],
  ];
  return (
    <section aria-labelledby="details-heading">
      <h2 id="details-heading">Details</h2>
      <dl className="summary-list" data-testid="incident-details">
        {rows.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function IncidentHistory({ incident }: { incident: IncidentView }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="notes-log" data-testid="incident-history">
        {incident.history.map((line) => (
          <li key={line.seq} data-type={line.type}>
            <span className="hint">
              {formatDateTime(line.at)}, {line.actor}
            </span>{' '}
            {line.summary}
          </li>
        ))}
      </ol>
    </section>
  );
}

function CommittedUnits({ incident, canMove, onMoved }: { incident: IncidentView; canMove: boolean; onMoved: (message: string) => void }) {
  const move = useMoveUnit();
  const live = incident.units.filter((unit) => unit.clearedAt === null);
  if (incident.units.length === 0) return null;
  return (
    <section aria-labelledby="units-heading">
      <h2 id="units-heading">Units sent</h2>
      <ErrorSummary error={toUiError(move.error)} />
      {live.length === 0 && <p>Every unit sent has cleared.</p>}
      <ul className="notes-log" data-testid="committed-units">
        {live.map((unit) => (
          <li key={unit.unitId} data-testid="committed-unit" data-call-sign={unit.callSign} data-status={unit.status}>
            <strong>{unit.callSign}</strong>: {unitStatusLabel(unit.status)} (sent {formatDateTime(unit.assignedAt)})
            <div className="dispatch-actions">
              {(canMove ? incidentUnitMoves(unit.moves) : []).map((next) => (
                <button
                  key={next.move}
                  type="button"
                  className="button button--secondary button--small"
                  aria-disabled={move.isPending}
                  onClick={() => {
                    if (move.isPending) return;
                    move.mutate({ unitId: unit.unitId, status: next.move }, { onSuccess: () => onMoved(`${unit.callSign} is ${next.label.toLowerCase()}.`) });
                  }}
                >
                  {next.label}
                  <span className="visually-hidden"> for {unit.callSign}</span>
                </button>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function NotesLog({ incident, canWrite, onAdded }: { incident: IncidentView; canWrite: boolean; onAdded: (message: string) => void }) {
  const [body, setBody] = useState('');
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const add = useAddIncidentNote(incident.id);
  const error = invalid ?? toUiError(add.error);
  const bodyError = fieldMessage(error, 'body');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (add.isPending) return;
    if (!body.trim()) {
      setInvalid(invalidFields([{ path: 'body', message: 'Enter a note' }]));
      return;
    }
    setInvalid(null);
    add.mutate(body, {
      onSuccess: () => {
        setBody('');
        onAdded('Note added.');
      },
    });
  }

  return (
    <section aria-labelledby="notes-heading">
      <h2 id="notes-heading">Log</h2>
      {incident.notes.length === 0 ? (
        <p>No notes yet.</p>
      ) : (
        <ol className="notes-log" data-testid="notes">
          {incident.notes.map((note) => (
            <li key={note.id}>
              <span className="hint">{formatDateTime(note.createdAt)}</span> {note.body}
            </li>
          ))}
        </ol>
      )}
      {canWrite && (
      <form onSubmit={submit} noValidate>
        <ErrorSummary error={error} fieldIds={{ body: 'note-body' }} />
        <div className={`field${bodyError ? ' field--error' : ''}`}>
          <label htmlFor="note-body">Add a note</label>
          <InlineError id="note-body-error" message={bodyError} />
          <textarea id="note-body" rows={3} value={body} onChange={(e) => setBody(e.target.value)} aria-invalid={bodyError ? true : undefined} aria-describedby={bodyError ? 'note-body-error' : undefined} />
        </div>
        <button type="submit" className="button button--secondary" aria-disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add note'}
        </button>
      </form>
      )}
    </section>
  );
}
