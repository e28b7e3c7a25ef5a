import { useState, type FormEvent, type ReactNode } from 'react';
import type { AreaView, UnitView } from '../../api/dispatch.ts';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { NewUnitInput, UnitChanges } from '../../api/types.ts';
import { ErrorSummary, InlineError } from '../../components.tsx';
import { useAddUnit, useChangeUnit } from './units-api.ts';

const FIELDS = ['callSign', 'type', 'capabilities', 'homeStation', 'homeAreaId'] as const;
type Field = (typeof FIELDS)[number];
const inputId = (field: Field) => `unit-${field}`;

/** The field a refusal names ("capabilities.1" is the capabilities input), or null for the unit as a whole. */
function fieldOf(path: string): Field | null {
  const key = path.split('.')[0];
  return FIELDS.find((field) => field === key) ?? null;
}

/** The first problem the server found with `field`, whichever item of a list it was. */
function messageFor(error: UiError | null, field: Field): string | null {
  return error?.fields.find((f) => fieldOf(f.path) === field)?.message ?? null;
}

/** Capabilities as typed, one per comma, as the server takes them (it says which one is not a code). */
function capabilitiesOf(text: string): string[] {
  return text
    .split(',')
    .map((code) => code.trim())
    .filter((code) => code !== '');
}

const sameSet = (a: readonly string[], b: readonly string[]) => [...new Set(a)].sort().join('\n') === [...new Set(b)].sort().join('\n');

/**
 * Adds a unit to the force's fleet, or changes a unit's type, capabilities or home. A unit's call
 * sign is its name on the radio and is not changed here; its status moves in the control room.
 * A change sends only the fields that differ from the unit as the form opened it, so another
 * admin's change to a field left alone here stands.
 */
export function UnitForm({
  unit: shown,
  areas,
  knownTypes,
  knownCapabilities,
  onDone,
  onCancel,
}: {
  unit: UnitView | null;
  areas: readonly AreaView[];
  knownTypes: readonly string[];
  knownCapabilities: readonly string[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  // The unit as the form opened it: the list refreshes underneath, and comparing with a newer
  // version would send back, as this admin's change, what another admin changed meanwhile.
  const [unit] = useState(shown);
  const add = useAddUnit();
  const change = useChangeUnit();
  const [callSign, setCallSign] = useState('');
  const [type, setType] = useState(unit?.type ?? '');
  const [capabilities, setCapabilities] = useState(unit?.capabilities.join(', ') ?? '');
  const [homeStation, setHomeStation] = useState(unit?.homeStation ?? '');
  const [homeAreaId, setHomeAreaId] = useState(unit?.homeAreaId ?? '');
  const isPending = add.isPending || change.isPending;
  const error = toUiError(unit ? change.error : add.error);
  // Each refusal in the summary links to its input, whichever item of a list it names.
  const fieldIds = Object.fromEntries(
    (error?.fields ?? []).flatMap((f) => {
      const named = fieldOf(f.path);
      return named ? [[f.path, inputId(named)]] : [];
    }),
  );
  const title = unit ? `Change ${unit.callSign}` : 'Add a unit';
  const headingId = 'h-unit-form';

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (isPending) return;
    const station = homeStation.trim();
    if (!unit) {
      const body: NewUnitInput = {
        callSign,
        type: type.trim(),
        capabilities: capabilitiesOf(capabilities),
        ...(station !== '' ? { homeStation: station } : {}),
        ...(homeAreaId !== '' ? { homeAreaId } : {}),
      };
      add.mutate(body, { onSuccess: (added) => onDone(`${added.callSign} added. It is available.`) });
      return;
    }
    const changes: UnitChanges = {};
    if (type.trim() !== unit.type) changes.type = type.trim();
    const codes = capabilitiesOf(capabilities);
    if (!sameSet(codes, unit.capabilities)) changes.capabilities = codes;
    if ((station === '' ? null : station) !== unit.homeStation) changes.homeStation = station === '' ? null : station;
    if ((homeAreaId === '' ? null : homeAreaId) !== unit.homeAreaId) changes.homeAreaId = homeAreaId === '' ? null : homeAreaId;
    if (Object.keys(changes).length === 0) {
      onDone('Nothing changed.');
      return;
    }
    change.mutate({ unitId: unit.id, changes }, { onSuccess: (changed) => onDone(`${changed.callSign} saved.`) });
  }

  const field = (name: Field, label: string, control: (describedBy: string | undefined, message: string | null) => ReactNode, hint?: ReactNode) => {
    const message = messageFor(error, name);
    const id = inputId(name);
    const describedBy = [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
        <InlineError id={`${id}-error`} message={message} />
        {control(describedBy, message)}
      </div>
    );
  };
  const text = (name: Field, value: string, onChange: (value: string) => void, extra: { list?: string; className?: string } = {}) => (describedBy: string | undefined, message: string | null) => (
    <input
      id={inputId(name)}
      type="text"
      autoComplete="off"
      spellCheck={false}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      aria-describedby={describedBy}
      aria-invalid={message ? true : undefined}
      {...extra}
    />
  );

  return (
    <form onSubmit={submit} noValidate className="form panel" aria-labelledby={headingId} data-testid="unit-form">
      <h2 id={headingId} tabIndex={-1}>
        {title}
      </h2>
      <ErrorSummary error={error} fieldIds={fieldIds} />
      {!unit &&
        field(
          'callSign',
          'Call sign',
          text('callSign', callSign, setCallSign, { className: 'input--narrow' }),
          'Letters, digits, spaces and hyphens. It is kept in capitals without spaces: “nc 7” is NC7.',
        )}
      {field(
        'type',
        'Type',
        text('type', type, setType, { list: 'unit-known-types' }),
        knownTypes.length > 0 ? <>The force’s own word for it, in lower case with underscores, such as {knownTypes.slice(0, 3).join(', ')}.</> : 'In lower case with underscores, such as response or armed_response.',
      )}
      <datalist id="unit-known-types">
        {knownTypes.map((known) => (
          <option key={known} value={known} />
        ))}
      </datalist>
      {field(
        'capabilities',
        'Capabilities',
        text('capabilities', capabilities, setCapabilities),
        <>
          Separated by commas, in lower case with underscores, such as taser, first_aid_2. Incidents needing one are recommended units that have it.
          {knownCapabilities.length > 0 && <> The force’s units have: {knownCapabilities.join(', ')}.</>}
        </>,
      )}
      {field('homeStation', 'Home station (optional)', text('homeStation', homeStation, setHomeStation), 'The station it works from, as the force names it.')}
      {field(
        'homeAreaId',
        'Home district or beat (optional)',
        (describedBy, message) => (
          <select id={inputId('homeAreaId')} value={homeAreaId} onChange={(e) => setHomeAreaId(e.target.value)} aria-describedby={describedBy} aria-invalid={message ? true : undefined}>
            <option value="">None</option>
            {areas.map((area) => (
              <option key={area.id} value={area.id}>
                {area.name} ({area.kind})
              </option>
            ))}
          </select>
        ),
        'The unit board lists the unit under it.',
      )}
      <div className="actions">
        <button type="submit" className="button" aria-disabled={isPending} data-testid="unit-save">
          {unit ? 'Save the change' : 'Add the unit'}
        </button>{' '}
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
