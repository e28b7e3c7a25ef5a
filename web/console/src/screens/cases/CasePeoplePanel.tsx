import { useState, type FormEvent } from 'react';
import { useAddCasePerson, useChangeCasePerson, useRemoveCasePerson, type CasePerson, type CaseView, type NewCasePersonInput } from '../../api/cases.ts';
import { toUiError } from '../../api/errors.ts';
import { ErrorSummary, InlineError, SmsOptedOutNote, StatusMessage, fieldMessage } from '../../components.tsx';
import { VictimPreferencesSlot } from './VictimPreferencesSlot.tsx';
import { VictimPostalAddress } from './VictimPostalAddress.tsx';

// The people on a case: each with their role; a victim with their enhanced rights (Victims' Code:
// updates within one working day, not five), their contact preferences, and whether their number
// replied STOP to our texts (decision 0059), and their postal address for letters (decision 0136).
// An investigator adds a victim, witness or suspect, marks a victim's enhanced rights, keeps
// their postal address, and removes someone.

type Role = NewCasePersonInput['role'];
const ROLE_LABELS: Record<Role, string> = { victim: 'Victim', witness: 'Witness', suspect: 'Suspect' };
const FIELD_IDS: Record<string, string> = { role: 'person-role', name: 'person-name', email: 'person-email', phone: 'person-phone' };

function PersonRow({ caseId, person, canInvestigate }: { caseId: string; person: CasePerson; canInvestigate: boolean }) {
  const change = useChangeCasePerson(caseId);
  const remove = useRemoveCasePerson(caseId);
  const [said, setSaid] = useState<string | null>(null);
  const error = toUiError(change.error ?? remove.error);
  const setRights = (enhancedRights: boolean) =>
    change.mutate(
      { casePersonId: person.id, enhancedRights },
      { onSuccess: () => setSaid(enhancedRights ? `${person.name} has enhanced rights: their updates are due within 1 working day.` : `${person.name}'s updates are due within 5 working days.`) },
    );
  return (
    <li data-testid="case-person" data-role={person.role}>
      <strong>{person.name || 'Name not known'}</strong> ({ROLE_LABELS[person.role]})
      {(person.email || person.phone) && <span className="hint"> · {[person.email, person.phone].filter(Boolean).join(' · ')}</span>}
      {person.smsOptedOutAt && <SmsOptedOutNote number={person.phone} at={person.smsOptedOutAt} source={person.smsOptOutSource} />}
      {error && <ErrorSummary error={error} focus={false} />}
      {person.role === 'victim' &&
        (canInvestigate ? (
          <label className="checkbox">
            <input type="checkbox" data-testid="enhanced-rights" checked={person.enhancedRights} disabled={change.isPending} onChange={(e) => setRights(e.target.checked)} /> Enhanced rights under the
            Victims’ Code (vulnerable, intimidated, persistently targeted, or a victim of the most serious crime): updates within 1 working day
          </label>
        ) : (
          <p>{person.enhancedRights ? 'Enhanced rights under the Victims’ Code: updates within 1 working day' : 'Updates within 5 working days'}</p>
        ))}
      <StatusMessage message={said} />
      {person.role === 'victim' && <VictimPostalAddress caseId={caseId} person={person} canChange={canInvestigate} />}
      {person.role === 'victim' && <VictimPreferencesSlot caseId={caseId} victimId={person.id} canChange={canInvestigate} smsOptOut={person.smsOptOutSource} />}
      {canInvestigate && (
        <button
          type="button"
          className="button button--secondary"
          aria-disabled={remove.isPending}
          onClick={() => {
            if (!remove.isPending && window.confirm(`Remove ${person.name} from the case? They stay in its history.`)) remove.mutate(person.id);
          }}
        >
          Remove {person.name} from the case
        </button>
      )}
    </li>
  );
}

function AddPersonForm({ caseId }: { caseId: string }) {
  const add = useAddCasePerson(caseId);
  const [role, setRole] = useState<Role>('victim');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [enhancedRights, setEnhancedRights] = useState(false);
  const error = toUiError(add.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (add.isPending) return;
    const body: NewCasePersonInput = { role, name: name.trim(), email: email.trim() || null, phone: phone.trim() || null, ...(role === 'victim' ? { enhancedRights } : {}) };
    add.mutate(body, {
      onSuccess: () => {
        setName('');
        setEmail('');
        setPhone('');
        setEnhancedRights(false);
      },
    });
  }
  const field = (path: string, label: string, value: string, set: (v: string) => void, type = 'text') => {
    const message = fieldMessage(error, path);
    const id = FIELD_IDS[path] ?? path;
    return (
      <div className={`field${message ? ' field--error' : ''}`}>
        <label htmlFor={id}>{label}</label>
        <InlineError id={`${id}-error`} message={message} />
        <input id={id} type={type} value={value} onChange={(e) => set(e.target.value)} aria-describedby={message ? `${id}-error` : undefined} />
      </div>
    );
  };
  return (
    <form onSubmit={submit} noValidate className="form" data-testid="add-person">
      <h3>Add person</h3>
      <ErrorSummary error={error} fieldIds={FIELD_IDS} />
      <div className="field">
        <label htmlFor={FIELD_IDS.role}>Role</label>
        <select id={FIELD_IDS.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {(Object.keys(ROLE_LABELS) as Role[]).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      {field('name', 'Name', name, setName)}
      {field('email', 'Email address (optional)', email, setEmail, 'email')}
      {field('phone', 'Phone number (optional)', phone, setPhone, 'tel')}
      {role === 'victim' && (
        <label className="checkbox">
          <input type="checkbox" checked={enhancedRights} onChange={(e) => setEnhancedRights(e.target.checked)} /> Enhanced rights under the Victims’ Code (updates within 1 working day)
        </label>
      )}
      <button type="submit" className="button" aria-disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add person'}
      </button>
    </form>
  );
}

/** The case's people, with what an investigator may do about them. */
export function CasePeoplePanel({ view, canInvestigate }: { view: CaseView; canInvestigate: boolean }) {
  return (
    <section aria-labelledby="h-case-people">
      <h2 id="h-case-people">People</h2>
      {view.people.length === 0 ? (
        <p>No people are recorded on this case.</p>
      ) : (
        <ul data-testid="case-people">
          {view.people.map((person) => (
            <PersonRow key={person.id} caseId={view.id} person={person} canInvestigate={canInvestigate} />
          ))}
        </ul>
      )}
      {canInvestigate && <AddPersonForm caseId={view.id} />}
    </section>
  );
}
