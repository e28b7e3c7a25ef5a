import { useEffect, useRef, useState, type FormEvent } from 'react';
import { toUiError } from '../../api/errors.ts';
import type { CapacityClass, SkillName, StaffRoleName } from '../../api/types.ts';
import { ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { CAPACITY_CLASSES } from '../../labels.ts';
import { humanize } from '../../format.ts';
import { useAddStaff } from './admin-api.ts';
import { ROLES, ROLE_LABELS, ROUTED_ROLES, SKILLS, isRoleName } from './admin-labels.ts';

export type Issued = { name: string; email: string; oneTimePassword: string; isNew: boolean };

/**
 * Adds a member of staff: name, email, role, and for someone who works the queue their skills and
 * capacity (blank keeps the role's default). The one-time password is handed to `onAdded`, which
 * shows it once.
 */
export function StaffAddForm({ onAdded }: { onAdded: (issued: Issued) => void }) {
  const add = useAddStaff();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<StaffRoleName>('call_handler');
  const [skills, setSkills] = useState<SkillName[]>([]);
  const [capacity, setCapacity] = useState<Partial<Record<CapacityClass, string>>>({});
  const error = toUiError(add.error);
  const isRouted = ROUTED_ROLES.has(role);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (add.isPending) return;
    const numbers: Partial<Record<CapacityClass, number>> = {};
    for (const key of CAPACITY_CLASSES) {
      const text = capacity[key]?.trim();
      if (text) numbers[key] = Number(text);
    }
    add.mutate(
      { name, email, role, ...(isRouted ? { skills, capacity: numbers } : {}) },
      {
        onSuccess: (result) => {
          onAdded({ name: result.staff.name, email: result.staff.email, oneTimePassword: result.oneTimePassword, isNew: true });
          setName('');
          setEmail('');
          setSkills([]);
          setCapacity({});
          add.reset();
        },
      },
    );
  }

  const nameError = fieldMessage(error, 'name');
  const emailError = fieldMessage(error, 'email');
  const roleError = fieldMessage(error, 'role');
  return (
    <form onSubmit={submit} noValidate className="form" aria-labelledby="h-staff-add" data-testid="staff-add-form">
      <h2 id="h-staff-add">Add a member of staff</h2>
      <p className="hint">They get a one-time password, shown here once, and choose their own at first sign-in.</p>
      <ErrorSummary error={error} fieldIds={{ name: 'staff-add-name', email: 'staff-add-email', role: 'staff-add-role' }} />
      <div className={`field${nameError ? ' field--error' : ''}`}>
        <label htmlFor="staff-add-name">Full name</label>
        <InlineError id="staff-add-name-error" message={nameError} />
        <input id="staff-add-name" type="text" autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={nameError ? true : undefined} aria-describedby={nameError ? 'staff-add-name-error' : undefined} />
      </div>
      <div className={`field${emailError ? ' field--error' : ''}`}>
        <label htmlFor="staff-add-email">Email address</label>
        <InlineError id="staff-add-email-error" message={emailError} />
        <input id="staff-add-email" type="email" autoComplete="off" spellCheck={false} value={email} onChange={(e) => setEmail(e.target.value)} aria-invalid={emailError ? true : undefined} aria-describedby={emailError ? 'staff-add-email-error' : undefined} />
      </div>
      <div className={`field${roleError ? ' field--error' : ''}`}>
        <label htmlFor="staff-add-role">Role</label>
        <InlineError id="staff-add-role-error" message={roleError} />
        <select id="staff-add-role" value={role} onChange={(e) => isRoleName(e.target.value) && setRole(e.target.value)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      {isRouted && (
        <>
          <fieldset className="field">
            <legend>Skills</legend>
            {SKILLS.map((skill) => (
              <div key={skill.key} className="checkbox">
                <input
                  type="checkbox"
                  id={`staff-add-skill-${skill.key}`}
                  checked={skills.includes(skill.key)}
                  onChange={(e) => setSkills(e.target.checked ? [...skills, skill.key] : skills.filter((s) => s !== skill.key))}
                />{' '}
                <label htmlFor={`staff-add-skill-${skill.key}`}>{skill.label}</label>
              </div>
            ))}
          </fieldset>
          <fieldset className="field">
            <legend>Capacity: how many of each they hold at once (blank keeps the role’s default)</legend>
            <div className="field--inline">
              {CAPACITY_CLASSES.map((key) => {
                const message = fieldMessage(error, `capacity.${key}`);
                return (
                  <span key={key}>
                    <label htmlFor={`staff-add-capacity-${key}`}>{humanize(key)}</label>{' '}
                    <input
                      id={`staff-add-capacity-${key}`}
                      className="input--narrow"
                      type="text"
                      inputMode="numeric"
                      value={capacity[key] ?? ''}
                      onChange={(e) => setCapacity({ ...capacity, [key]: e.target.value })}
                      aria-invalid={message ? true : undefined}
                    />
                  </span>
                );
              })}
            </div>
          </fieldset>
        </>
      )}
      <button type="submit" className="button" data-testid="staff-add-submit" aria-disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add member of staff'}
      </button>
    </form>
  );
}

/** Where the one-time password is shown, once; focus moves here so a screen reader reads it. */
export function IssuedPassword({ issued }: { issued: Issued }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: 'center' });
  }, [issued]);
  return (
    <div ref={ref} className="result result--ok" id="staff-issued" tabIndex={-1} role="status" data-testid="staff-one-time-password">
      <h2>
        {issued.isNew ? 'Account created for' : 'New one-time password for'} {issued.name}
      </h2>
      <p>
        Give this one-time password to {issued.name} ({issued.email}) in person or by phone. It is shown only now; they must change it
        when they sign in.
      </p>
      <p className="mono">
        <strong data-testid="one-time-password">{issued.oneTimePassword}</strong>
      </p>
    </div>
  );
}
