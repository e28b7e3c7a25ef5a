import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { UiError } from './api/errors.ts';
import type { Priority, SlaState } from './api/types.ts';
import { formatCountdown, formatDateTime } from './format.ts';
import { liveSlaState } from './sla.ts';

/** Move keyboard focus to an element by id (used instead of #fragment links, which the hash router owns). */
export function focusById(id: string): void {
  const el = document.getElementById(id);
  if (el) {
    el.focus();
    el.scrollIntoView({ block: 'center' });
  }
}

interface ErrorSummaryProps {
  error: UiError | null;
  /** Maps a field's path in the request body (e.g. "reason", "rules.0.weight") to the id of its input. */
  fieldIds?: Record<string, string>;
  /** Focus the summary when it appears (use for errors caused by the user's own action). */
  focus?: boolean;
}

export function ErrorSummary({ error, fieldIds = {}, focus = true }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (error && focus) ref.current?.focus();
  }, [error, focus]);
  if (!error) return null;
  return (
    <div className="error-summary" ref={ref} tabIndex={-1} role="alert" aria-labelledby={titleId}>
      <h2 id={titleId} className="error-summary__title">
        There is a problem
      </h2>
      <ul className="error-summary__list">
        {error.message && <li>{error.message}</li>}
        {error.fields.map((field, i) => {
          const target = fieldIds[field.path];
          return (
            <li key={`${field.path}-${i}`}>
              {target ? (
                <a
                  href={`#${target}`}
                  onClick={(e) => {
                    e.preventDefault();
                    focusById(target);
                  }}
                >
                  {field.message}
                </a>
              ) : (
                field.message
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** First field-level message for `path`, for inline display next to the input. */
export function fieldMessage(error: UiError | null, path: string): string | null {
  return error?.fields.find((f) => f.path === path)?.message ?? null;
}

export function InlineError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error">
      <span className="visually-hidden">Error: </span>
      {message}
    </p>
  );
}

/**
 * A text input with its label, a hint and, when the server or the form refused it, the reason
 * above it, tied together for screen readers (the GOV.UK pattern). The caller wraps it in its field.
 */
export function HintedTextInput({
  id,
  label,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: ReactNode;
  error: string | null;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
      <InlineError id={`${id}-error`} message={error} />
      <input
        id={id}
        type="text"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
        aria-invalid={error ? true : undefined}
      />
    </>
  );
}

export function PriorityBadge({ priority, label }: { priority: Priority; label: string }) {
  return (
    <span className={`priority priority--${priority}`}>
      <span className="priority__code">P{priority}</span> {label}
    </span>
  );
}

/** Page h1 that takes focus on mount so screen-reader users hear the new page after navigation. */
export function PageHeading({ children, title, id }: { children: ReactNode; title: string; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} – Bluelamp staff console`;
    ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} id={id} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}

/** Polite live region; render it always so updates are announced. */
export function StatusMessage({ message, visible = true, id }: { message: string | null; visible?: boolean; id?: string }) {
  return (
    <p id={id} tabIndex={-1} role="status" aria-live="polite" className={visible && message ? 'notice' : 'visually-hidden'}>
      {message ?? ''}
    </p>
  );
}

export function Loading({ what }: { what: string }) {
  return <p className="loading">Loading {what}…</p>;
}

export function ThreatToLifeBadge() {
  return (
    <span className="ttl-badge" data-testid="ttl-badge">
      Threat to life
    </span>
  );
}

const SLA_ICONS: Partial<Record<SlaState, string>> = { warning: '▲', breached: '■' };

/**
 * A live countdown to an SLA deadline ("Due in 1:45", "Overdue 0:30"), styled by its state. `now`
 * is the server's time (useServerNow). The state is also given in words for screen readers, since
 * colour and icon alone say nothing to them; the words sit outside the counting element.
 */
export function SlaCountdown({
  clock,
  now,
  testId,
}: {
  clock: { state: SlaState; warnAt?: string | null; dueAt: string };
  now: number;
  testId?: string;
}) {
  const state = liveSlaState(clock, now);
  const icon = SLA_ICONS[state];
  return (
    <>
      <span className={`sla sla--${state}`} data-state={state} data-testid={testId} title={`Due ${formatDateTime(clock.dueAt)}`}>
        {icon && (
          <span className="sla__icon" aria-hidden="true">
            {icon}
          </span>
        )}
        {formatCountdown(new Date(clock.dueAt).getTime() - now)}
      </span>
      {state === 'warning' && <span className="visually-hidden"> (nearly due)</span>}
    </>
  );
}

/**
 * Said wherever staff see a person whose number opted out of the force's texts: no text, from a
 * journey or a reply, reaches it until the person texts START; nobody can undo a STOP for them, and
 * an opt-out staff recorded is lifted by staff too (decision 0071).
 */
export function SmsOptedOutNote({ number, at, source }: { number: string | null; at: string; source: 'keyword' | 'staff' | null }) {
  if (source === 'staff') {
    return (
      <p className="opted-out" data-testid="sms-opted-out">
        <strong>Opted out of texts.</strong> Staff recorded on <time dateTime={at}>{formatDateTime(at)}</time> that {number ?? 'their number'} is not to be
        texted. No text will be sent to it until they text START or staff lift it. Reach them another way.
      </p>
    );
  }
  return (
    <p className="opted-out" data-testid="sms-opted-out">
      <strong>Opted out of texts.</strong> {number ?? 'Their number'} replied STOP on <time dateTime={at}>{formatDateTime(at)}</time>. No text will be sent to it
      until they text START. Reach them another way.
    </p>
  );
}

/**
 * A record as it is now, beside the form of a person whose change was refused because someone
 * else changed the record after they opened it (decisions 0079, 0082). Every value is text, never
 * HTML; `lang` marks a value written in another language.
 */
export function AsItIsNow({
  heading,
  facts,
  testId,
  isStacked = false,
  note = 'The fields you had not changed now show it as it is. The fields you changed keep what you entered: nothing is saved until you save again.',
}: {
  heading: string;
  facts: ReadonlyArray<{ term: string; value: string; lang?: string }>;
  testId: string;
  /** One fact under another, for long texts. */
  isStacked?: boolean;
  /** What the form beside it now holds; a list saved whole keeps the person's list rather than mixing the two. */
  note?: string;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="panel" data-testid={testId}>
      <h3 id={headingId}>{heading}</h3>
      <p>{note}</p>
      <dl className={`facts facts--now${isStacked ? ' facts--stacked' : ''}`}>
        {facts.map(({ term, value, lang }) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd lang={lang}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
