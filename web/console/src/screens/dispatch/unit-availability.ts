// Booking a unit available, unavailable (with a reason) or off duty from the unit board. The
// choices are the moves the unit's machine allows next, as the API lists them on the unit
// (`moves`), so the board never offers one the server would refuse; en route, on scene and clear
// are made on the incident's screen.
import type { UnitMove, UnitView } from '../../api/dispatch.ts';
import { invalidFields, type UiError } from '../../api/errors.ts';

export type AvailabilityMove = Extract<UnitMove, 'available' | 'unavailable' | 'off_duty'>;
export type AvailabilityChoice = { move: AvailabilityMove; label: string };

/** The most a reason may be, as the API takes it. */
export const UNIT_REASON_MAX = 200;
/** The least a reason may be, as the API takes it. */
export const UNIT_REASON_MIN = 3;

const ORDER: readonly AvailabilityMove[] = ['available', 'unavailable', 'off_duty'];

/** The availability moves to offer for the unit, in the order of the board's groups. */
export function availabilityChoices(unit: Pick<UnitView, 'status' | 'moves'>): AvailabilityChoice[] {
  return ORDER.filter((move) => unit.moves.includes(move)).map((move) => {
    switch (move) {
      case 'available':
        return { move, label: unit.status === 'off_duty' ? 'Book on' : 'Book available' };
      case 'unavailable':
        // Booked unavailable again, it is the reason that changes.
        return { move, label: unit.status === 'unavailable' ? 'Change reason' : 'Book unavailable' };
      case 'off_duty':
        return { move, label: 'Book off duty' };
    }
  });
}

/** The reason as it will be sent (trimmed), or what is wrong with it; `missing` says what to enter when it is blank. */
export function readReason(typed: string, missing = 'Enter why the unit is unavailable'): string | UiError {
  const reason = typed.trim();
  if (reason === '') return invalidFields([{ path: 'reason', message: missing }]);
  if (reason.length < UNIT_REASON_MIN) return invalidFields([{ path: 'reason', message: `Reason must be at least ${UNIT_REASON_MIN} characters` }]);
  if (reason.length > UNIT_REASON_MAX) return invalidFields([{ path: 'reason', message: `Reason must be ${UNIT_REASON_MAX} characters or fewer` }]);
  return reason;
}

/** What the board says once a move is made. */
export function describeBooked(callSign: string, move: AvailabilityMove, reason?: string): string {
  switch (move) {
    case 'available':
      return `${callSign} is available.`;
    case 'unavailable':
      return `${callSign} is unavailable: ${reason ?? ''}.`;
    case 'off_duty':
      return `${callSign} is off duty.`;
  }
}
