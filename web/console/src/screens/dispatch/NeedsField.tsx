// What units must have for an incident: a box for each capability the force's units have, to
// tick, and a field for others typed as a person would ("First aid-2"). The server puts every one
// in its one form (`first_aid_2`) and refuses one no unit has; the incident then shows what it
// stored. So the console keeps no copy of that rule: it sends what was ticked and typed.
import { useQuery } from '@tanstack/react-query';
import { unitsQuery } from '../../api/dispatch.ts';
import { InlineError } from '../../components.tsx';
import { humanize } from '../../format.ts';

/**
 * The boxes offered: every capability of a unit in the fleet (the list of units leaves retired
 * ones out, as the server does in what an incident may require), and any already chosen that no
 * unit has now, so it can be unticked.
 */
export function useCapabilityChoices(chosen: readonly string[]): string[] {
  const units = useQuery(unitsQuery);
  return [...new Set([...(units.data ?? []).flatMap((unit) => unit.capabilities), ...chosen])].sort();
}

/** The capabilities as boxes to tick, and a text field (`id`) for others; its error is the field's. */
export function NeedsField({
  id,
  chosen,
  other,
  error,
  onChosen,
  onOther,
}: {
  id: string;
  chosen: readonly string[];
  other: string;
  error: string | null;
  onChosen: (chosen: string[]) => void;
  onOther: (other: string) => void;
}) {
  const choices = useCapabilityChoices(chosen);
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <fieldset className={`field${error ? ' field--error' : ''}`} aria-describedby={`${id}-choices-hint`} data-testid="needs">
      <legend>Units must have</legend>
      <p className="hint" id={`${id}-choices-hint`}>
        {choices.length > 0 ? "Tick none for any unit. These are what the force's units have." : 'No unit of the force has a capability yet.'}
      </p>
      {choices.map((capability) => (
        <div key={capability} className="checkbox">
          <input
            type="checkbox"
            id={`${id}-${capability}`}
            checked={chosen.includes(capability)}
            onChange={(event) => onChosen(event.target.checked ? [...chosen, capability] : chosen.filter((c) => c !== capability))}
          />{' '}
          <label htmlFor={`${id}-${capability}`}>{humanize(capability).toLowerCase()}</label>
        </div>
      ))}
      <label htmlFor={id}>Others</label>
      <p className="hint" id={`${id}-hint`}>
        Optional, separated by commas, for example: first aid 2. Each must be one some unit has.
      </p>
      <InlineError id={`${id}-error`} message={error} />
      <input id={id} type="text" value={other} onChange={(event) => onOther(event.target.value)} aria-describedby={describedBy} aria-invalid={error ? true : undefined} />
    </fieldset>
  );
}
