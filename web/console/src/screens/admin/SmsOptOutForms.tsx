// Recording by hand that a number is not to be texted, and lifting one staff recorded (decision
// 0071): a number and a reason each. What the server refuses (not a number, no reason, already
// opted out, a STOP the person texted) is shown by the field or at the top of the form.
import { forwardRef, useState, type FormEvent } from 'react';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { useChangeSmsOptOut } from './admin-api.ts';

type Change = 'record' | 'lift';

const WORDS: Record<Change, { heading: string; hint: string; reasonHint: string; submit: string; pending: string; done: (number: string) => string }> = {
  record: {
    heading: 'Record an opt-out',
    hint: 'For a person who asked not to be texted another way: on the phone, or in a text that is not just STOP (“stop texting me”). Nothing is texted to the number until the person texts START or staff lift it.',
    reasonHint: 'For example: asked by phone, or texted “stop texting me”',
    submit: 'Record opt-out',
    pending: 'Recording…',
    done: (number) => `Recorded: ${number} will not be texted.`,
  },
  lift: {
    heading: 'Lift an opt-out staff recorded',
    hint: 'Only an opt-out recorded by staff can be lifted here. A person who texted STOP is texted again only when they text START.',
    reasonHint: 'For example: recorded against the wrong number, or the person asked for texts again',
    submit: 'Lift opt-out',
    pending: 'Lifting…',
    done: (number) => `Lifted: ${number} may be texted again.`,
  },
};

type Props = { change: Change; number: string; onNumberChange: (number: string) => void };

/** One form: the number and why; says what it did once the server has done it. */
export const SmsOptOutChangeForm = forwardRef<HTMLInputElement, Props>(function SmsOptOutChangeForm({ change, number, onNumberChange }, reasonRef) {
  const mutation = useChangeSmsOptOut();
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const error = toUiError(mutation.error);
  const words = WORDS[change];
  const ids = { number: `opt-out-${change}-number`, reason: `opt-out-${change}-reason` };
  const numberError = fieldMessage(error, 'number');
  const reasonError = fieldMessage(error, 'reason');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (mutation.isPending) return;
    setDone(null);
    mutation.mutate(
      { change, number, reason },
      {
        onSuccess: (result) => {
          setDone(words.done(result.phoneNumber));
          onNumberChange('');
          setReason('');
          mutation.reset();
        },
      },
    );
  }

  const describedBy = (id: string, message: string | null) => [`${id}-hint`, message ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <form onSubmit={submit} noValidate className="form" aria-labelledby={`h-opt-out-${change}`} data-testid={`opt-out-${change}-form`}>
      <h2 id={`h-opt-out-${change}`}>{words.heading}</h2>
      <p className="hint">{words.hint}</p>
      <ErrorSummary error={error} fieldIds={{ number: ids.number, reason: ids.reason }} />
      {done && (
        <p className="result result--ok" role="status" data-testid={`opt-out-${change}-done`}>
          {done}
        </p>
      )}
      <div className={`field${numberError ? ' field--error' : ''}`}>
        <label htmlFor={ids.number}>Phone number</label>
        <p className="hint" id={`${ids.number}-hint`}>
          Written any way, for example 07700 900123 or +44 7700 900123
        </p>
        <InlineError id={`${ids.number}-error`} message={numberError} />
        <input
          id={ids.number}
          type="tel"
          autoComplete="off"
          maxLength={40}
          value={number}
          onChange={(e) => onNumberChange(e.target.value)}
          aria-invalid={numberError ? true : undefined}
          aria-describedby={describedBy(ids.number, numberError)}
        />
      </div>
      <div className={`field${reasonError ? ' field--error' : ''}`}>
        <label htmlFor={ids.reason}>Reason</label>
        <p className="hint" id={`${ids.reason}-hint`}>
          {words.reasonHint}
        </p>
        <InlineError id={`${ids.reason}-error`} message={reasonError} />
        <input
          id={ids.reason}
          ref={reasonRef}
          type="text"
          autoComplete="off"
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={describedBy(ids.reason, reasonError)}
        />
      </div>
      <button type="submit" className="button" aria-disabled={mutation.isPending}>
        {mutation.isPending ? words.pending : words.submit}
      </button>
    </form>
  );
});
