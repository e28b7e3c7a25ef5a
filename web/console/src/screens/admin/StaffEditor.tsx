import { useState, type FormEvent } from 'react';
import { toUiError, type UiError } from '../../api/errors.ts';
import type { CapacityClass, SkillName, StaffAccount, StaffRoleName } from '../../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { humanize } from '../../format.ts';
import { CAPACITY_CLASSES } from '../../labels.ts';
import { useChangeStaffRole, useSetRoutingProfile } from './admin-api.ts';
import { ROLES, ROLE_LABELS, SKILLS, isRoleName, isSkillName } from './admin-labels.ts';

/**
 * One colleague's role, and (for someone who works the queue) skills and capacity. Two forms: a
 * role change is its own decision, with its own consequence (leaving the queue gives work back).
 */
export function StaffEditor({ person, onDone }: { person: StaffAccount; onDone: (message: string) => void }) {
  return (
    <section className="panel" aria-labelledby="h-staff-edit" data-testid="staff-editor">
      <h2 id="h-staff-edit" tabIndex={-1}>
        Change {person.name}
      </h2>
      <RoleForm person={person} onDone={onDone} />
      {person.routing && <ProfileForm key={person.id} person={person} routing={person.routing} onDone={onDone} />}
    </section>
  );
}

function RoleForm({ person, onDone }: { person: StaffAccount; onDone: (message: string) => void }) {
  const change = useChangeStaffRole();
  const [role, setRole] = useState<StaffRoleName>(isRoleName(person.role) ? person.role : 'call_handler');
  const error = toUiError(change.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (change.isPending) return;
    change.mutate(
      { staffId: person.id, role },
      {
        onSuccess: (result) => {
          const returned = result.returnedContacts > 0 ? ` ${result.returnedContacts} of their contacts went back to the queue.` : '';
          onDone(`${person.name} is now ${ROLE_LABELS[role].toLowerCase()}.${returned}`);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary error={error} fieldIds={{ role: 'staff-edit-role' }} />
      <div className="field">
        <label htmlFor="staff-edit-role">Role</label>
        <p className="hint" id="staff-edit-role-hint">
          Their permissions change at once. A role that does not work the queue gives their open contacts back.
        </p>
        <select id="staff-edit-role" aria-describedby="staff-edit-role-hint" value={role} onChange={(e) => isRoleName(e.target.value) && setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--secondary" data-testid="staff-role-submit" aria-disabled={change.isPending}>
        Change role
      </button>
    </form>
  );
}

function ProfileForm({
  person,
  routing,
  onDone,
}: {
  person: StaffAccount;
  routing: NonNullable<StaffAccount['routing']>;
  onDone: (message: string) => void;
}) {
  const save = useSetRoutingProfile();
  const [skills, setSkills] = useState<SkillName[]>(routing.skills.filter(isSkillName));
  const [capacity, setCapacity] = useState<Partial<Record<CapacityClass, string>>>(() => {
    const values: Partial<Record<CapacityClass, string>> = {};
    for (const key of CAPACITY_CLASSES) values[key] = String(routing.capacity[key] ?? '');
    return values;
  });
  const [invalid, setInvalid] = useState<UiError | null>(null);
  const error = toUiError(save.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (save.isPending) return;
    const numbers: Partial<Record<CapacityClass, number>> = {};
    for (const key of CAPACITY_CLASSES) {
      const text = (capacity[key] ?? '').trim();
      if (text === '') continue;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0 || n > 50) {
        setInvalid({ message: `Capacity for ${humanize(key).toLowerCase()} must be a whole number from 0 to 50`, fields: [] });
        return;
      }
      numbers[key] = n;
    }
    setInvalid(null);
    save.mutate({ staffId: person.id, skills, capacity: numbers }, { onSuccess: () => onDone(`${person.name}'s skills and capacity are saved.`) });
  }
  return (
    <form onSubmit={submit} noValidate className="form">
      <ErrorSummary error={invalid ?? error} />
      <fieldset className="field">
        <legend>Skills</legend>
        {SKILLS.map((skill) => (
          <div key={skill.key} className="checkbox">
            <input
              type="checkbox"
              id={`staff-edit-skill-${skill.key}`}
              checked={skills.includes(skill.key)}
              onChange={(e) => setSkills(e.target.checked ? [...skills, skill.key] : skills.filter((s) => s !== skill.key))}
            />{' '}
            <label htmlFor={`staff-edit-skill-${skill.key}`}>{skill.label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset className="field">
        <legend>Capacity: how many of each they hold at once</legend>
        <div className="field--inline">
          {CAPACITY_CLASSES.map((key) => (
            <span key={key}>
              <label htmlFor={`staff-edit-capacity-${key}`}>{humanize(key)}</label>{' '}
              <input
                id={`staff-edit-capacity-${key}`}
                className="input--narrow"
                type="text"
                inputMode="numeric"
                value={capacity[key] ?? ''}
                onChange={(e) => setCapacity({ ...capacity, [key]: e.target.value })}
              />
            </span>
          ))}
        </div>
        <InlineError id="staff-edit-capacity-error" message={fieldMessage(error, 'capacity')} />
      </fieldset>
      <button type="submit" className="button button--secondary" data-testid="staff-profile-submit" aria-disabled={save.isPending}>
        Save skills and capacity
      </button>
    </form>
  );
}
