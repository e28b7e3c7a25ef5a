import { useState, type FormEvent } from 'react';
import { useChangeCasePerson, type CasePerson } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, StatusMessage, fieldMessage } from '../../components.tsx';

// A victim's postal address (decision 0136): where their journey's letters go when they have no
// email address or phone number, or prefer letters. Shown as text (it is typed by people and
// never trusted as markup); an investigator adds, changes or clears it, and the server's reasons
// for refusing one are shown against each field, as the GOV.UK address pattern does.

type Fields = { line1: string; line2: string; line3: string; town: string; postcode: string };

function fieldsOf(person: CasePerson): Fields {
  const address = person.postalAddress;
  return { line1: address?.lines[0] ?? '', line2: address?.lines[1] ?? '', line3: address?.lines[2] ?? '', town: address?.town ?? '', postcode: address?.postcode ?? '' };
}

/** The address on one line, as the people panel lists it. */
export function postalAddressText(address: NonNullable<CasePerson['postalAddress']>): string {
  return [...address.lines, address.town, address.postcode].join(', ');
}

/** A victim's postal address: shown, and for an investigator a form to add, change or clear it. */
export function VictimPostalAddress({ caseId, person, canChange }: { caseId: string; person: CasePerson; canChange: boolean }) {
  const change = useChangeCasePerson(caseId);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(person));
  const [said, setSaid] = useState<string | null>(null);
  const error = toUiError(change.error);
  const id = (name: string) => `postal-${person.id}-${name}`;
  // The server names each field by where it sits in the request; a problem with the lines as a whole belongs to the first.
  const fieldIds: Record<string, string> = {
    'postalAddress.lines': id('line1'),
    'postalAddress.lines.0': id('line1'),
    'postalAddress.lines.1': id('line2'),
    'postalAddress.lines.2': id('line3'),
    'postalAddress.town': id('town'),
    'postalAddress.postcode': id('postcode'),
    postalAddress: id('line1'),
  };
  const messageFor = (...paths: string[]) => paths.map((path) => fieldMessage(error, path)).find((m) => m !== null) ?? null;

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (change.isPending) return;
    // Line 1 goes as typed (an empty one is refused with its reason); the others only when given.
    const lines = [fields.line1, ...[fields.line2, fields.line3].filter((line) => line.trim() !== '')];
    change.mutate(
      { casePersonId: person.id, postalAddress: { lines, town: fields.town, postcode: fields.postcode } },
      { onSuccess: () => setSaid(`Postal address saved: letters to ${person.name || 'this victim'} go there.`) },
    );
  }
  function clear() {
    if (change.isPending) return;
    change.mutate(
      { casePersonId: person.id, postalAddress: null },
      {
        onSuccess: () => {
          setFields({ line1: '', line2: '', line3: '', town: '', postcode: '' });
          setSaid(`Postal address cleared: no letters will be written to ${person.name || 'this victim'}.`);
        },
      },
    );
  }
  const input = (name: keyof Fields, label: string, paths: string[], autoComplete: string) => {
    const message = messageFor(...paths);
    return (
      <div className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id(name)}>{label}</label>
        <InlineError id={`${id(name)}-error`} message={message} />
        <input
          id={id(name)}
          type="text"
          autoComplete={autoComplete}
          value={fields[name]}
          onChange={(e) => setFields({ ...fields, [name]: e.target.value })}
          aria-describedby={message ? `${id(name)}-error` : undefined}
          aria-invalid={message ? true : undefined}
        />
      </div>
    );
  };

  return (
    <div data-testid="victim-postal-address">
      <p>{person.postalAddress ? `Postal address: ${postalAddressText(person.postalAddress)}` : 'No postal address: they cannot be sent letters.'}</p>
      {canChange && (
        <details>
          <summary>{person.postalAddress ? 'Change or clear their postal address' : 'Add a postal address for letters'}</summary>
          <form onSubmit={save} noValidate className="form">
            <ErrorSummary error={error} fieldIds={fieldIds} />
            <fieldset>
              <legend>Postal address of {person.name || 'the victim'}</legend>
              {input('line1', 'Address line 1', ['postalAddress.lines.0', 'postalAddress.lines', 'postalAddress'], 'address-line1')}
              {input('line2', 'Address line 2 (optional)', ['postalAddress.lines.1'], 'address-line2')}
              {input('line3', 'Address line 3 (optional)', ['postalAddress.lines.2'], 'address-line3')}
              {input('town', 'Town or city', ['postalAddress.town'], 'address-level2')}
              {input('postcode', 'Postcode', ['postalAddress.postcode'], 'postal-code')}
            </fieldset>
            <button type="submit" className="button" aria-disabled={change.isPending}>
              {change.isPending ? 'Saving…' : 'Save postal address'}
            </button>
            {person.postalAddress && (
              <button type="button" className="button button--secondary" aria-disabled={change.isPending} onClick={clear}>
                Clear postal address
              </button>
            )}
          </form>
        </details>
      )}
      <StatusMessage message={said} />
    </div>
  );
}
