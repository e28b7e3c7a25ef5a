// One letter of the print queue, laid out as it prints (print-queue.css: the address where a window
// envelope shows it, the rest of the page hidden from the printer), with "Mark printed and posted"
// after a confirmation. A letter the server says must not be posted is not laid out for printing:
// it can only be withdrawn. The server's refusal of either action is said on the list. A letter a
// colleague marks printed or withdraws while it is open stays on screen, without its print layout
// or actions, and a polite status says who took it and not to post it (decision 0145).
import { useQuery } from '@tanstack/react-query';
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { sessionQuery } from '../../api/queries.ts';
import { toUiError } from '../../api/errors.ts';
import { useStaffNames } from '../../changed-elsewhere.tsx';
import { useLiveEvent } from '../../live.ts';
import { ErrorSummary, Loading, PageHeading, focusById } from '../../components.tsx';
import { formatDateTime } from '../../format.ts';
import { caseHref } from '../cases/case-routes.ts';
import { purposeText } from '../cases/case-text.ts';
import { addressee, hasLeftQueue, lettersToPrintQuery, useMarkLetterPrinted, useWithdrawLetter, type LetterToPrint, type Outcome } from './print-queue-api.ts';
import { printQueueHref } from './print-queue-routes.ts';

const CONFIRM_ID = 'letter-confirm';
// The heading of what replaces the print layout of a letter that must not be posted.
const DO_NOT_POST_ID = 'letter-do-not-post';
// The button that asks the question, given focus back when the question is put away.
const ASK_ID = 'letter-ask';

/** The server's reason after our words: some start in lower case ("the letter is delivered, …"). */
const asSentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * What the list says when the server refused an action because the letter has left the queue
 * (withdrawn after all, or gone): `notDone` first, then the server's reason. Anything else (the
 * server not reached) is left to the page's own error summary, to try again.
 */
function refusedOutcome(error: unknown, notDone: string): Outcome | null {
  const refusal = toUiError(error);
  return refusal && hasLeftQueue(error) ? { kind: 'refused', error: { ...refusal, message: `${notDone} ${asSentence(refusal.message)}` } } : null;
}

type Question = { ask: string; title: string; detail: string; confirm: string; pending: string; tone: 'button' | 'button--warning' };

/**
 * A button that asks before it acts: the question takes focus when it opens, and Cancel puts it
 * away and gives focus back to the button that asked it.
 */
