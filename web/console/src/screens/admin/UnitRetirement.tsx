// Retiring a unit from the Units page, and reinstating one, for those who manage units
// (`units:manage`, decision 0086). The buttons follow the server: Retire when the unit's
// `fleetMoves` offer it (it is off duty), Reinstate when it is retired. Retiring asks for the
// reason in a short form by the unit, which is the confirmation.
import { useState, type FormEvent } from 'react';
import type { UnitView } from '../../api/dispatch.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, HintedTextInput, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { UNIT_REASON_MAX, readReason } from '../dispatch/unit-availability.ts';
import { useReinstateUnit, useRetireUnit } from './units-api.ts';

const REASON_ID = 'unit-retire-reason';
const DONE_ID = 'unit-retire-done';

/** The page's retirements: one reason form open at a time, one error summary and one announcement. */
export function useUnitRetirements() {
  const retire = useRetireUnit();
  const reinstate = useReinstateUnit();
  const [open, setOpen] = useState<{ unitId: string; reason: string } | null>(null);
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const error = invalid ?? toUiError(retire.error) ?? toUiError(reinstate.error);
  const isPending = retire.isPending || reinstate.isPending;

  function start() {
    retire.reset();
    reinstate.reset();
    setInvalid(null);
    setDone(null);
  }

  /** The unit may leave the list shown, so the control pressed is gone: the news takes focus. */
  function announce(message: string) {
    setOpen(null);
    setDone(message);
    requestAnimationFrame(() => focusById(DONE_ID));
  }

  return {
    open,
    error,
    isPending,
    ask: (unit: UnitView) => {
      start();
      setOpen({ unitId: unit.id, reason: '' });
      requestAnimationFrame(() => focusById(REASON_ID));
    },
    type: (reason: string) => setOpen((current) => (current ? { ...current, reason } : current)),
    cancel: () => {
      start();
      setOpen(null);
    },
    submit: (unit: UnitView) => {
      if (isPending) return;
      const reason = readReason(open?.reason ?? '', `Enter why ${unit.callSign} is being retired`);
      if (typeof reason !== 'string') {
        retire.reset();
        setInvalid(reason);
        return;
      }
      start();
      retire.mutate({ unitId: unit.id, reason }, { onSuccess: (retired) => announce(`${retired.callSign} retired. It is off the unit board and is never recommended or sent.`) });
    },
    reinstate: (unit: UnitView) => {
      if (isPending) return;
      start();
      reinstate.mutate(unit.id, { onSuccess: (back) => announce(`${back.callSign} reinstated. It is off duty until the control room books it on.`) });
    },
    summary: <ErrorSummary error={error} fieldIds={{ reason: REASON_ID }} />,
    announcement: <StatusMessage id={DONE_ID} message={done} />,
  };
}

export type UnitRetirements = ReturnType<typeof useUnitRetirements>;

/** Retire or Reinstate by the unit, as the server offers, and the retirement's reason form when open. */
export function UnitRetirement({ unit, retirements }: { unit: UnitView; retirements: UnitRetirements }) {
  const isOpen = retirements.open?.unitId === unit.id;
  const reasonError = isOpen ? fieldMessage(retirements.error, 'reason') : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    retirements.submit(unit);
  }

  if (isOpen) {
    return (
      <form onSubmit={submit} noValidate className="form unit-reason-form" data-testid="unit-retire-form">
        <div className={`field${reasonError ? ' field--error' : ''}`}>
          <HintedTextInput
            id={REASON_ID}
            label={`Why is ${unit.callSign} being retired?`}
            hint={`For example, sold or written off; up to ${UNIT_REASON_MAX} characters. It leaves the unit board and is never recommended or sent. It stays in past incidents, and its call sign stays taken.`}
            error={reasonError}
            value={retirements.open?.reason ?? ''}
            onChange={retirements.type}
          />
        </div>
        <div className="dispatch-actions">
          <button type="submit" className="button button--warning button--small" aria-disabled={retirements.isPending}>
            {retirements.isPending ? 'Saving…' : `Retire ${unit.callSign}`}
          </button>
          <button type="button" className="button button--secondary button--small" onClick={retirements.cancel}>
            Cancel
          </button>
        </div>
      </form>
    );
  }
  return (
    <>
      {unit.fleetMoves.includes('retire') && (
        <button type="button" className="button button--small button--secondary" aria-disabled={retirements.isPending} onClick={() => retirements.ask(unit)} data-testid="unit-retire">
          Retire<span className="visually-hidden"> {unit.callSign}</span>
        </button>
      )}
      {unit.fleetMoves.includes('reinstate') && (
        <button type="button" className="button button--small button--secondary" aria-disabled={retirements.isPending} onClick={() => retirements.reinstate(unit)} data-testid="unit-reinstate">
          Reinstate<span className="visually-hidden"> {unit.callSign}</span>
        </button>
      )}
    </>
  );
}
