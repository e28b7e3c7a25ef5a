// A unit's availability on the unit board, for those who may move units (`dispatch:act`): book it
// available, off duty, or unavailable with a reason asked for in a short form by the unit.
import { useState, type FormEvent } from 'react';
import { useMoveUnit, type UnitView } from '../../api/dispatch.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import { ErrorSummary, HintedTextInput, StatusMessage, fieldMessage, focusById } from '../../components.tsx';
import { UNIT_REASON_MAX, availabilityChoices, describeBooked, readReason, type AvailabilityMove } from './unit-availability.ts';

const REASON_ID = 'unit-reason';
const DONE_ID = 'unit-board-done';

/** The board's bookings: one reason form open at a time, one error summary and one announcement. */
export function useUnitBookings() {
  const move = useMoveUnit();
  const [open, setOpen] = useState<{ unitId: string; reason: string } | null>(null);
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const error = invalid ?? toUiError(move.error);

  function start() {
    move.reset();
    setInvalid(null);
    setDone(null);
  }

  function book(unit: UnitView, status: AvailabilityMove, reason?: string) {
    if (move.isPending) return;
    start();
    move.mutate(
      { unitId: unit.id, status, ...(reason !== undefined ? { reason } : {}) },
      {
        onSuccess: (moved) => {
          setOpen(null);
          setDone(describeBooked(moved.callSign, status, moved.statusReason ?? reason));
          // The unit moves to another group, so the control pressed is gone: the news takes focus.
          requestAnimationFrame(() => focusById(DONE_ID));
        },
      },
    );
  }

  return {
    open,
    error,
    isPending: move.isPending,
    book,
    /** Opens the reason form by the unit (starting from its current reason when it has one). */
    ask: (unit: UnitView) => {
      start();
      setOpen({ unitId: unit.id, reason: unit.status === 'unavailable' ? (unit.statusReason ?? '') : '' });
      requestAnimationFrame(() => focusById(REASON_ID));
    },
    type: (reason: string) => {
      setOpen((current) => (current ? { ...current, reason } : current));
    },
    cancel: () => {
      start();
      setOpen(null);
    },
    submit: (unit: UnitView) => {
      const reason = readReason(open?.reason ?? '');
      if (typeof reason !== 'string') {
        move.reset();
        setInvalid(reason);
        return;
      }
      book(unit, 'unavailable', reason);
    },
    summary: <ErrorSummary error={error} fieldIds={{ reason: REASON_ID }} />,
    announcement: <StatusMessage id={DONE_ID} message={done} />,
  };
}

export type UnitBookings = ReturnType<typeof useUnitBookings>;

/** The unit's booking buttons, and its reason form when open. */
export function UnitAvailability({ unit, bookings }: { unit: UnitView; bookings: UnitBookings }) {
  const choices = availabilityChoices(unit);
  const isOpen = bookings.open?.unitId === unit.id;
  const formId = `unit-reason-form-${unit.id}`;
  if (choices.length === 0 && !isOpen) return null;
  const reasonError = isOpen ? fieldMessage(bookings.error, 'reason') : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!bookings.isPending) bookings.submit(unit);
  }

  return (
    <>
      {!isOpen && (
        <div className="dispatch-actions" data-testid="unit-moves">
          {choices.map((choice) => (
            <button
              key={choice.move}
              type="button"
              className="button button--secondary button--small"
              aria-disabled={bookings.isPending}
              onClick={() => (choice.move === 'unavailable' ? bookings.ask(unit) : bookings.book(unit, choice.move))}
            >
              {choice.label}
              <span className="visually-hidden"> for {unit.callSign}</span>
            </button>
          ))}
        </div>
      )}
      {isOpen && (
        <form id={formId} onSubmit={submit} noValidate className="form unit-reason-form" data-testid="unit-reason-form">
          <div className={`field${reasonError ? ' field--error' : ''}`}>
            <HintedTextInput
              id={REASON_ID}
              label={`Why is ${unit.callSign} unavailable?`}
              hint={`For example, vehicle defect or at court. Shown on the board; up to ${UNIT_REASON_MAX} characters.`}
              error={reasonError}
              value={bookings.open?.reason ?? ''}
              onChange={bookings.type}
            />
          </div>
          <div className="dispatch-actions">
            <button type="submit" className="button button--small" aria-disabled={bookings.isPending}>
              {bookings.isPending ? 'Saving…' : `Book ${unit.callSign} unavailable`}
            </button>
            <button type="button" className="button button--secondary button--small" onClick={bookings.cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}