function ConfirmedAction({ question, askClass, isPending, onConfirm }: { question: Question; askClass: string; isPending: boolean; onConfirm: () => void }) {
  const [isConfirming, setConfirming] = useState(false);
  if (!isConfirming) {
    return (
      <button
        type="button"
        id={ASK_ID}
        className={askClass}
        onClick={() => {
          setConfirming(true);
          // After the question renders: the person is taken to it.
          setTimeout(() => focusById(CONFIRM_ID), 0);
        }}
      >
        {question.ask}
      </button>
    );
  }
  return (
    <div className="panel letter-confirm" id={CONFIRM_ID} tabIndex={-1} role="group" aria-labelledby={`${CONFIRM_ID}-title`}>
      <h2 id={`${CONFIRM_ID}-title`}>{question.title}</h2>
      <p>{question.detail}</p>
      <div className="letter-print__actions">
        <button type="button" className={question.tone === 'button' ? 'button' : 'button button--warning'} aria-disabled={isPending} onClick={() => !isPending && onConfirm()}>
          {isPending ? question.pending : question.confirm}
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => {
            setConfirming(false);
            setTimeout(() => focusById(ASK_ID), 0);
          }}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

/** A change by someone else that took the open letter out of the queue, as the live stream told it. */
type TakenElsewhere = { letterId: string; change: 'printed' | 'withdrawn'; byStaffId: string | null };

/**
 * Listens for the open letter leaving the queue by someone else's hand: a colleague who marked it
 * printed or withdrew it, or the system withdrawing it. This person's own action says itself what
 * became of the letter, on the list.
 */
function useTakenElsewhere(id: string): TakenElsewhere | null {
  const session = useQuery(sessionQuery);
  const [taken, setTaken] = useState<TakenElsewhere | null>(null);
  useLiveEvent((message) => {
    if (message.type !== 'print_queue.changed' || message.letterId !== id || message.change === 'queued' || message.change === 'overtaken') return;
    if (message.byStaffId !== undefined && message.byStaffId === session.data?.user.id) return;
    setTaken({ letterId: id, change: message.change, byStaffId: message.byStaffId ?? null });
  });
  // Another letter opened in this page's place has not been taken.
  return taken?.letterId === id ? taken : null;
}

/** What the open letter's page says once someone else took the letter: who, what, and not to post it. */
export function takenSentence(taken: TakenElsewhere, who: string | null, to: string): string {
  if (taken.change === 'printed') {
    return `${who ? `${who} marked the letter to ${to}` : `The letter to ${to} was marked`} printed and posted. Do not print or post it again.`;
  }
  return who ? `${who} withdrew the letter to ${to}. Do not post it.` : `The letter to ${to} was withdrawn and must not be posted. Its case says why.`;
}

/** What the open letter's page says once what it tells stopped standing while it was open (decision 0156). */
export function overtakenSentence(reason: string, to: string): string {
  return `The letter to ${to} must not be posted now: ${reason}. Do not print or post it.`;
}

/**
 * The polite status that says a letter open here was taken by someone else, naming them from the
 * staff names this person may read, else "Someone else" (as the areas page does, decision 0105),
 * or that it must not be posted now (`overtaken`: the reason). It is on the page from the start,
 * so what appears in it is announced; it never takes focus.
 */
function TakenNotice({ taken, overtaken, to }: { taken: TakenElsewhere | null; overtaken: string | null; to: string }) {
  const byStaffId = taken?.byStaffId ?? null;
  // Undefined while the names are read, so the notice is announced once, with the name in it.
  const names = useStaffNames(byStaffId !== null);
  const who = byStaffId === null ? null : (names?.find((person) => person.id === byStaffId)?.name ?? 'Someone else');
  const message = taken && names !== undefined ? takenSentence(taken, who, to) : overtaken !== null ? overtakenSentence(overtaken, to) : null;
  return (
    <p role="status" aria-live="polite" className={message ? 'notice letter-print__controls' : 'visually-hidden'} data-testid="letter-taken">
      {message ?? ''}
    </p>
  );
}

/** What the open letter's page shows of it: to print, not to post, or taken out of the queue. */
type Shown = 'print' | 'do-not-post' | 'taken' | 'none';

/**
 * Keeps keyboard focus on the open letter when what it shows changes under the person (decision
 * 0159). A letter that turns "do not post", or that someone else takes, loses its print layout
 * and its buttons; focus on one of them would fall to the page's body, and a keyboard or screen
 * reader user would lose their place. Focus that fell so goes to the heading of what replaced
 * them ("Do not post this letter"), else to the letter's own heading; focus anywhere else stays.
 * It is only moved, never announced: the page's one polite status says what changed.
 */
function useFocusKeptOnLetter(shown: Shown, page: RefObject<HTMLDivElement | null>) {
  const before = useRef<Shown>(shown);
  useLayoutEffect(() => {
    const was = before.current;
    before.current = shown;
    if (was === shown || was === 'none') return;
    const focused = document.activeElement;
    if (focused !== null && focused !== document.body) return;
    const heading = shown === 'do-not-post' ? document.getElementById(DO_NOT_POST_ID) : page.current?.querySelector('h1');
    heading?.focus({ preventScroll: true });
  }, [shown, page]);
}

export function PrintLetter({ id, canMark, canWithdraw, onDone }: { id: string; canMark: boolean; canWithdraw: boolean; onDone: (outcome: Outcome) => void }) {
  const letters = useQuery(lettersToPrintQuery);
  const letter = letters.data?.find((l) => l.id === id);
  const taken = useTakenElsewhere(id);
  // The letter as last read, kept on screen once someone else takes it, so the person sees which
  // letter not to post, and the heading (and focus) stay where they are.
  const [kept, setKept] = useState<LetterToPrint | undefined>(undefined);
  // The letter shown to be printed that the server now says must not be posted (what it tells was
  // overtaken while it was open, decision 0156): the page says so as it turns to "do not post".
  const [overtaken, setOvertaken] = useState<{ letterId: string; reason: string } | null>(null);
  if (letter && letter !== kept) {
    if (kept?.id === letter.id && kept.doNotPrint === null && letter.doNotPrint !== null) setOvertaken({ letterId: letter.id, reason: letter.doNotPrint });
    setKept(letter);
  }
  const shown = letter ?? (taken && kept?.id === id ? kept : undefined);
  const page = useRef<HTMLDivElement>(null);
  useFocusKeptOnLetter(letter ? (letter.doNotPrint ? 'do-not-post' : 'print') : shown ? 'taken' : 'none', page);
  const back = (
    <p className="letter-print__controls">
      <a href={printQueueHref({ name: 'list' })} className="back">
        Back to the print queue
      </a>
    </p>
  );
  if (!shown) {
    return (
      <>
        {back}
        <ErrorSummary error={toUiError(letters.error)} focus={false} />
        {letters.isPending ? (
          <Loading what="letter" />
        ) : (
          <>
            <PageHeading title="Letter not in the print queue">This letter is not waiting to be printed</PageHeading>
            <p>It has been printed and posted, or withdrawn, since the list was read.</p>
          </>
        )}
      </>
    );
  }
  // The notice keeps its place whether the letter is there or taken, so its words are announced.
  return (
    <div className="letter-print" ref={page}>
      {back}
      <LetterFacts letter={shown} />
      <TakenNotice taken={letter ? null : taken} overtaken={letter && overtaken?.letterId === letter.id ? overtaken.reason : null} to={addressee(shown)} />
      {letter && (letter.doNotPrint ? <DoNotPost letter={letter} canWithdraw={canWithdraw} onDone={onDone} /> : <PrintAndMark letter={letter} canMark={canMark} onDone={onDone} />)}
    </div>
  );
}

function LetterFacts({ letter }: { letter: LetterToPrint }) {
  const to = addressee(letter);
  return (
    <div className="letter-print__controls">
      <PageHeading title={`Letter to ${to}`}>Letter to {to}</PageHeading>
      <dl className="facts">
        <dt>What it is</dt>
        <dd>{purposeText(letter.purpose)}</dd>
        <dt>Waiting since</dt>
        <dd>
          <time dateTime={letter.createdAt}>{formatDateTime(letter.createdAt)}</time>
        </dd>
        <dt>Case</dt>
        <dd>{letter.caseId ? <a href={caseHref({ name: 'case', id: letter.caseId })}>{letter.caseReference ?? 'Open the case'}</a> : 'None'}</dd>
      </dl>
    </div>
  );
}

/** The page as the printer takes it: an A4 sheet, address for the window, subject and text. */
function LetterSheet({ letter, className }: { letter: LetterToPrint; className?: string }) {
  return (
    <section className={`letter-sheet${className ? ` ${className}` : ''}`} aria-label="The letter as it prints" data-testid="letter-sheet">
      <p className="letter-sheet__address" data-testid="letter-address">
        {letter.recipient}
      </p>
      <div className="letter-sheet__text">
        <p className="letter-sheet__subject">{letter.subject}</p>
        <p className="letter-sheet__body" data-testid="letter-body">
          {letter.body}
        </p>
      </div>
    </section>
  );
}

function PrintAndMark({ letter, canMark, onDone }: { letter: LetterToPrint; canMark: boolean; onDone: (outcome: Outcome) => void }) {
  const mark = useMarkLetterPrinted();
  const to = addressee(letter);
  function confirm() {
    mark.mutate(letter.id, {
      onSuccess: () => onDone({ kind: 'done', message: `The letter to ${to} is marked printed and posted.` }),
      onError: (error) => {
        const refused = refusedOutcome(error, `The letter to ${to} was not marked printed.`);
        if (refused) onDone(refused);
      },
    });
  }
  const question: Question = {
    ask: 'Mark printed and posted',
    title: 'Has this letter been printed and put in the post?',
    detail: `Marking it records the letter to ${to} as sent on the case. It cannot be undone.`,
    confirm: 'Yes, mark printed and posted',
    pending: 'Marking…',
    tone: 'button',
  };
  return (
    <>
      <div className="letter-print__controls">
        <ErrorSummary error={toUiError(mark.error)} />
        <div className="letter-print__actions">
          <button type="button" className="button" onClick={() => window.print()}>
            Print letter
          </button>
          {canMark && <ConfirmedAction question={question} askClass="button button--secondary" isPending={mark.isPending} onConfirm={confirm} />}
        </div>
      </div>
      <LetterSheet letter={letter} />
    </>
  );
}

function DoNotPost({ letter, canWithdraw, onDone }: { letter: LetterToPrint; canWithdraw: boolean; onDone: (outcome: Outcome) => void }) {
  const withdraw = useWithdrawLetter();
  const to = addressee(letter);
  const reason = letter.doNotPrint ?? '';
  function confirm() {
    withdraw.mutate(
      { letterId: letter.id, reason: `Not posted: ${reason}` },
      {
        onSuccess: () => onDone({ kind: 'done', message: `The letter to ${to} is withdrawn and will not be posted.` }),
        onError: (error) => {
          const refused = refusedOutcome(error, `The letter to ${to} was not withdrawn.`);
          if (refused) onDone(refused);
        },
      },
    );
  }
  const question: Question = {
    ask: 'Withdraw, do not post',
    title: `Withdraw the letter to ${to}?`,
    detail: 'It leaves the print queue and is never posted.',
    confirm: 'Yes, withdraw it',
    pending: 'Withdrawing…',
    tone: 'button--warning',
  };
  return (
    <>
      {/* Printed in place of the letter, should anyone try. */}
      <div className="letter-do-not-post letter-do-not-post--page" data-testid="do-not-post">
        <h2 id={DO_NOT_POST_ID} tabIndex={-1}>
          Do not post this letter
        </h2>
        <p>{reason}.</p>
        <p>It is not laid out for printing. Withdraw it so that no one posts it; the case&rsquo;s record will show it withdrawn and why.</p>
      </div>
      <div className="letter-print__controls">
        <ErrorSummary error={toUiError(withdraw.error)} />
        {canWithdraw && <ConfirmedAction question={question} askClass="button button--warning" isPending={withdraw.isPending} onConfirm={confirm} />}
        {!canWithdraw && <p>Ask someone who may withdraw messages to withdraw it.</p>}
      </div>
      <LetterSheet letter={letter} className="letter-sheet--do-not-post" />
    </>
  );
}
