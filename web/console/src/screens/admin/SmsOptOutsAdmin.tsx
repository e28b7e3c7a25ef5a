// The numbers that replied STOP to the force's texts (GET /api/sms-opt-outs), newest first, with a
// search by number written any way: for the supervisor asked "am I opted out?" and the admin asked
// why a person gets no texts. Read only: only the person's own START undoes a STOP (decision 0059).
import { useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, Loading, PageHeading, fieldMessage } from '../../components.tsx';
import { channelLabel, formatDateTime } from '../../format.ts';
import { smsOptOutsQuery } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';

const PAGE_SIZE = 50;
const SEARCH_ID = 'opt-out-number';

export function SmsOptOutsAdminScreen() {
  const [draft, setDraft] = useState('');
  const [number, setNumber] = useState<string | undefined>(undefined);
  const [offset, setOffset] = useState(0);
  const result = useQuery({ ...smsOptOutsQuery({ ...(number ? { number } : {}), offset, limit: PAGE_SIZE }), placeholderData: keepPreviousData });
  // A refused search shows its reason, not the answer to the search before it.
  const page = result.isError ? undefined : result.data;
  const error = toUiError(result.error);
  const searchError = fieldMessage(error, 'query.number');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setNumber(draft.trim() || undefined);
    setOffset(0);
  }
  function showAll() {
    setDraft('');
    setNumber(undefined);
    setOffset(0);
  }

  const shownTo = page ? offset + page.optOuts.length : 0;
  return (
    <>
      <PageHeading title="Texts opted out">Texts opted out</PageHeading>
      <AdminNav current="sms-opt-outs" />
      <p>
        These numbers replied STOP to one of the force&rsquo;s text numbers. Nothing is texted to them, by a journey or a reply, until the person texts
        START to that number. Nobody can turn texts back on for them: reach them by email, the case page or a letter instead.
      </p>
      <ErrorSummary error={error} fieldIds={{ 'query.number': SEARCH_ID }} focus={searchError !== null} />
      <form className="filters" role="search" aria-label="Find an opted-out number" onSubmit={onSubmit} noValidate>
        <div className={`field${searchError ? ' field--error' : ''}`}>
          <label htmlFor={SEARCH_ID}>Phone number</label>
          <p className="hint" id={`${SEARCH_ID}-hint`}>
            Written any way, for example 07700 900123 or +44 7700 900123
          </p>
          <InlineError id={`${SEARCH_ID}-error`} message={searchError} />
          <input
            id={SEARCH_ID}
            data-testid="opt-out-number"
            type="tel"
            autoComplete="off"
            maxLength={40}
            value={draft}
            aria-describedby={searchError ? `${SEARCH_ID}-hint ${SEARCH_ID}-error` : `${SEARCH_ID}-hint`}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <button type="submit" className="button">
          Search
        </button>{' '}
        {number && (
          <button type="button" className="button button--secondary" onClick={showAll}>
            Show all
          </button>
        )}
      </form>
      <p className="page-header__meta" data-testid="opt-out-count" aria-live="polite">
        {page ? summaryOf(page, offset, shownTo) : ''}
      </p>
      {!page && result.isPending && <Loading what="opted-out numbers" />}
      {page && page.optOuts.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="opt-out-table">
            <caption className="visually-hidden">Numbers that replied STOP to our texts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Phone number</th>
                <th scope="col">Replied STOP</th>
                <th scope="col">To our number</th>
              </tr>
            </thead>
            <tbody>
              {page.optOuts.map((o) => (
                <tr key={o.phoneNumber} data-testid="opt-out-row">
                  <th scope="row" className="break">
                    {o.phoneNumber}
                  </th>
                  <td>
                    <time dateTime={o.optedOutAt}>{formatDateTime(o.optedOutAt)}</time>
                  </td>
                  <td>
                    {o.account.label} <span className="muted">({channelLabel(o.account.channel)})</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && page.total > PAGE_SIZE && (
        <nav className="pager" aria-label="Pages of opted-out numbers">
          <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
            Previous
          </button>{' '}
          <button type="button" className="button button--secondary" disabled={shownTo >= page.total} onClick={() => setOffset(offset + PAGE_SIZE)}>
            Next
          </button>
        </nav>
      )}
    </>
  );
}

function summaryOf(page: { total: number; number: string | null; optOuts: unknown[] }, offset: number, shownTo: number): string {
  if (page.number !== null) {
    return page.total > 0 ? `${page.number} has opted out of texts.` : `${page.number} has not opted out of texts.`;
  }
  if (page.total === 0) return 'No number has opted out of texts.';
  return `Showing ${page.optOuts.length === 0 ? 0 : offset + 1}–${shownTo} of ${page.total}`;
}
