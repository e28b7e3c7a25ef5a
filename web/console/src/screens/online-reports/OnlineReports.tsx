import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, Loading, PageHeading } from '../../components.tsx';
import { formatDateTime, truncate } from '../../format.ts';
import { contactHref } from '../../router.ts';
import { caseHref } from '../cases/case-routes.ts';
import { OnlineReportActions } from './OnlineReportActions.tsx';
import { onlineReportDashboardQuery, onlineReportQueueQuery, type OnlineReport } from './online-reports-api.ts';

/** Where the queue lives: a path of its own, without a Route (router.ts is shared). */
export const ONLINE_REPORTS_PATH = '/online-reports';

function ClockCell({ clock, label }: { clock: OnlineReport['processed']; label: string }) {
  if (clock.doneAt) {
    return (
      <span className={clock.isPastDue ? 'status status--failed' : 'status status--sent'}>
        {label} {formatDateTime(clock.doneAt)}
        {clock.isPastDue ? ' (late)' : ''}
      </span>
    );
  }
  return (
    <span className={clock.isPastDue ? 'status status--failed' : 'status'} data-past-due={clock.isPastDue}>
      {clock.isPastDue ? 'Past due since ' : 'Due '}
      <time dateTime={clock.dueAt}>{formatDateTime(clock.dueAt)}</time>
    </span>
  );
}

function Dashboard() {
  const board = useQuery(onlineReportDashboardQuery);
  const d = board.data;
  if (!d) return board.isPending ? <Loading what="dashboard" /> : <ErrorSummary error={toUiError(board.error)} focus={false} />;
  return (
    <section aria-labelledby="online-dashboard" className="panel">
      <h2 id="online-dashboard">Last seven days</h2>
      <dl className="summary-list" data-testid="online-dashboard">
        <div>
          <dt>Received</dt>
          <dd>{d.received}</dd>
        </div>
        <div>
          <dt>Drafted</dt>
          <dd>{d.drafted}</dd>
        </div>
        <div>
          <dt>Processed</dt>
          <dd>{d.processed}</dd>
        </div>
        <div>
          <dt>Classified</dt>
          <dd>{d.classified}</dd>
        </div>
        <div>
          <dt>Past the processing clock</dt>
          <dd>
            {d.pastProcessedClock.overdue} overdue, {d.pastProcessedClock.late} done late
          </dd>
        </div>
        <div>
          <dt>Past the classification clock</dt>
          <dd>
            {d.pastClassifiedClock.overdue} overdue, {d.pastClassifiedClock.late} done late
          </dd>
        </div>
      </dl>
      {d.isEveryReportAccountedFor ? (
        <p>Every online report is accounted for.</p>
      ) : (
        <div role="alert">
          <p>These reports have no draft case yet:</p>
          <ul>
            {d.unaccounted.map((u) => (
              <li key={u.contactId}>{u.reference}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The online-report processing queue: each report's draft case, suggestion and two clocks. */
export function OnlineReportsScreen({ canAct }: { canAct: boolean }) {
  const [which, setWhich] = useState<'open' | 'all'>('open');
  const queue = useQuery(onlineReportQueueQuery(which));
  const reports = queue.data;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Online reports">Online reports</PageHeading>
        <p className="page-header__meta">{reports ? `${reports.length} reports` : ''}</p>
        <label>
          Show{' '}
          <select value={which} onChange={(e) => setWhich(e.target.value === 'all' ? 'all' : 'open')}>
            <option value="open">Not yet classified</option>
            <option value="all">All, last seven days</option>
          </select>
        </label>
      </div>
      <Dashboard />
      <ErrorSummary error={toUiError(queue.error)} focus={false} />
      {!reports && queue.isPending && <Loading what="online reports" />}
      {reports && reports.length === 0 && <p className="empty">No online reports are waiting.</p>}
      {reports && reports.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Online reports to process and classify</caption>
            <thead>
              <tr>
                <th scope="col">Report</th>
                <th scope="col">What happened</th>
                <th scope="col">Suggested crime type</th>
                <th scope="col">Processed</th>
                <th scope="col">Classified</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.contactId} data-testid="online-report-row" data-stage={r.stage}>
                  <td>
                    <a href={contactHref(r.contactId)}>{r.contactReference}</a>
                    <br />
                    <a href={caseHref({ name: 'case', id: r.caseId })}>Case {r.caseReference}</a>
                  </td>
                  <td className="break">{truncate(r.summary, 160)}</td>
                  <td>
                    {r.crimeType ?? r.suggestedCrimeType ?? <span className="muted">No suggestion</span>}
                    {r.reasons.length > 0 && !r.crimeType && <span className="muted"> (from {r.reasons.map((reason) => reason.cue).join(', ')})</span>}
                  </td>
                  <td>
                    <ClockCell clock={r.processed} label="Processed" />
                  </td>
                  <td>
                    <ClockCell clock={r.classified} label="Classified" />
                  </td>
                  <td>{canAct ? <OnlineReportActions report={r} /> : <span className="muted">View only</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
