import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useRetryJob } from '../api/admin-mutations.ts';
import { toUiError } from '../api/errors.ts';
import { jobsQuery } from '../api/queries.ts';
import type { Job, JobState } from '../api/types.ts';
import { ErrorSummary, focusById, Loading, PageHeading, StatusMessage } from '../components.tsx';
import { formatDateTime, humanize } from '../format.ts';
import { JOB_STATE_LABELS, JOB_STATES, isJobState } from '../labels.ts';

export function JobsScreen() {
  const [state, setState] = useState<JobState>('dead');
  const jobs = useQuery({ ...jobsQuery(state), placeholderData: keepPreviousData });
  const [notice, setNotice] = useState<string | null>(null);
  const retryJob = useRetryJob();
  const retrying = retryJob.isPending ? retryJob.variables : null;

  function retry(job: Job) {
    if (retrying) return;
    retryJob.mutate(job.id, {
      onSuccess: (updated) => {
        setNotice(`Job ${job.type} (${job.id}) queued for retry: now ${humanize(updated.state).toLowerCase()}.`);
        focusById('jobs-notice');
      },
    });
  }

  const list = jobs.data;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Jobs">Jobs</PageHeading>
        <div className="field field--inline">
          <label htmlFor="job-state">State</label>
          <select
            id="job-state"
            value={state}
            onChange={(e) => {
              if (isJobState(e.target.value)) setState(e.target.value);
            }}
          >
            {JOB_STATES.map((s) => (
              <option key={s} value={s}>
                {JOB_STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button button--secondary" onClick={() => void jobs.refetch()}>
          Refresh
        </button>
      </div>
      <StatusMessage message={notice} id="jobs-notice" />
      <ErrorSummary error={toUiError(retryJob.error)} />
      <ErrorSummary error={toUiError(jobs.error)} focus={false} />
      {!list && jobs.isPending && <Loading what="jobs" />}
      {list && list.length === 0 && <p className="empty">No {state} jobs.</p>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{humanize(state)} jobs</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col">ID</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Last error</th>
                <th scope="col">Run at</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((job) => (
                <tr key={job.id} data-testid="job-row" data-job-id={job.id}>
                  <td>{job.type}</td>
                  <td className="mono">{job.id}</td>
                  <td>
                    <span className={`status status--${job.state}`}>{humanize(job.state)}</span>
                  </td>
                  <td className="num">
                    {job.attempts}/{job.maxAttempts}
                  </td>
                  <td className="break">{job.lastError ?? <span className="muted">None</span>}</td>
                  <td>
                    <time dateTime={job.runAt}>{formatDateTime(job.runAt)}</time>
                  </td>
                  <td>
                    <time dateTime={job.createdAt}>{formatDateTime(job.createdAt)}</time>
                  </td>
                  <td>
                    {job.state === 'dead' && (
                      <button
                        type="button"
                        className="button button--small"
                        data-testid="job-retry"
                        onClick={() => retry(job)}
                        aria-disabled={retrying !== null}
                      >
                        {retrying === job.id ? 'Retrying…' : 'Retry'}
                        <span className="visually-hidden"> job {job.type} {job.id}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
