import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useDeactivateStaff, useReactivateStaff, useResetStaffPassword } from '../api/admin-mutations.ts';
import { toUiError } from '../api/errors.ts';
import { staffAccountsQuery } from '../api/queries.ts';
import type { StaffAccount } from '../api/types.ts';
import { ErrorSummary, Loading, PageHeading, StatusMessage, focusById } from '../components.tsx';
import { formatDateTime, humanize } from '../format.ts';
import { ListRefreshedStatus, useListFollowsChanges } from '../list-follows-changes.tsx';
import { queryKeys } from '../api/query-keys.ts';
import { IssuedPassword, StaffAddForm, type Issued } from './admin/StaffAddForm.tsx';
import { StaffEditor } from './admin/StaffEditor.tsx';
type Action = 'reset' | 'deactivate' | 'reactivate';

/**
 * The force admin's list of staff: add someone, change a role, skills and capacity, reset a
 * password (a new one-time password is shown here once), deactivate and reactivate. An admin's
 * own row has no actions.
 */
export function StaffScreen({ currentUserId }: { currentUserId: string }) {
  const staff = useQuery(staffAccountsQuery);
  // A role, skills or capacity changed by another admin show in the list at once; the editor open below keeps what it holds.
  const refreshed = useListFollowsChanges({ records: ['staff_role', 'staff_profile'], queries: [queryKeys.staff], what: 'Staff details' });
  const reset = useResetStaffPassword();
  const deactivate = useDeactivateStaff();
  const reactivate = useReactivateStaff();
  const [notice, setNotice] = useState<string | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [lastAction, setLastAction] = useState<Action | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const busy = reset.isPending || deactivate.isPending || reactivate.isPending;
  const failed = lastAction ? { reset, deactivate, reactivate }[lastAction].error : null;

  function act(person: StaffAccount, action: Action) {
    if (busy) return;
    const question = {
      reset: `Reset the password of ${person.name}? They are signed out at once and must choose a new password at their next sign-in.`,
      deactivate: `Deactivate ${person.name}? They are signed out at once, cannot sign in, and their open contacts go back to the queue.`,
      reactivate: null,
    }[action];
    if (question && !window.confirm(question)) return;
    setLastAction(action);
    setIssued(null);
    setNotice(null);
    if (action === 'reset') {
      reset.mutate(person.id, {
        onSuccess: (result) => {
          setIssued({ name: person.name, email: person.email, oneTimePassword: result.oneTimePassword, isNew: false });
        },
      });
    } else if (action === 'deactivate') {
      deactivate.mutate(person.id, {
        onSuccess: (result) => {
          const returned = result.returnedContacts === 1 ? '1 contact went' : `${result.returnedContacts} contacts went`;
          setNotice(`${person.name} is deactivated and signed out. ${returned} back to the queue.`);
          focusById('staff-notice');
        },
      });
    } else {
      reactivate.mutate(person.id, {
        onSuccess: () => {
          setNotice(`${person.name} can sign in again.`);
          focusById('staff-notice');
        },
      });
    }
  }

  const list = staff.data;
  return (
    <>
      <div className="page-header">
        <PageHeading title="Staff">Staff</PageHeading>
        <button type="button" className="button button--secondary" onClick={() => void staff.refetch()}>
          Refresh
        </button>
      </div>
      <StatusMessage message={notice} id="staff-notice" />
      <ListRefreshedStatus refreshed={refreshed} testId="staff-refreshed" />
      {issued && <IssuedPassword issued={issued} />}
      <ErrorSummary error={toUiError(failed)} />
      <ErrorSummary error={toUiError(staff.error)} focus={false} />
      {!list && staff.isPending && <Loading what="staff" />}
      {list && (
        <div className="table-wrap">
          <table className="table" data-testid="staff-table">
            <caption className="visually-hidden">Staff of this force, whether they can sign in, and actions</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Password changed</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((person) => (
                <tr key={person.id} data-testid="staff-row" data-staff-id={person.id} data-active={String(person.isActive)}>
                  <td>{person.name}</td>
                  <td className="break">{person.email}</td>
                  <td>{humanize(person.role)}</td>
                  <td>
                    {person.isActive ? (
                      <span className="status status--done">{person.mustChangePassword ? 'Active, must change password' : 'Active'}</span>
                    ) : (
                      <span className="status status--dead">
                        Deactivated{person.deactivatedAt ? ` ${formatDateTime(person.deactivatedAt)}` : ''}
                      </span>
                    )}
                  </td>
                  <td>{person.passwordChangedAt ? <time dateTime={person.passwordChangedAt}>{formatDateTime(person.passwordChangedAt)}</time> : <span className="muted">Never</span>}</td>
                  <td>
                    {person.id === currentUserId ? (
                      <span className="muted">You</span>
                    ) : (
                      <span className="actions">
                        {person.isActive && (
                          <button
                            type="button"
                            className="button button--small button--secondary"
                            data-testid="staff-edit"
                            onClick={() => {
                              setEditingId(person.id);
                              setNotice(null);
                              // The editor renders below the table; its heading takes focus once it is there.
                              window.setTimeout(() => focusById('h-staff-edit'), 0);
                            }}
                          >
                            Change<span className="visually-hidden"> role, skills or capacity of {person.name}</span>
                          </button>
                        )}{' '}
                        {person.isActive && (
                          <button type="button" className="button button--small button--secondary" onClick={() => act(person, 'reset')} aria-disabled={busy}>
                            Reset password<span className="visually-hidden"> of {person.name}</span>
                          </button>
                        )}{' '}
                        {person.isActive ? (
                          <button type="button" className="button button--small button--warning" onClick={() => act(person, 'deactivate')} aria-disabled={busy}>
                            Deactivate<span className="visually-hidden"> {person.name}</span>
                          </button>
                        ) : (
                          <button type="button" className="button button--small" onClick={() => act(person, 'reactivate')} aria-disabled={busy}>
                            Reactivate<span className="visually-hidden"> {person.name}</span>
                          </button>
                        )}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list && editingId && (() => {
        const editing = list.find((p) => p.id === editingId && p.isActive);
        return editing ? (
          <StaffEditor
            key={editing.id}
            person={editing}
            onDone={(message) => {
              setNotice(message);
              focusById('staff-notice');
            }}
          />
        ) : null;
      })()}
      <StaffAddForm
        onAdded={(added) => {
          setNotice(null);
          setIssued(added);
        }}
      />
    </>
  );
}
