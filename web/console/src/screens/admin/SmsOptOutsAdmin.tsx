// The numbers not to be texted (GET /api/sms-opt-outs), newest first, with a search by number
// written any way: for the supervisor asked "am I opted out?" and the admin asked why a person gets
// no texts. Those who may (`sms_opt_outs:manage`) record one by hand for a person who asked another
// way, and lift one staff recorded; only the person's own START undoes a STOP (decisions 0059, 0071).
import { useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, Loading, PageHeading, fieldMessage } from '../../components.tsx';
import { channelLabel, formatDateTime } from '../../format.ts';
import { smsOptOutsQuery } from './admin-api.ts';
import { AdminNav } from './AdminNav.tsx';
import { SmsOptOutChangeForm } from './SmsOptOutForms.tsx';

const PAGE_SIZE = 50;
const SEARCH_ID = 'opt-out-number';

export function SmsOptOutsAdminScreen({ canManage }: { canManage: boolean }) {
  const [draft, setDraft] = useState('');
  const [recordNumber, setRecordNumber] = useState('');
  const [liftNumber, setLiftNumber] = useState('');
  const liftReason = useRef<HTMLInputElement>(null);
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
  /** A row's Lift: its number goes into the lift form, and the person is taken to the reason. */
  function startLift(phoneNumber: string) {
    setLiftNumber(phoneNumber);
    liftReason.current?.focus();
    liftReason.current?.scrollIntoView({ block: 'center' });
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
        Nothing is texted to these numbers, by a journey, a reply or a code. Most replied STOP to one of the force&rsquo;s text numbers: they are
        texted again only when the person texts START, and nobody can turn texts back on for them. Others were recorded by staff for a person who
        asked another way; staff may lift those, and the person&rsquo;s START lifts them too. Reach them by email, the case page or a letter
        instead.
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
            <caption className="visually-hidden">Numbers not to be texted, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Phone number</th>
                <th scope="col">Opted out</th>
                <th scope="col">How</th>
                {canManage && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
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
                  <td data-testid="opt-out-how">
                    {o.source === 'staff' ? (
                      <>
                        Recorded by {o.recordedBy?.name ?? 'staff'}: <q>{o.reason}</q>
                      </>
                    ) : (
                      <>
                        Texted STOP to {o.account ? o.account.label : 'our number'}
                        {o.account && <span className="muted"> ({channelLabel(o.account.channel)})</span>}
                      </>
                    )}
                  </td>
                  {canManage && (
                    <td>
                      {o.source === 'staff' ? (
                        <button type="button" className="button button--secondary" onClick={() => startLift(o.phoneNumber)}>
                          Lift<span className="visually-hidden"> the opt-out of {o.phoneNumber}</span>
                        </button>
                      ) : (
                        <span className="muted">Only their START lifts it</span>
                      )}
                    </td>
                  )}
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
      {canManage && (
        <div>
          <SmsOptOutChangeForm change="record" number={recordNumber} onNumberChange={setRecordNumber} />
          <SmsOptOutChangeForm change="lift" number={liftNumber} onNumberChange={setLiftNumber} ref={liftReason} />
        </div>
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
