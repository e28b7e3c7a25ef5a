import { useState, type FormEvent } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { isChangedSinceRead, toUiError, type UiError } from '../../api/errors.ts';
import { staffAccountsQuery } from '../../api/queries.ts';
import type { StaffAccount, StaffRoleName } from '../../api/types.ts';
import { AsItIsNow, ErrorSummary, InlineError, fieldMessage } from '../../components.tsx';
import { rebaseChange } from '../../changed-since-opened.ts';
import { ChangedElsewhereNotice, useChangedElsewhere } from '../../changed-elsewhere.tsx';
import { useChangeStaffRole } from './admin-api.ts';
import { ROLES, ROLE_LABELS, isRoleName } from './admin-labels.ts';
import { roleClashSentence, roleInWords } from './staff-changes.ts';
import { StaffProfileForm } from './StaffProfileForm.tsx';

/**
 * One colleague's role, and (for someone who works the queue) skills and capacity. Two forms: a
 * role change is its own decision, with its own consequence (leaving the queue gives work back),
 * and each is made from the version it was opened at (decision 0085).
 */
export function StaffEditor({ person, onDone }: { person: StaffAccount; onDone: (message: string) => void }) {
  return (
    <section className="panel" aria-labelledby="h-staff-edit" data-testid="staff-editor">
      <h2 id="h-staff-edit" tabIndex={-1}>
        Change {person.name}
      </h2>
      <RoleForm person={person} onDone={onDone} />
      {person.routing && <StaffProfileForm key={person.id} person={person} routing={person.routing} onDone={onDone} />}
    </section>
  );
}

type OpenedRole = { role: string; version: number };

/** Saving was refused because someone else changed the role after the form was opened: what to show. */
type Conflict = { error: UiError; current: OpenedRole | null };

/**
 * The role, changed from the version the form was opened at; if someone else changed it
 * meanwhile, the form says so, shows the role as it is now, keeps this admin's choice and
 * changes it only when the admin saves again.
 */
function RoleForm({ person, onDone }: { person: StaffAccount; onDone: (message: string) => void }) {
  const change = useChangeStaffRole();
  const queryClient = useQueryClient();
  // The role as the change is made from: as opened, then as changed, or as it was when a conflict was shown.
  const [opened, setOpened] = useState<OpenedRole>({ role: person.role, version: person.roleVersion });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [role, setRole] = useState<StaffRoleName>(isRoleName(person.role) ? person.role : 'call_handler');
  // A refusal for a role changed meanwhile is shown as the conflict, once the role as it is now is read.
  const error = conflict?.error ?? (isChangedSinceRead(change.error) ? null : toUiError(change.error));
  const roleError = fieldMessage(error, 'role');
  const changedElsewhere = useChangedElsewhere({
    record: 'staff_role',
    id: person.id,
    version: opened.version,
    isSaving: change.isPending,
    readVersion: async () => (await readCurrent())?.roleVersion ?? null,
  });

  /** The person as they are now, read again (undefined: deactivated, or not readable). */
  async function readCurrent() {
    const fresh = await queryClient.fetchQuery({ ...staffAccountsQuery, staleTime: 0 }).catch(() => null);
    return fresh?.find((p) => p.id === person.id && p.isActive);
  }

  /** Someone else changed the role: read it as it is now and keep this admin's choice in the form, unsaved. */
  async function showConflict(from: OpenedRole, wanted: StaffRoleName, message: string) {
    const found = await readCurrent();
    change.reset();
    if (!found) {
      setConflict({ error: { message, fields: [] }, current: null });
      return;
    }
    const current = { role: found.role, version: found.roleVersion };
    const { form, clashes } = rebaseChange(['role'], { role: from.role }, { role: wanted }, { role: current.role });
    if (isRoleName(form.role)) setRole(form.role);
    setOpened(current);
    setConflict({ error: { message, fields: clashes.map((clash) => ({ path: 'role', message: roleClashSentence(clash) })) }, current });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (change.isPending) return;
    const from = opened;
    setConflict(null);
    // From the version this form shows: a role someone else changed since is refused rather than silently replaced.
    change.mutate(
      { staffId: person.id, role, version: from.version },
      {
        onSuccess: (result) => {
          setOpened({ role: result.staff.role, version: result.staff.roleVersion });
          const returned = result.returnedContacts > 0 ? ` ${result.returnedContacts} of their contacts went back to the queue.` : '';
          onDone(`${person.name} is now ${ROLE_LABELS[role].toLowerCase()}.${returned}`);
        },
        onError: (refusal) => {
          if (isChangedSinceRead(refusal)) void showConflict(from, role, refusal.message);
        },
      },
    );
  }
  return (
    <form onSubmit={submit} noValidate className="form" aria-label={`Role of ${person.name}`}>
      <ErrorSummary error={error} fieldIds={{ role: 'staff-edit-role' }} />
      <ChangedElsewhereNotice changed={changedElsewhere} what="Their role" onShowNow={(sentence) => void showConflict(opened, role, sentence)} />
      {conflict?.current && <AsItIsNow heading="Their role as it is now" facts={[{ term: 'Role', value: roleInWords(conflict.current.role) }]} testId="staff-role-now" />}
      <div className={`field${roleError ? ' field--error' : ''}`}>
        <label htmlFor="staff-edit-role">Role</label>
        <p className="hint" id="staff-edit-role-hint">
          Their permissions change at once. A role that does not work the queue gives their open contacts back.
        </p>
        <InlineError id="staff-edit-role-error" message={roleError} />
        <select
          id="staff-edit-role"
          aria-describedby={roleError ? 'staff-edit-role-hint staff-edit-role-error' : 'staff-edit-role-hint'}
          value={role}
          onChange={(e) => isRoleName(e.target.value) && setRole(e.target.value)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--secondary" data-testid="staff-role-submit" aria-disabled={change.isPending}>
        {conflict ? 'Save my change again' : 'Change role'}
      </button>
    </form>
  );
}
