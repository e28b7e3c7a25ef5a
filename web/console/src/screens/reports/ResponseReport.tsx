// The response report: for a period of UK days, incidents by area and grade, the share deployed
// and arrived within target, median and 90th percentile minutes, and each breach with its reason;
// the same as CSV for a spreadsheet.
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, read } from '../../api/client.ts';
import { toUiError } from '../../api/errors.ts';
import type { paths } from '../../api/schema.ts';
import { ErrorSummary, Loading, PageHeading } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { GRADE_LABELS } from '../dispatch/dispatch-text.ts';

export const RESPONSE_REPORT_PATH = '/reports/response';

type Report = paths['/api/reports/response']['get']['responses'][200]['content']['application/json'];
type Row = Report['rows'][number];
type Measure = Row['deploy'];
type Period = { from: string; to: string };

const ukToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T12:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

const percent = (m: Measure) => (m.withinTargetPercent === null ? '–' : `${m.withinTargetPercent}%`);
const minutes = (value: number | null) => (value === null ? '–' : String(value));

function MeasureCells({ measure }: { measure: Measure }) {
  return (
    <>
      <td className="num">
        {percent(measure)}
        {measure.measured > 0 && <span className="muted"> ({measure.withinTarget} of {measure.measured})</span>}
      </td>
      <td className="num">{minutes(measure.medianMinutes)}</td>
      <td className="num">{minutes(measure.p90Minutes)}</td>
    </>
  );
}

function FiguresTable({ caption, rows, areaHeader }: { caption: string; rows: Row[]; areaHeader: boolean }) {
  return (
    // Wide tables scroll sideways on a narrow screen: the region takes focus so keys can scroll it.
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {areaHeader && <th scope="col">Area</th>}
            <th scope="col">Grade</th>
            <th scope="col" className="num">Incidents</th>
            <th scope="col" className="num">Deployed within target</th>
            <th scope="col" className="num">Deploy median (min)</th>
            <th scope="col" className="num">Deploy 90th percentile (min)</th>
            <th scope="col" className="num">Arrived within target</th>
            <th scope="col" className="num">Arrive median (min)</th>
            <th scope="col" className="num">Arrive 90th percentile (min)</th>
            <th scope="col" className="num">Breaches</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={`${row.areaName ?? ''}:${row.grade}`} data-testid="response-row">
              {areaHeader && <th scope="row">{row.areaName ?? 'No area'}</th>}
              <td>{GRADE_LABELS[row.grade]}</td>
              <td className="num">{row.incidents}</td>
              <MeasureCells measure={row.deploy} />
              <MeasureCells measure={row.arrive} />
              <td className="num">{row.breaches}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ResponseReportScreen() {
  const today = ukToday();
  const [draft, setDraft] = useState<Period>({ from: daysBefore(today, 6), to: today });
  const [period, setPeriod] = useState<Period>(draft);
  const report = useQuery({
    queryKey: ['reports', 'response', period.from, period.to],
    queryFn: ({ signal }) => read(api.GET('/api/reports/response', { params: { query: period }, signal })),
  });
  const data = report.data;
  const csvHref = `/api/reports/response.csv?from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}`;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setPeriod(draft);
  }

  return (
    <>
      <div className="page-header">
        <PageHeading title="Response report">Response report</PageHeading>
        <a className="button button--secondary" href={csvHref} download>
          Download CSV
        </a>
      </div>
      <form className="filters" onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="report-from">From (first day)</label>
          <input id="report-from" type="date" value={draft.from} max={draft.to} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="report-to">To (last day)</label>
          <input id="report-to" type="date" value={draft.to} min={draft.from} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </div>
        <button type="submit" className="button">
          Show
        </button>
      </form>
      <p className="muted">
        Days are UK days. Targets are measured from the incident&apos;s creation; an incident that ended before its target ran out is counted but not measured.
      </p>
      <ErrorSummary error={toUiError(report.error)} />
      {!data && report.isPending && <Loading what="response report" />}
      {data && data.rows.length === 0 && <p className="empty">No graded incidents were created in this period.</p>}
      {data && data.rows.length > 0 && (
        <>
          <FiguresTable caption={`By area and grade, ${data.from} to ${data.to}`} rows={data.rows} areaHeader />
          <FiguresTable caption="All areas" rows={data.totals} areaHeader={false} />
          <div className="table-wrap" role="region" aria-label="Breaches" tabIndex={0}>
            <table className="table">
              <caption>Breaches ({data.breaches.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Incident</th>
                  <th scope="col">Area</th>
                  <th scope="col">Grade</th>
                  <th scope="col">Target</th>
                  <th scope="col">Due</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {data.breaches.map((b) => (
                  <tr key={`${b.incidentId}:${b.kind}:${b.breachedAt}`} data-testid="response-breach">
                    <th scope="row">
                      <a href={`#/incidents/${encodeURIComponent(b.incidentId)}`}>INC-{b.number}</a>
                    </th>
                    <td>{b.areaName ?? 'No area'}</td>
                    <td>{GRADE_LABELS[b.grade]}</td>
                    <td>{b.kind === 'deploy' ? 'Deploy' : 'Arrive'}</td>
                    <td>
                      <time dateTime={b.dueAt}>{formatDateTime(b.dueAt)}</time>
                    </td>
                    <td className="break">
                      {b.reasonLabel ?? b.reasonCode ?? <span className="muted">No reason given yet</span>}
                      {b.reasonText && <span> — {b.reasonText}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
