// The print queue (decisions 0031, 0135): victims' letters waiting for a member of staff to print
// and post them, oldest first. Each opens on its own page to be printed (print-queue.css lays the
// address out for a window envelope) and marked printed and posted; a letter the server says must
// not be posted cannot be printed there, only withdrawn. What a letter says is shown as text,
// never as HTML: it can hold words from the public.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { toUiError } from '../../api/errors.ts';
import { useServerNow } from '../../clock.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { ListRefreshedStatus } from '../../list-follows-changes.tsx';
import { caseHref } from '../cases/case-routes.ts';
import { purposeText } from '../cases/case-text.ts';
import { PrintLetter } from './PrintLetter.tsx';
import { usePrintQueueAnnouncement } from './print-queue-announce.ts';
import { useFocusStaysInList } from './print-queue-focus.ts';
import { addressee, lettersToPrintQuery, type LetterToPrint, type Outcome } from './print-queue-api.ts';
import { printQueueHref, type PrintQueueRoute } from './print-queue-routes.ts';
import './print-queue.css';

const MINUTE_MS = 60_000;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** How long a letter has waited, in words a person says: "3 days", "5 hours", "under an hour". */
export function waitedText(createdAt: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(createdAt)) / MINUTE_MS));
  if (Number.isNaN(minutes)) return '—';
  if (minutes < 60) return 'under an hour';
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/**
 * The list and each letter's page share one component, so what happened to the letter just acted
 * on is still there to say when the person is taken back to the list.
 */
export function PrintQueueScreen({ route, canMark, canWithdraw }: { route: PrintQueueRoute; canMark: boolean; canWithdraw: boolean }) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const isLetter = route.name === 'letter';
  // Opening a letter puts the last one's outcome away: back on the list, only the newest is said.
  useEffect(() => {
    if (isLetter) setOutcome(null);
  }, [isLetter]);
  if (route.name === 'letter') {
    return (
      <PrintLetter
        id={route.id}
        canMark={canMark}
        canWithdraw={canWithdraw}
        onDone={(next) => {
          setOutcome(next);
          window.location.hash = printQueueHref({ name: 'list' });
        }}
      />
    );
  }
  return <LetterList outcome={outcome} />;
}

function LetterList({ outcome }: { outcome: Outcome | null }) {
  const letters = useQuery(lettersToPrintQuery);
  const now = useServerNow(MINUTE_MS);
  const rows = letters.data;
  const notPosted = rows?.filter((l) => l.doNotPrint !== null).length ?? 0;
  // Rows added, taken by a colleague or no longer to be posted, said in one polite region (decision 0156).
  const changed = usePrintQueueAnnouncement(rows);
  // Focus on a letter that leaves the list goes to the next letter, not the page's body.
  const keepFocus = useFocusStaysInList(rows, 'print-queue-heading');
  // Back from a letter done with, the person is taken to what became of it (a refusal's summary takes focus itself).
  useEffect(() => {
    if (outcome?.kind === 'done') focusById('print-queue-notice');
  }, [outcome]);
  return (
    <>
      <div className="page-header">
        <PageHeading title="Print queue" id="print-queue-heading">Letters to print and post</PageHeading>
        <p className="page-header__meta" data-testid="print-queue-meta">
          {rows ? `${plural(rows.length, 'letter')} waiting${notPosted > 0 ? `, ${notPosted} not to be posted` : ''}` : ''}
        </p>
        <button type="button" className="button button--secondary" onClick={() => void letters.refetch()}>
          Refresh
        </button>
      </div>
      <p>Letters to victims who asked to be written to, oldest first. Open one to print it; once it is in the post, mark it printed and posted.</p>
      <StatusMessage message={outcome?.kind === 'done' ? outcome.message : null} id="print-queue-notice" />
      <ListRefreshedStatus refreshed={changed} testId="print-queue-changes" />
      {outcome?.kind === 'refused' && <ErrorSummary error={outcome.error} />}
      <ErrorSummary error={toUiError(letters.error)} focus={false} />
      {!rows && letters.isPending && <Loading what="letters" />}
      {rows && rows.length === 0 && <p className="empty">No letters are waiting to be printed.</p>}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="print-queue">
            <caption className="visually-hidden">Letters waiting to be printed and posted, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Waiting</th>
                <th scope="col">To</th>
                <th scope="col">Letter</th>
                <th scope="col">Case</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody onFocus={keepFocus.onFocus} onBlur={keepFocus.onBlur}>
              {rows.map((letter) => (
                <LetterRow key={letter.id} letter={letter} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function LetterRow({ letter, now }: { letter: LetterToPrint; now: number }) {
  const to = addressee(letter);
  return (
    <tr data-testid="print-queue-row" data-id={letter.id} data-do-not-print={letter.doNotPrint !== null} className={letter.doNotPrint ? 'row--overdue' : undefined}>
      <td>
        {waitedText(letter.createdAt, now)}
        <span className="cell-sub muted">
          {' '}
          since <time dateTime={letter.createdAt}>{formatDateTime(letter.createdAt)}</time>
        </span>
      </td>
      <td className="letter-address">{letter.recipient}</td>
      <td>
        {purposeText(letter.purpose)}
        <span className="cell-sub muted"> · {letter.subject}</span>
        {letter.doNotPrint && (
          <p className="letter-do-not-post" data-testid="do-not-post">
            <strong>Do not post:</strong> {letter.doNotPrint}.
          </p>
        )}
      </td>
      <td>
        {letter.caseId ? (
          <a href={caseHref({ name: 'case', id: letter.caseId })} data-row-link="case">
            {letter.caseReference ?? 'Open case'}
            <span className="visually-hidden"> (the case of the letter to {to})</span>
          </a>
        ) : (
          <span className="muted">No case</span>
        )}
      </td>
      <td>
        <a href={printQueueHref({ name: 'letter', id: letter.id })} className="nowrap" data-row-link="open">
          {letter.doNotPrint ? 'View, do not post' : 'Open to print'}
          <span className="visually-hidden"> the letter to {to}</span>
        </a>
      </td>
    </tr>
  );
}
